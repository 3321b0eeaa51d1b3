"""Registration, sign-in, profile and password over HTTP, as a new shopper meets them."""

import pytest
from flask_security import hash_password
from sqlalchemy import select

from kernel.identity.orm import User
from kernel.infrastructure.db import db

PASSWORD = "SecurePassword123!"


@pytest.fixture
def client(app):
    return app.test_client()


def register(client, email="user@example.com", password=PASSWORD, **extra):
    body = {"email": email, "password": password, "firstName": "John", "lastName": "Doe", **extra}
    return client.post("/api/users/register", json=body)


def login(client, email="user@example.com", password=PASSWORD):
    return client.post("/api/users/login", json={"email": email, "password": password})


def bearer(tokens):
    return {"Authorization": f"Bearer {tokens['accessToken']}"}


def test_registration_answers_the_designs_example_exactly(client):
    response = register(client)
    assert response.status_code == 201
    assert set(response.json) == {"id", "email", "firstName", "lastName"}
    assert response.json["email"] == "user@example.com"
    assert (response.json["firstName"], response.json["lastName"]) == ("John", "Doe")


def test_registered_shopper_is_a_customer_and_hooks_see_the_sign_in(app, client, monkeypatch):
    seen = []
    pm = app.extensions["commerce"].pm
    monkeypatch.setattr(pm.hook, "commerce_user_signed_in",
                        lambda user_id, guest_cart_token: seen.append((user_id, guest_cart_token)))
    registered = client.post("/api/users/register", headers={"X-Cart-Token": "guest-1"},
                             json={"email": "a@example.com", "password": PASSWORD})
    tokens = client.post("/api/users/login", json={"email": "a@example.com", "password": PASSWORD}).json
    me = client.get("/api/users/me", headers=bearer(tokens)).json
    assert me["roles"] == ["customer"]
    assert [str(user_id) for user_id, _ in seen] == [registered.json["id"]] * 2
    assert [token for _, token in seen] == ["guest-1", None]


def test_duplicate_email_is_a_409_whatever_its_case(client):
    assert register(client).status_code == 201
    response = register(client, email="USER@example.com")
    assert response.status_code == 409 and response.mimetype == "application/problem+json"


@pytest.mark.parametrize("body_change, field", [
    ({"password": "short"}, "password"),
    ({"password": "password1234"}, "password"),  # on every list of leaked passwords
    ({"password": "user@example.com"}, "password"),
    ({"password": None}, "password"),
    ({"email": "not-an-email"}, "email"),
    ({"email": ""}, "email"),
])
def test_bad_registrations_are_422_naming_the_field(client, body_change, field):
    body = {"email": "user@example.com", "password": PASSWORD, **body_change}
    response = client.post("/api/users/register", json=body)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"]


@pytest.mark.parametrize("lookalike", ["p\u0430ypal@example.com", "user@p\u0430ypal.com", "user@shop.\u0441om",
                                       "\u0440\u0430ypal@example.com"])
def test_an_email_mixing_scripts_is_refused(client, lookalike):
    assert register(client, email="paypal@example.com").status_code == 201
    response = register(client, email=lookalike)
    assert response.status_code == 422 and "mixes" in response.json["errors"]["email"][0], response.json
    assert login(client, email=lookalike).status_code == 401


@pytest.mark.parametrize("email", ["zo\u00eb@m\u00fcnchen.de", "\u043f\u0440\u0438\u043c\u0435\u0440@\u043f\u0440\u0438\u043c\u0435\u0440.com",
                                   "\u7530\u4e2d\u305f\u308d\u3046@example.jp"])
def test_an_address_in_one_script_or_an_allowed_mix_registers(client, email):
    assert register(client, email=email).status_code == 201


def test_missing_fields_and_unknown_fields_are_422(client):
    missing = client.post("/api/users/register", json={"email": "x@example.com"})
    assert missing.status_code == 422 and "password" in missing.json["errors"]
    sneaky = register(client, roles=["admin"])
    assert sneaky.status_code == 422 and "roles" in sneaky.json["errors"]


