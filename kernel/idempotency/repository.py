"""The idempotency store over the request's SQLAlchemy session."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from kernel.idempotency.domain import IdempotencyStore, IdempotentRequest, StoredReply
from kernel.idempotency.orm import idempotency_keys as keys


class SqlIdempotencyStore(IdempotencyStore):
    """Claims a key by inserting its row; a concurrent claim of the same key blocks on the
    primary key until the first transaction ends, then reads the reply it stored."""

    def __init__(self, session):
        self.session = session

    def claim(self, request: IdempotentRequest, now: datetime, expires_at: datetime) -> StoredReply | None:
        this_key = sa.and_(keys.c.owner == request.owner, keys.c.key == request.key)
        self.session.execute(keys.delete().where(this_key, keys.c.expires_at <= now))
        try:
            with self.session.begin_nested():
                self.session.execute(keys.insert().values(owner=request.owner, key=request.key,
                                                          fingerprint=request.fingerprint, created_at=now,
                                                          expires_at=expires_at))
            return None
        except IntegrityError:
            row = self.session.execute(sa.select(keys).where(this_key)).mappings().one()
            return StoredReply(row["fingerprint"], row["status_code"], row["response"], row["expires_at"])

    def fulfil(self, request: IdempotentRequest, status: int, body: dict) -> None:
        self.session.execute(keys.update().where(keys.c.owner == request.owner, keys.c.key == request.key)
                             .values(status_code=status, response=body))

    def purge(self, now: datetime) -> int:
        return self.session.execute(keys.delete().where(keys.c.expires_at <= now)).rowcount
