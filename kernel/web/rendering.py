"""JSON written out by hand for the hot answers (catalog pages, the cart), and the pricing
breakdown they share.

The marshmallow schemas stay the contract: they document these answers in the OpenAPI document,
and tests hold the answers built from these equal to their schema's ``dump``
(``tests/catalog/test_catalog_rendering.py``, ``tests/cart/test_cart_rendering.py``). A generic dump walks every field of every nested object; on a cart
of twenty lines it was a tenth of an add to cart's CPU time (docs/benchmarks.md).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from kernel.domain.pricing import Adjustment, Choice

CENTS = Decimal("0.01")


def money(value: Decimal | None) -> str | None:
    """An amount as the schemas' ``Decimal(places=2, as_string=True)`` writes it (half to even)."""
    return None if value is None else format(Decimal(str(value)).quantize(CENTS), "f")


def uuid_text(value: UUID | None) -> str | None:
    return None if value is None else str(value)


def moment(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def adjustment_json(adjustment: Adjustment) -> dict:
    return {"plugin": adjustment.plugin, "kind": adjustment.kind.value, "label": adjustment.label,
            "amount": money(adjustment.amount), "variantId": uuid_text(adjustment.variant_id),
            "code": adjustment.code, "included": adjustment.included}


def choice_json(choice: Choice) -> dict:
    return {"input": choice.input, "code": choice.code, "label": choice.label, "amount": money(choice.amount)}
