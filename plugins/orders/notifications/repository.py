"""SQL adapter of the notification log: a claimed (order, kind) row is a mail that went out."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy.exc import IntegrityError

from plugins.orders.notifications.domain import NotificationLog
from plugins.orders.orm import order_notifications


class SqlNotificationLog(NotificationLog):
    def __init__(self, session):
        self.session = session

    def claim(self, order_id: UUID, kind: str, at: datetime) -> bool:
        try:
            with self.session.begin_nested():
                self.session.execute(order_notifications.insert().values(order_id=order_id, kind=kind, sent_at=at))
            return True
        except IntegrityError:
            return False

    def release(self, order_id: UUID, kind: str) -> None:
        self.session.execute(order_notifications.delete().where(order_notifications.c.order_id == order_id,
                                                                order_notifications.c.kind == kind))
