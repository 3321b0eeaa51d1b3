"""SQL adapter of the payments port: attempts and the webhook inbox."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from kernel.domain.money import Money
from kernel.domain.ports.payments import EventKind, NormalizedEvent
from plugins.orders.orm import payment_events, payments
from plugins.orders.payments.domain import (
    OPEN,
    SETTLED,
    AttemptStatus,
    Payment,
    PaymentEventRecord,
    PaymentRecord,
    PaymentRepository,
)

COLUMNS = ("id", "order_id", "provider", "amount", "currency", "created_at", "status", "reference", "refunded_amount")


class SqlPaymentRepository(PaymentRepository):
    def __init__(self, session, clock):
        self.session = session
        self.clock = clock

    def add(self, payment: Payment) -> None:
        self.session.execute(payments.insert().values(**_row(payment), updated_at=self.clock()))

    def save(self, payment: Payment) -> None:
        self.session.execute(payments.update().where(payments.c.id == payment.id).values(
            status=str(payment.status), reference=payment.reference, refunded_amount=payment.refunded_amount,
            updated_at=self.clock()))

    def get(self, payment_id: UUID, *, for_update: bool = False) -> Payment | None:
        return self._one(payments.c.id == payment_id, for_update=for_update)

    def open_attempt(self, order_id: UUID, provider: str) -> Payment | None:
        return self._one(payments.c.order_id == order_id, payments.c.provider == provider,
                         payments.c.status.in_([str(status) for status in OPEN]))

    def by_reference(self, provider: str, reference: str, *, for_update: bool = False) -> Payment | None:
        return self._one(payments.c.provider == provider, payments.c.reference == reference, for_update=for_update)

    def settled_for_order(self, order_id: UUID, *, for_update: bool = False) -> Payment | None:
        return self._one(payments.c.order_id == order_id, payments.c.status.in_([str(status) for status in SETTLED]), for_update=for_update)

    def records_for_order(self, order_id: UUID) -> list[PaymentRecord]:
        rows = self.session.execute(sa.select(payments).where(payments.c.order_id == order_id)
                                    .order_by(payments.c.created_at, payments.c.id)).mappings().all()
        if not rows:
            return []
        events: dict[UUID, list[PaymentEventRecord]] = {row["id"]: [] for row in rows}
        for event in self.session.execute(
                sa.select(payment_events).where(payment_events.c.payment_id.in_(list(events)))
                .order_by(payment_events.c.received_at, payment_events.c.id)).mappings():
            events[event["payment_id"]].append(PaymentEventRecord(
                kind=event["kind"], event_id=event["event_id"], amount=event["amount"],
                occurred_at=event["occurred_at"], received_at=event["received_at"]))
        return [PaymentRecord(payment=_payment(row), updated_at=row["updated_at"], events=tuple(events[row["id"]]))
                for row in rows]

    def record_event(self, event: NormalizedEvent, payment_id: UUID | None, at: datetime) -> bool:
        try:
            with self.session.begin_nested():
                self.session.execute(payment_events.insert().values(
                    provider=event.provider, event_id=event.event_id, kind=str(event.kind), reference=event.reference,
                    amount=event.amount.amount if event.amount else None, payment_id=payment_id,
                    occurred_at=event.occurred_at, received_at=at))
            return True
        except IntegrityError:
            return False

    def lock_reference(self, provider: str, reference: str) -> None:
        if self.session.get_bind().dialect.name == "postgresql":  # SQLite runs one writer at a time anyway
            self.session.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtextextended(
                f"payment:{provider}:{reference}", 0))))

    def adopt_held_events(self, payment: Payment) -> list[NormalizedEvent]:
        held = self.session.execute(
            sa.select(payment_events).where(payment_events.c.payment_id.is_(None),
                                            payment_events.c.provider == payment.provider,
                                            payment_events.c.reference == payment.reference)
            .order_by(payment_events.c.received_at, payment_events.c.id)).mappings().all()
        if held:
            self.session.execute(payment_events.update().where(payment_events.c.id.in_([row["id"] for row in held]))
                                 .values(payment_id=payment.id))
        return [NormalizedEvent(provider=row["provider"], event_id=row["event_id"], kind=EventKind(row["kind"]),
                                reference=row["reference"], occurred_at=row["occurred_at"],
                                amount=Money(row["amount"], payment.currency) if row["amount"] is not None else None)
                for row in held]

    def _one(self, *where, for_update: bool = False) -> Payment | None:
        query = sa.select(payments).where(*where).order_by(payments.c.created_at.desc()).limit(1)
        row = self.session.execute(query.with_for_update() if for_update else query).mappings().first()
        return None if row is None else _payment(row)


def _payment(row) -> Payment:
    return Payment(**{name: row[name] for name in COLUMNS if name != "status"}, status=AttemptStatus(row["status"]))


def _row(payment: Payment) -> dict:
    return {name: getattr(payment, name) for name in COLUMNS} | {"status": str(payment.status)}
