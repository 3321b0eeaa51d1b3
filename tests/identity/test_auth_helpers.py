"""The helpers every plugin uses: decorators, the current user, permissions, and the auth_headers fixture."""

import uuid

import pytest


@pytest.fixture
def client(app):
    return app.test_client()


def test_anonymous_caller_gets_401_problem_on_protected_routes(client):
    for method, path in [("GET", "/api/guarded/members"), ("POST", "/api/guarded/widgets")]:
        response = client.open(path, method=method)
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_current_user_id_on_an_anonymous_route(app, client, auth_headers):
    assert client.get("/api/guarded/whoami").json == {"userId": None, "canWrite": False}
    shopper = auth_headers(app)
    assert client.get("/api/guarded/whoami", headers=shopper).json == {"userId": str(shopper.user_id),
                                                                       "canWrite": False}


def test_a_broken_token_on_an_anonymous_route_is_refused_not_ignored(client):
    response = client.get("/api/guarded/whoami", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401


def test_plugin_permissions_are_granted_by_role(app, client, auth_headers):
    customer, staff, admin = auth_headers(app), auth_headers(app, "staff"), auth_headers(app, "admin")
    assert client.get("/api/guarded/members", headers=customer).status_code == 200
    denied = client.post("/api/guarded/widgets", headers=customer)
    assert denied.status_code == 403 and denied.mimetype == "application/problem+json"
    assert "widgets:write" in denied.json["detail"]
    assert client.post("/api/guarded/widgets", headers=staff).status_code == 201
    assert client.get("/api/guarded/whoami", headers=staff).json["canWrite"] is True
    # every named permission is needed: staff lacks reports:read, which no role gets by default
    assert client.get("/api/guarded/reports", headers=staff).status_code == 403
    assert client.get("/api/guarded/reports", headers=admin).status_code == 200


def test_another_shoppers_resource_is_not_found(app, client, auth_headers):
    alice, bob, staff = auth_headers(app), auth_headers(app), auth_headers(app, "staff")
    assert client.get(f"/api/guarded/owned/{alice.user_id}", headers=alice).status_code == 200
    response = client.get(f"/api/guarded/owned/{alice.user_id}", headers=bob)
    assert response.status_code == 404 and response.json["detail"] == "No such widget."
    assert client.get(f"/api/guarded/owned/{uuid.uuid4()}", headers=staff).status_code == 200


def test_auth_headers_users_can_also_sign_in_over_http(app, client, auth_headers):
    staff = auth_headers(app, "staff", email="Pat@Shop.example")
    assert staff.email == "pat@shop.example"
    login = client.post("/api/users/login", json={"email": staff.email, "password": staff.password})
    assert login.status_code == 200
    me = client.get("/api/users/me", headers={"Authorization": f"Bearer {login.json['accessToken']}"})
    assert me.json["id"] == str(staff.user_id) and me.json["roles"] == ["staff"]


def test_auth_headers_refuses_an_unknown_role(app, auth_headers):
    with pytest.raises(ValueError, match="no such role 'owner'"):
        auth_headers(app, "owner")


def test_the_openapi_document_marks_protected_operations(client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert paths["/api/guarded/widgets"]["post"]["security"] == [{"bearerAuth": []}]
    assert "security" not in paths["/api/guarded/whoami"]["get"]
