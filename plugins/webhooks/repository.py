"""Reads and writes of endpoints and deliveries, in the unit of work's session."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from plugins.webhooks.domain import Attempt, WebhookStore
from plugins.webhooks.orm import webhook_deliveries as deliveries
from plugins.webhooks.orm import webhook_endpoints as endpoints

ENDPOINT_VIEW = [column for column in endpoints.c if column.name != "secret"]  # the secret is shown once
DELIVERY_VIEW = [column for column in deliveries.c if column.name != "body"]


class SqlWebhookRepository(WebhookStore):
    def __init__(self, session: Session):
        self.session = session

    # --- endpoints ---
    def add_endpoint(self, **values) -> None:
        self.session.execute(sa.insert(endpoints).values(**values))

    def endpoint(self, endpoint_id: uuid.UUID, *, lock: bool = False) -> dict | None:
        query = sa.select(*ENDPOINT_VIEW).where(endpoints.c.id == endpoint_id)
        row = self.session.execute(query.with_for_update() if lock else query).mappings().first()
        return dict(row) if row else None

    def endpoints(self) -> list[dict]:
        query = sa.select(*ENDPOINT_VIEW).order_by(endpoints.c.created_at, endpoints.c.id)
        return [dict(row) for row in self.session.execute(query).mappings()]

    def enabled_endpoints(self) -> list[dict]:
        query = sa.select(endpoints.c.id, endpoints.c.event_types).where(endpoints.c.enabled.is_(True))
        return [dict(row) for row in self.session.execute(query).mappings()]

    def update_endpoint(self, endpoint_id: uuid.UUID, **values) -> None:
        self.session.execute(sa.update(endpoints).where(endpoints.c.id == endpoint_id).values(**values))

    def delete_endpoint(self, endpoint_id: uuid.UUID) -> bool:
        return self.session.execute(sa.delete(endpoints).where(endpoints.c.id == endpoint_id)).rowcount == 1

    # --- deliveries ---
    def add_deliveries(self, rows: list[dict]) -> list[uuid.UUID]:
        if not rows:
            return []
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        statement = dialect.insert(deliveries).on_conflict_do_nothing().returning(deliveries.c.id)
        return list(self.session.execute(statement, rows).scalars())

    def delivery(self, delivery_id: uuid.UUID, *, lock: bool = False) -> dict | None:
        query = (sa.select(deliveries, endpoints.c.url, endpoints.c.secret, endpoints.c.enabled)
                 .join(endpoints, endpoints.c.id == deliveries.c.endpoint_id).where(deliveries.c.id == delivery_id))
        row = self.session.execute(query.with_for_update(of=deliveries) if lock else query).mappings().first()
        return dict(row) if row else None

    def deliveries_of(self, endpoint_id: uuid.UUID, offset: int, limit: int) -> tuple[list[dict], int]:
        where = deliveries.c.endpoint_id == endpoint_id
        total = self.session.execute(sa.select(sa.func.count()).select_from(deliveries).where(where)).scalar_one()
        query = (sa.select(*DELIVERY_VIEW).where(where)
                 .order_by(deliveries.c.created_at.desc(), deliveries.c.event_id.desc()).offset(offset).limit(limit))
        return [dict(row) for row in self.session.execute(query).mappings()], total

    def record_attempt(self, delivery_id: uuid.UUID, attempt: Attempt, state: str, now: datetime) -> None:
        self.session.execute(sa.update(deliveries).where(deliveries.c.id == delivery_id).values(
            attempts=deliveries.c.attempts + 1, response_status=attempt.status_code, duration_ms=attempt.duration_ms,
            error=attempt.error and attempt.error[:500], state=state, last_attempt_at=now,
            delivered_at=now if attempt.succeeded else None))

    def set_delivery_state(self, delivery_ids: Iterable[uuid.UUID], state: str, **values) -> None:
        self.session.execute(sa.update(deliveries).where(deliveries.c.id.in_(list(delivery_ids)))
                             .values(state=state, **values))
