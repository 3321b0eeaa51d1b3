"""User administration, rate limits, secure headers, CORS, production checks and the admin CLI."""

import pytest
from click.testing import CliRunner

from kernel.cli import cli
from kernel.site import SiteError

PASSWORD = "SecurePassword123!"


@pytest.fixture
def client(app):
    return app.test_client()


def test_customers_and_staff_get_403_on_admin_endpoints(app, client, auth_headers):
    target = auth_headers(app)
    for role in ("customer", "staff"):
        headers = auth_headers(app, role)
        for method, path in [("GET", "/api/users"), ("PUT", f"/api/users/{target.user_id}/roles/admin"),
                             ("POST", f"/api/users/{target.user_id}/deactivate")]:
            response = client.open(path, method=method, headers=headers)
            assert response.status_code == 403, (role, path)
    assert client.get("/api/users").status_code == 401


def test_admin_lists_users_and_grants_and_revokes_roles(app, client, auth_headers):
    admin, shopper = auth_headers(app, "admin"), auth_headers(app, email="shopper@example.com")
    listed = client.get("/api/users?email=shopper", headers=admin)
    assert listed.status_code == 200
    assert listed.json["totalCount"] == 1 and listed.json["items"][0]["roles"] == ["customer"]
    assert "password" not in listed.get_data(as_text=True).lower()

    granted = client.put(f"/api/users/{shopper.user_id}/roles/staff", headers=admin)
    assert granted.status_code == 200 and granted.json["roles"] == ["customer", "staff"]
    assert client.get("/api/guarded/whoami", headers=shopper).json["canWrite"] is True  # at once
    revoked = client.delete(f"/api/users/{shopper.user_id}/roles/staff", headers=admin)
    assert revoked.json["roles"] == ["customer"]
    assert client.post("/api/guarded/widgets", headers=shopper).status_code == 403
    assert client.put(f"/api/users/{shopper.user_id}/roles/owner", headers=admin).status_code == 404
    assert client.delete(f"/api/users/{admin.user_id}/roles/admin", headers=admin).status_code == 409


def test_deactivated_users_tokens_stop_working_at_once(app, client, auth_headers):
    admin = auth_headers(app, "admin")
    client.post("/api/users/register", json={"email": "leaver@example.com", "password": PASSWORD})
    tokens = client.post("/api/users/login", json={"email": "leaver@example.com", "password": PASSWORD}).json
    user_id = client.get("/api/users/me", headers={"Authorization": f"Bearer {tokens['accessToken']}"}).json["id"]

    response = client.post(f"/api/users/{user_id}/deactivate", headers=admin)
    assert response.status_code == 200 and response.json["isActive"] is False
    assert client.get("/api/users/me", headers={"Authorization": f"Bearer {tokens['accessToken']}"}).status_code == 401
    assert client.post("/api/users/refresh", json={"refreshToken": tokens["refreshToken"]}).status_code == 401
    login = client.post("/api/users/login", json={"email": "leaver@example.com", "password": PASSWORD})
    assert login.status_code == 401 and login.json["detail"] == "The email or password is wrong."

    assert client.post(f"/api/users/{user_id}/activate", headers=admin).json["isActive"] is True
    assert client.get("/api/users/me", headers={"Authorization": f"Bearer {tokens['accessToken']}"}).status_code == 401
    assert client.post("/api/users/login", json={"email": "leaver@example.com", "password": PASSWORD}).status_code == 200


def test_sixth_registration_in_an_hour_is_429_with_retry_after(make_app, redis_server_url):
    app = make_app(backend="postgres", rate_limits={"storage_url": redis_server_url})
    client = app.test_client()
    statuses = [client.post("/api/users/register", json={"email": f"u{i}@example.com", "password": PASSWORD}).status_code
                for i in range(6)]
    assert statuses == [201] * 5 + [429]
    refused = client.post("/api/users/register", json={"email": "u9@example.com", "password": PASSWORD})
    assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
    assert 0 < int(refused.headers["Retry-After"]) <= 3600


def test_a_site_sets_its_own_registration_limit(make_app):
    app = make_app(rate_limits={"POST /api/users/register": "2/hour"})
    client = app.test_client()
    statuses = [client.post("/api/users/register", json={"email": f"u{i}@example.com", "password": PASSWORD}).status_code
                for i in range(3)]
    assert statuses == [201, 201, 429]


def test_failed_logins_are_limited_per_account_across_clients(make_app, redis_server_url):
    app = make_app(backend="postgres", rate_limits={"storage_url": redis_server_url, "login_per_account": "3/minute"})
    client = app.test_client()
    client.post("/api/users/register", json={"email": "target@example.com", "password": PASSWORD})

    def login(address, password, email="target@example.com"):
        return client.post("/api/users/login", json={"email": email, "password": password},
                           environ_base={"REMOTE_ADDR": address})

    for i in range(3):  # three attackers, one attempt each: the account is now over its limit
        assert login(f"10.0.0.{i}", "Guess123456!", email="Target@example.com").status_code == 401
    for i in range(3):  # each attacker that failed on it is refused, even with the right password
        blocked = login(f"10.0.0.{i}", PASSWORD)
        assert blocked.status_code == 429 and blocked.mimetype == "application/problem+json"
        assert 0 < int(blocked.headers["Retry-After"]) <= 60
    assert login("10.0.0.99", PASSWORD).status_code == 200  # the owner, who has not failed, gets in
    assert login("10.0.0.98", "Guess123456!").status_code == 401  # a new guesser gets one check...
    assert login("10.0.0.98", PASSWORD).status_code == 429  # ...then is refused like the others
    assert login("10.0.0.0", PASSWORD, email="other@example.com").status_code == 401  # other accounts are open


