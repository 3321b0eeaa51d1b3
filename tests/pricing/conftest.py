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


class Merchant:
    """Staff setting up the catalog and promotions over HTTP, as a merchant would."""

    def __init__(self, shop: Shop, staff):
        self.client, self.staff = shop.client, staff

    def category(self, name: str, parent: str | None = None) -> dict:
        made = self.client.post("/api/categories", headers=self.staff, json={"name": name, "parent": parent})
        assert made.status_code == 201, made.json
        return made.json

    def product(self, name: str, price: str, stock: int = 20, **fields) -> str:
        made = self.client.post("/api/products", headers=self.staff, json={
            "name": name, "sku": name.upper().replace(" ", "-"), "price": price, "stockQuantity": stock, **fields})
        assert made.status_code == 201, made.json
        return made.json["id"]

    def promotion(self, **fields):
        return self.client.post("/api/admin/promotions", headers=self.staff, json=fields)


@pytest.fixture
def merchant(priced_shop, auth_headers) -> Merchant:
    return Merchant(priced_shop, auth_headers(priced_shop.app, "staff"))
