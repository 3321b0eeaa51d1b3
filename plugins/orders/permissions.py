"""The orders' permission: every staff endpoint (orders, reports) needs it; the staff role holds it."""

MANAGE = "orders:manage"
