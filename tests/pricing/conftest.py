"""A shop with promotions, shipping and tax (German VAT, Canadian GST and a provincial PST)."""

from __future__ import annotations

import pytest

from tests.orders.conftest import Shop, make_shop  # noqa: F401 (fixture shared with the orders' tests)

SHIPPING = {"methods": [
    {"code": "standard", "label": "Standard", "countries": ["DE", "AT"], "rate": "flat", "amount": "4.90",
     "free_above": "100.00"},
    {"code": "express", "label": "Express", "countries": ["DE"], "rate": "bands",
     "bands": [{"below": "50.00", "amount": "12.00"}, {"amount": "8.00"}]},
    {"code": "world", "label": "World", "countries": ["CA"], "rate": "flat", "amount": "20.00"},
]}
TAX = {"rates": [
    {"code": "de-vat", "label": "VAT 19 %", "country": "DE", "percent": "19"},
    {"code": "ca-gst", "label": "GST 5 %", "country": "CA", "percent": "5"},
    {"code": "ca-bc-pst", "label": "PST 7 %", "country": "CA", "region": "BC", "percent": "7"},
]}


@pytest.fixture
def priced_shop(make_shop) -> Shop:
    return make_shop(plugins=("catalog", "cart", "orders", "promotions", "shipping", "tax"),
                     settings={"shipping": SHIPPING, "tax": TAX})
