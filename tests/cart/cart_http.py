"""Cart requests as a client sends them, and the checks every error answer must pass."""

TOKEN = "X-Cart-Token"


def add(site, product_id, quantity=1, token=None, headers=None):
    headers = {**(headers or {}), **({TOKEN: token} if token else {})}
    return site.client.post("/api/cart/items", json={"productId": product_id, "quantity": quantity}, headers=headers)


def assert_problem(response, status, field=None):
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"
    if field:
        assert field in response.json["errors"], response.json
