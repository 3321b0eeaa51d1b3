"""Events as they leave the process, and who may see which (plain Python)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

SHOPPER_TYPES = frozenset({"order.status_changed"})
STAFF_TYPES = frozenset({"order.placed", "order.paid", "stock.low"})
STAFF_PERMISSION = "orders:manage"


@dataclass(frozen=True)
class StoredEvent:
    """One row of the event outbox: ``id`` orders the events of a site."""

    id: int
    type: str
    data: dict[str, Any]
    created_at: datetime

    def as_dict(self) -> dict[str, Any]:
        """``{id, type, data, createdAt}``: the event as every consumer outside the process sees it."""
        return {"id": self.id, "type": self.type, "data": self.data, "createdAt": self.created_at.isoformat()}

    def message(self) -> str:
        """The JSON text carried by the broadcast and by each stream's ``data:`` line."""
        return json.dumps(self.as_dict(), separators=(",", ":"))

    @classmethod
    def from_message(cls, text: str | bytes) -> StoredEvent:
        body = json.loads(text)
        return cls(id=int(body["id"]), type=body["type"], data=body["data"],
                   created_at=datetime.fromisoformat(body["createdAt"]))


@dataclass(frozen=True)
class Viewer:
    """Who holds a stream open: a shopper sees their own orders' status changes, staff holding
    ``orders:manage`` also see new orders, payments and low stock."""

    user_id: uuid.UUID
    staff: bool

    def sees(self, event: StoredEvent) -> bool:
        if self.staff and event.type in STAFF_TYPES:
            return True
        return event.type in SHOPPER_TYPES and event.data.get("userId") == str(self.user_id)
