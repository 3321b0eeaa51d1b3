"""The notification job (run by the jobs platform in the site's app context)."""

from __future__ import annotations

from uuid import UUID

from plugins.orders import bootstrap


def send_confirmation(order_id: str, kind: str) -> bool:
    """Mail the shopper about their order (``kind``: ``placed``, ``paid`` or ``cancelled``), once."""
    return bootstrap.notification_services().send_confirmation(UUID(order_id), kind)
