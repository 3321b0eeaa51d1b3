"""``GET /api/admin/shipping/methods`` and ``GET /api/admin/tax/rates``: staff read the rates the
site file sets (decision 0029), as the site runs them; nobody else does, and nothing caches them."""

from __future__ import annotations

import pytest

SHIPPING = {
    "zones": {"dach": ["DE", "AT", "CH"]},
    "methods": [
        {"code": "standard", "label": "Standard", "zones": ["dach"], "countries": ["LU"], "rate": "flat",
         "amount": "4.90", "free_above": "100.00"},
        {"code": "parcel", "label": "Parcel by weight", "countries": ["DE"], "rate": "weight",
         "bands": [{"below": "2.5", "amount": "6.00"}, {"amount": "11.50"}]},
        {"code": "express", "label": "Express", "countries": ["*"], "rate": "bands",
         "bands": [{"below": "50.00", "amount": "12.00"}, {"amount": "8.00"}]},
    ],
}
TAX = {
    "prices_include_tax": True,
    "shipping_taxable": False,
    "rates": [
        {"code": "ca-gst", "label": "GST 5 %", "country": "CA", "percent": "5"},
        {"code": "de-vat-reduced", "label": "VAT 7 %", "country": "DE", "percent": "7", "tax_class": "reduced"},
        {"code": "ca-bc-pst", "label": "PST 7 %", "country": "CA", "region": "BC", "percent": "7"},
        {"code": "de-vat", "label": "VAT 19 %", "country": "DE", "percent": "19.00"},
        {"code": "us-ny", "label": "NY 8.875 %", "country": "US", "region": "NY", "percent": "8.875"},
    ],
}
METHODS = "/api/admin/shipping/methods"
RATES = "/api/admin/tax/rates"


@pytest.fixture
def shop(make_app):
    return make_app(["catalog", "cart", "orders", "shipping", "tax"], backend="postgres",
                    settings={"shipping": SHIPPING, "tax": TAX})


def test_staff_read_every_method_with_its_zones_rate_and_bands(shop, auth_headers):
    response = shop.test_client().get(METHODS, headers=auth_headers(shop, role="staff"))
    assert response.status_code == 200, response.json
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json == {
        "zones": {"dach": ["DE", "AT", "CH"]},
        "methods": [
            {"code": "standard", "label": "Standard", "countries": ["AT", "CH", "DE", "LU"], "zones": ["dach"],
             "rate": "flat", "bands": [{"below": None, "amount": "4.90"}], "freeAbove": "100.00"},
            {"code": "parcel", "label": "Parcel by weight", "countries": ["DE"], "zones": [], "rate": "weight",
             "bands": [{"below": "2.5", "amount": "6.00"}, {"below": None, "amount": "11.50"}], "freeAbove": None},
            {"code": "express", "label": "Express", "countries": ["*"], "zones": [], "rate": "bands",
             "bands": [{"below": "50", "amount": "12.00"}, {"below": None, "amount": "8.00"}], "freeAbove": None},
        ],
    }


def test_staff_read_the_rates_by_country_region_and_class_and_how_prices_hold_tax(shop, auth_headers):
    response = shop.test_client().get(RATES, headers=auth_headers(shop, role="staff"))
    assert response.status_code == 200, response.json
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json
    assert (body["pricesIncludeTax"], body["shippingTaxable"]) == (True, False)
    assert [(rate["country"], rate["region"], rate["taxClass"], rate["percent"]) for rate in body["rates"]] == [
        ("CA", None, "standard", "5"), ("CA", "BC", "standard", "7"), ("DE", None, "reduced", "7"),
        ("DE", None, "standard", "19"), ("US", "NY", "standard", "8.875")]
    assert body["rates"][3] == {"code": "de-vat", "label": "VAT 19 %", "country": "DE", "region": None,
                                "taxClass": "standard", "percent": "19"}


@pytest.mark.parametrize("path", [METHODS, RATES])
@pytest.mark.parametrize("role, status", [("customer", 403), (None, 401)])
def test_customers_and_strangers_are_refused_with_a_problem(shop, auth_headers, path, role, status):
    headers = auth_headers(shop, role=role) if role else {}
    response = shop.test_client().get(path, headers=headers)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_console_learns_the_permissions_to_read_them(shop, auth_headers):
    body = shop.test_client().get("/api/admin/site", headers=auth_headers(shop, role="staff")).json
    assert {"shipping:read", "tax:read"} <= set(body["permissions"])


def test_a_site_without_the_plugins_has_no_such_endpoints(make_app, auth_headers):
    plain = make_app(["catalog", "cart", "orders"], backend="postgres")
    staff = auth_headers(plain, role="staff")
    assert [plain.test_client().get(path, headers=staff).status_code for path in (METHODS, RATES)] == [404, 404]
