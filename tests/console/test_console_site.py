"""``GET /api/admin/site``: the console learns the site's plugins and the caller's permissions."""

import pytest


@pytest.fixture
def shop(make_app):
    return make_app(["catalog", "cart", "orders"])


def test_staff_learn_the_plugins_and_their_own_permissions(shop, auth_headers):
    response = shop.test_client().get("/api/admin/site", headers=auth_headers(shop, role="staff"))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["plugins"] == ["catalog", "cart", "orders"]
    assert body["currency"] == shop.extensions["commerce"].site.currency
    assert {"catalog:write", "orders:manage", "jobs:read", "jobs:manage", "console:open"} <= set(body["permissions"])
    assert "users:manage" not in body["permissions"]


def test_an_admin_holds_user_management_too(shop, auth_headers):
    body = shop.test_client().get("/api/admin/site", headers=auth_headers(shop, role="admin")).get_json()
    assert "users:manage" in body["permissions"]


def test_a_plugin_the_site_does_not_enable_is_not_listed(make_app, auth_headers):
    catalog_only = make_app(["catalog"])
    body = catalog_only.test_client().get("/api/admin/site", headers=auth_headers(catalog_only, role="staff")).get_json()
    assert body["plugins"] == ["catalog"]
    assert "orders:manage" not in body["permissions"]


@pytest.mark.parametrize("role, status", [("customer", 403), (None, 401)])
def test_customers_and_strangers_are_refused_with_a_problem(shop, auth_headers, role, status):
    headers = auth_headers(shop, role=role) if role else {}
    response = shop.test_client().get("/api/admin/site", headers=headers)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
