"""Domain events that plugins publish and subscribe to through the kernel's event hooks.

Events are delivered after the database transaction that raised them commits, so a
subscriber never sees an event of work that was rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DomainEvent:
    """Base class; ``hook`` names the kernel hook that delivers the event in process, ``type``
    the name it carries out of the process (event outbox, broadcast, webhooks), derived from
    the hook: ``commerce_order_status_changed`` is ``order.status_changed``."""

    hook = ""
    type = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        subject, _, change = cls.hook.removeprefix("commerce_").partition("_")
        cls.type = f"{subject}.{change}"


def event_data(event: DomainEvent) -> dict[str, Any]:
    """The event's fields as JSON values with camelCase keys, as the API writes them
    (ids, money and times as strings)."""
    return {_camel(item.name): _json_value(getattr(event, item.name)) for item in fields(event)}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _json_value(value: Any) -> Any:
    if isinstance(value, (UUID, Decimal)):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class OrderPlaced(DomainEvent):
    order_id: UUID
    user_id: UUID | None
    total_amount: Decimal
    currency: str
    occurred_at: datetime = field(default_factory=_now)
    hook = "commerce_order_placed"


@dataclass(frozen=True)
class OrderPaid(DomainEvent):
    order_id: UUID
    user_id: UUID | None
    amount: Decimal
    currency: str
    occurred_at: datetime = field(default_factory=_now)
    hook = "commerce_order_paid"


@dataclass(frozen=True)
class OrderCancelled(DomainEvent):
    order_id: UUID
    user_id: UUID | None
    reason: str
    occurred_at: datetime = field(default_factory=_now)
    hook = "commerce_order_cancelled"


@dataclass(frozen=True)
class OrderRefunded(DomainEvent):
    order_id: UUID
    user_id: UUID | None
    amount: Decimal
    currency: str
    full: bool
    occurred_at: datetime = field(default_factory=_now)
    hook = "commerce_order_refunded"


@dataclass(frozen=True)
class OrderStatusChanged(DomainEvent):
    """Any recorded change of an order's status (also a partial refund, from == to)."""

    order_id: UUID
    user_id: UUID | None
    from_status: str | None
    to_status: str
    occurred_at: datetime = field(default_factory=_now)
    hook = "commerce_order_status_changed"


@dataclass(frozen=True)
class StockLow(DomainEvent):
    product_id: UUID
    sku: str
    name: str
    stock_quantity: int
    threshold: int
    occurred_at: datetime = field(default_factory=_now)
    hook = "commerce_stock_low"


EVENT_TYPES = tuple(kind.type for kind in DomainEvent.__subclasses__())  # what subscribers may ask for
