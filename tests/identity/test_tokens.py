"""Access and refresh tokens: what is refused, rotation, reuse detection, logout and deactivation.

Revocation runs on Redis when the site has Redis and on the database otherwise: the
revocation tests run on both (PostgreSQL + Redis, and the embedded SQLite alone)."""

import base64
import json
import threading
from datetime import timedelta

import jwt
import pytest
from flask_jwt_extended import create_access_token

PASSWORD = "SecurePassword123!"


@pytest.fixture(params=["postgres+redis", "sqlite"])
def site(request, make_app):
    if request.param == "sqlite":
        return make_app(backend="sqlite")
    redis_url = request.getfixturevalue("redis_server_url")
    return make_app(backend="postgres", cache={"url": redis_url})


@pytest.fixture
def client(site):
    return site.test_client()


@pytest.fixture
def tokens(client):
    client.post("/api/users/register", json={"email": "user@example.com", "password": PASSWORD})
    return sign_in(client)


def sign_in(client):
    response = client.post("/api/users/login", json={"email": "user@example.com", "password": PASSWORD})
    assert response.status_code == 200
    return response.json


def me(client, access_token):
    return client.get("/api/users/me", headers={"Authorization": f"Bearer {access_token}"})


def refresh(client, refresh_token):
    return client.post("/api/users/refresh", json={"refreshToken": refresh_token})


def segments(token):
    return [json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))) for part in token.split(".")[:2]]


def encode(part):
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def test_the_revocation_store_matches_the_site(site):
    kind = type(site.extensions["commerce"].identity.revocations).__name__
    has_redis = site.extensions["commerce"].site.cache["url"].startswith("redis")
    assert kind == ("RedisRevocations" if has_redis else "SqlRevocations")


def test_tampered_token_is_refused(client, tokens):
    header, payload, signature = tokens["accessToken"].split(".")
    claims = segments(tokens["accessToken"])[1]
    forged = ".".join([header, encode({**claims, "sub": "someone-else"}), signature])
    assert me(client, tokens["accessToken"]).status_code == 200
    response = me(client, forged)
    assert response.status_code == 401 and response.mimetype == "application/problem+json"


def test_alg_none_token_is_refused(client, tokens):
    claims = segments(tokens["accessToken"])[1]
    unsigned = jwt.encode(claims, None, algorithm="none")
    assert me(client, unsigned).status_code == 401


def test_token_signed_with_another_secret_or_algorithm_is_refused(client, tokens):
    claims = segments(tokens["accessToken"])[1]
    assert me(client, jwt.encode(claims, "another-secret-" * 4, algorithm="HS256")).status_code == 401
    site_secret = client.application.config["JWT_SECRET_KEY"]
    assert me(client, jwt.encode(claims, site_secret, algorithm="HS512")).status_code == 401


def test_expired_token_is_refused(site, client, tokens):
    with site.app_context():
        subject = segments(tokens["accessToken"])[1]["sub"]
        expired = create_access_token(identity=subject, expires_delta=timedelta(seconds=-1),
                                      additional_claims={"fam": "f"})
    assert me(client, expired).status_code == 401


def test_wrong_issuer_or_audience_is_refused(client, tokens):
    claims = segments(tokens["accessToken"])[1]
    secret = client.application.config["JWT_SECRET_KEY"]
    for change in ({"iss": "commerce:another-site"}, {"aud": "another-api"}):
        assert me(client, jwt.encode({**claims, **change}, secret, algorithm="HS256")).status_code == 401


@pytest.mark.parametrize("claim", ["exp", "fam", "jti"])
def test_a_validly_signed_token_lacking_a_claim_we_always_issue_is_refused(client, tokens, log_lines, claim):
    secret = client.application.config["JWT_SECRET_KEY"]
    access, refresh_claims = (segments(tokens[name])[1] for name in ("accessToken", "refreshToken"))
    access.pop(claim), refresh_claims.pop(claim)
    forged_access, forged_refresh = (jwt.encode(claims, secret, algorithm="HS256") for claims in (access, refresh_claims))
    assert me(client, forged_access).status_code == 401
    assert refresh(client, forged_refresh).status_code == 401
    logout = client.post("/api/users/logout", headers={"Authorization": f"Bearer {forged_access}"})
    assert logout.status_code == 401 and logout.mimetype == "application/problem+json"
    assert me(client, tokens["accessToken"]).status_code == 200  # the genuine login lives on
    assert not [line for line in log_lines if line.startswith("ERROR")]


