"""A guest's access to their order: a token signed with the site's secret key, naming the order.

It is the guest's only key to the order (there is no account), so it never expires; it is
checked in constant time by itsdangerous and says nothing but the order's id.
"""

from __future__ import annotations

from uuid import UUID

from itsdangerous import BadSignature, URLSafeSerializer

from kernel.context import commerce

SALT = "commerce.orders.guest-access"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(commerce().site.sections["site"]["secret_key"], salt=SALT)


def guest_access_token(order_id: UUID) -> str:
    return _signer().dumps(str(order_id))


def opens(token: str, order_id: UUID) -> bool:
    try:
        return _signer().loads(token) == str(order_id)
    except BadSignature:
        return False
