"""Mailing the shopper about their order: each mail at most once, and only while it is still true
(``after_change.py`` queues them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from loguru import logger

from kernel.domain.clock import utcnow
from kernel.domain.ports.unit_of_work import UnitOfWork
from plugins.orders.domain import OrderRepository
from plugins.orders.notifications.domain import MAIL_STATES, NotificationLog, confirmation_mail

SEND_CONFIRMATION = "orders.send_confirmation"


@dataclass
class NotificationServices:
    uow: UnitOfWork
    orders: OrderRepository
    log: NotificationLog
    send_mail: Callable[..., None]  # (to, subject, text, message_key=...): the key makes a stable Message-ID
    clock: Callable[[], datetime] = field(default=utcnow)

    def send_confirmation(self, order_id: UUID, kind: str) -> bool:
        """Mail the shopper at most once per (order, kind), and only while the order is in a
        state the mail describes.

        The claim commits *before* the mail is handed over: a worker killed after the relay
        accepted the mail, or a repeated job, finds the claim and sends nothing. A send that
        fails releases the claim, so the job's retry sends it (with the same Message-ID, which
        lets a relay drop the copy if the failure came after it had the mail).
        """
        with self.uow:
            order = self.orders.get(order_id)
            if order is None or not order.customer_email:
                logger.warning("order {} has no mail address; no {} confirmation sent", order_id, kind)
                return False
            if order.status not in MAIL_STATES[kind]:
                logger.info("order {} is {}: its {} mail is no longer true, not sent", order_id, order.status, kind)
                return False
            if not self.log.claim(order_id, kind, self.clock()):
                return False
            self.uow.commit()
        subject, text = confirmation_mail(order, kind)
        try:
            self.send_mail(order.customer_email, subject, text, message_key=f"order-{order_id}-{kind}")
        except Exception:
            with self.uow:
                self.log.release(order_id, kind)
                self.uow.commit()
            raise
        return True