def test_logins_are_limited_per_client(make_app):
    app = make_app(rate_limits={"POST /api/users/login": "2/minute"})
    client = app.test_client()
    statuses = [client.post("/api/users/login", json={"email": f"u{i}@example.com", "password": PASSWORD}).status_code
                for i in range(3)]
    assert statuses == [401, 401, 429]


def test_secure_headers_and_hsts_behind_https(make_app):
    plain = make_app().test_client().get("/healthz")
    assert plain.headers["X-Content-Type-Options"] == "nosniff"
    assert plain.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in plain.headers
    secure = make_app(security={"https": True}).test_client().get("/healthz")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_api_keeps_no_cookie_session(app, client, auth_headers):
    """Bearer tokens only: no answer sets a cookie or varies on one, so shared caches may keep
    public answers, and a session cookie a client sends logs nobody in."""
    headers = auth_headers(app)
    answers = [client.get("/api/openapi.json"), client.get("/api/users/me", headers=headers),
               client.post("/api/users/login", json={"email": "nobody@example.com", "password": PASSWORD})]
    for answer in answers:
        assert "Set-Cookie" not in answer.headers
        assert "Cookie" not in answer.headers.get("Vary", "")
    client.set_cookie("session", "forged")
    assert client.get("/api/users/me").status_code == 401


def test_cors_allows_only_the_configured_origins(make_app):
    client = make_app(security={"cors_origins": ["https://shop.example"]}).test_client()
    preflight = client.options("/api/users/login", headers={
        "Origin": "https://shop.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Authorization, Content-Type"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "authorization" in preflight.headers["Access-Control-Allow-Headers"].lower()
    foreign = client.get("/api/openapi.json", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in foreign.headers


@pytest.mark.parametrize("sections, environ, message", [
    ({}, {}, "[security] jwt_secret"),
    ({"security": {"jwt_secret": "s" * 40}}, {}, "[site] secret_key"),
    ({"security": {"jwt_secret": "short"}, "site": {"secret_key": "k" * 40}}, {}, "[security] jwt_secret"),
    ({"security": {"jwt_secret": "s" * 40}, "site": {"secret_key": "k" * 40, "debug": True}}, {}, "[site] debug"),
    ({"security": {"jwt_secret": "s" * 40}, "site": {"secret_key": "k" * 40}}, {"WEB_CONCURRENCY": "4"},
     "[rate_limits] storage_url"),
])
def test_a_production_site_refuses_unsafe_settings(make_app, monkeypatch, sections, environ, message):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    sections.setdefault("site", {})["production"] = True
    with pytest.raises(SiteError) as raised:
        make_app(**sections)
    assert message in str(raised.value)


def test_a_production_site_with_safe_settings_starts(make_app, monkeypatch, redis_server_url):
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    app = make_app(site={"production": True, "secret_key": "k" * 40},
                   security={"jwt_secret": "s" * 40}, rate_limits={"storage_url": redis_server_url})
    assert app.test_client().get("/healthz").status_code == 200


def test_create_admin_from_the_command_line(tmp_path):
    site_file = tmp_path / "shop.toml"
    db_url = f"sqlite:///{tmp_path / 'shop.db'}"
    site_file.write_text(f'[site]\nname = "shop"\n[database]\nurl = "{db_url}"\n[jobs]\nurl = "immediate"\n')
    runner = CliRunner()
    assert runner.invoke(cli, ["--site", str(site_file), "db", "upgrade"]).exit_code == 0
    weak = runner.invoke(cli, ["--site", str(site_file), "users", "create-admin", "boss@shop.example"], input="123\n")
    assert weak.exit_code != 0 and "password" in weak.output
    created = runner.invoke(cli, ["--site", str(site_file), "users", "create-admin", "boss@shop.example"],
                            input=f"{PASSWORD}\n")
    assert created.exit_code == 0, created.output
    assert PASSWORD not in created.output

    from kernel.app import create_app

    client = create_app(str(site_file)).test_client()
    tokens = client.post("/api/users/login", json={"email": "boss@shop.example", "password": PASSWORD}).json
    assert client.get("/api/users", headers={"Authorization": f"Bearer {tokens['accessToken']}"}).status_code == 200


def test_passwords_and_tokens_never_reach_the_logs(make_app, request):
    app = make_app(logging={"level": "DEBUG"})
    log_lines = request.getfixturevalue("log_lines")  # after the app has set up logging
    client = app.test_client()
    client.post("/api/users/register", json={"email": "quiet@example.com", "password": PASSWORD})
    client.post("/api/users/login", json={"email": "quiet@example.com", "password": "WrongPassword99!"})
    tokens = client.post("/api/users/login", json={"email": "quiet@example.com", "password": PASSWORD}).json
    client.post("/api/users/refresh", json={"refreshToken": tokens["refreshToken"]})
    client.post("/api/users/refresh", json={"refreshToken": tokens["refreshToken"]})
    text = "\n".join(log_lines)
    assert "refresh token reused" in text
    for secret in (PASSWORD, "WrongPassword99!", tokens["accessToken"], tokens["refreshToken"], "$argon2"):
        assert secret not in text


def test_a_deleted_users_token_is_refused(app, client, auth_headers):
    from sqlalchemy import delete

    from kernel.identity.orm import User
    from kernel.infrastructure.db import db

    shopper = auth_headers(app)
    assert client.get("/api/users/me", headers=shopper).status_code == 200
    with app.app_context():
        db.session.execute(delete(User).where(User.id == shopper.user_id))
        db.session.commit()
    assert client.get("/api/users/me", headers=shopper).status_code == 401