def test_a_refresh_token_is_no_access_token_and_vice_versa(client, tokens):
    assert me(client, tokens["refreshToken"]).status_code == 401
    assert refresh(client, tokens["accessToken"]).status_code == 401


def test_refresh_rotates_and_reuse_revokes_the_whole_family(client, tokens):
    other_login = sign_in(client)
    rotated = refresh(client, tokens["refreshToken"])
    assert rotated.status_code == 200
    assert rotated.json["refreshToken"] != tokens["refreshToken"]
    assert me(client, rotated.json["accessToken"]).status_code == 200

    reused = refresh(client, tokens["refreshToken"])  # the old one again: stolen?
    assert reused.status_code == 401
    for dead in (rotated.json["accessToken"], tokens["accessToken"]):
        assert me(client, dead).status_code == 401
    assert refresh(client, rotated.json["refreshToken"]).status_code == 401
    # another login of the same user is another family and keeps working
    assert me(client, other_login["accessToken"]).status_code == 200
    assert refresh(client, other_login["refreshToken"]).status_code == 200


def test_logout_kills_the_presented_tokens(client, tokens):
    other_login = sign_in(client)
    headers = {"Authorization": f"Bearer {tokens['accessToken']}"}
    response = client.post("/api/users/logout", headers=headers, json={"refreshToken": tokens["refreshToken"]})
    assert response.status_code == 204
    assert me(client, tokens["accessToken"]).status_code == 401
    assert refresh(client, tokens["refreshToken"]).status_code == 401
    assert client.post("/api/users/logout", headers=headers).status_code == 401
    assert me(client, other_login["accessToken"]).status_code == 200


def test_logout_without_a_body_also_kills_the_refresh_token_of_that_login(client, tokens):
    assert client.post("/api/users/logout", headers={"Authorization": f"Bearer {tokens['accessToken']}"}).status_code == 204
    assert refresh(client, tokens["refreshToken"]).status_code == 401


def test_concurrent_reuse_of_one_refresh_token_lets_at_most_one_through(site, tokens):
    results = []
    barrier = threading.Barrier(4)

    def attempt():
        client = site.test_client()
        barrier.wait()
        results.append(refresh(client, tokens["refreshToken"]).status_code)

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 401, 401, 401]


def test_a_browser_refreshes_with_its_cookie_and_gets_the_rotated_one_back(client, tokens):
    """The storefront keeps no refresh token in reach of scripts: the HttpOnly cookie set at
    sign-in is exchanged with an empty body, rotates, and a reused one still revokes the login."""
    first = client.get_cookie("commerce_refresh", path="/api/users").value
    assert first == tokens["refreshToken"]
    rotated = client.post("/api/users/refresh", json={})
    assert rotated.status_code == 200 and rotated.headers["Cache-Control"] == "no-store"
    assert client.get_cookie("commerce_refresh", path="/api/users").value == rotated.json["refreshToken"] != first
    assert me(client, rotated.json["accessToken"]).status_code == 200

    client.set_cookie("commerce_refresh", first, path="/api/users")  # a stolen, already used one
    assert client.post("/api/users/refresh", json={}).status_code == 401
    assert me(client, rotated.json["accessToken"]).status_code == 401


def test_without_cookie_or_body_token_refresh_is_a_422_naming_the_field(site):
    response = site.test_client().post("/api/users/refresh", json={})
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert "refreshToken" in response.json["errors"]


def test_logout_clears_the_refresh_cookie_and_its_token_is_dead(client, tokens):
    answer = client.post("/api/users/logout", headers={"Authorization": f"Bearer {tokens['accessToken']}"})
    assert answer.status_code == 204
    assert client.get_cookie("commerce_refresh", path="/api/users") is None
    client.set_cookie("commerce_refresh", tokens["refreshToken"], path="/api/users")
    assert client.post("/api/users/refresh", json={}).status_code == 401