def test_login_returns_a_bearer_token_pair(app, client):
    register(client)
    response = login(client)
    assert response.status_code == 200
    assert set(response.json) == {"accessToken", "refreshToken", "tokenType", "expiresIn"}
    assert response.json["tokenType"] == "Bearer" and response.json["expiresIn"] == 15 * 60
    assert response.headers["Cache-Control"] == "no-store"
    # no session login behind the API's back: the one cookie is the refresh token, for browsers
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"commerce_refresh={response.json['refreshToken']};")
    assert {"HttpOnly", "SameSite=Strict", "Path=/api/users"} <= {part.strip() for part in cookie.split(";")}


def test_wrong_password_and_unknown_email_get_the_same_401(client):
    register(client)
    wrong_password = login(client, password="WrongPassword123!")
    unknown_email = login(client, email="nobody@example.com")
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json == {**unknown_email.json}
    assert wrong_password.json["detail"] == "The email or password is wrong."


def test_me_never_shows_the_password_hash(client):
    register(client)
    tokens = login(client).json
    body = client.get("/api/users/me", headers=bearer(tokens)).get_data(as_text=True)
    assert "argon2" not in body and "password" not in body.lower()


def test_profile_update_changes_names_only(client):
    register(client)
    headers = bearer(login(client).json)
    renamed = client.patch("/api/users/me", headers=headers, json={"firstName": "Jane"})
    assert renamed.status_code == 200 and renamed.json["firstName"] == "Jane" and renamed.json["lastName"] == "Doe"
    for forbidden in ({"email": "evil@example.com"}, {"roles": ["admin"]}):
        refused = client.patch("/api/users/me", headers=headers, json=forbidden)
        assert refused.status_code == 422 and set(refused.json["errors"]) == set(forbidden)
    me = client.get("/api/users/me", headers=headers).json
    assert (me["email"], me["roles"], me["firstName"]) == ("user@example.com", ["customer"], "Jane")


def test_password_change_revokes_every_other_token(client):
    register(client)
    first, second = login(client).json, login(client).json
    wrong = client.post("/api/users/me/password", headers=bearer(first),
                        json={"currentPassword": "nope-nope-nope", "newPassword": "AnotherSecret456?"})
    assert wrong.status_code == 422 and "currentPassword" in wrong.json["errors"]
    weak = client.post("/api/users/me/password", headers=bearer(first),
                       json={"currentPassword": PASSWORD, "newPassword": "qwertyuiop"})
    assert weak.status_code == 422 and "newPassword" in weak.json["errors"]
    changed = client.post("/api/users/me/password", headers=bearer(first),
                          json={"currentPassword": PASSWORD, "newPassword": "AnotherSecret456?"})
    assert changed.status_code == 200
    assert changed.headers["Set-Cookie"].startswith(f"commerce_refresh={changed.json['refreshToken']};")
    for old in (first, second):
        assert client.get("/api/users/me", headers=bearer(old)).status_code == 401
        assert client.post("/api/users/refresh", json={"refreshToken": old["refreshToken"]}).status_code == 401
    assert client.get("/api/users/me", headers=bearer(changed.json)).status_code == 200
    assert login(client).status_code == 401
    assert login(client, password="AnotherSecret456?").status_code == 200


def test_login_rehashes_a_password_hashed_with_older_parameters(app, client):
    register(client)
    with app.app_context():
        user = db.session.scalar(select(User))
        from passlib.hash import argon2

        user.password = argon2.using(memory_cost=19456, rounds=2, parallelism=1).hash(PASSWORD)
        db.session.commit()
    assert login(client).status_code == 200
    with app.app_context():
        stored = db.session.scalar(select(User)).password
    assert stored.startswith("$argon2id$") and "m=47104,t=1,p=1" in stored
    assert login(client).status_code == 200


def test_stored_hash_is_argon2id(app, client):
    register(client)
    with app.app_context():
        assert db.session.scalar(select(User)).password.startswith("$argon2id$v=19$m=47104,t=1,p=1$")
        assert hash_password("x" * 12) != hash_password("x" * 12)  # salted
