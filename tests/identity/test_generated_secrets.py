"""No secret written in the repository signs anything: a site without ``jwt_secret`` or
``secret_key`` signs with keys generated on its first start and kept in its instance folder."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jwt
import pytest

from kernel.app import create_app
from kernel.infrastructure.db import db
from kernel.infrastructure.logging import configure_logging
from kernel.site import SiteError, build_site

OLD_PUBLISHED_SECRET = "dev-insecure-secret-change-me-0123456789abcdef"  # what the repository used to sign with
PASSWORD = "SecurePassword123!"


@pytest.fixture
def site_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the instance folder
    configure_logging("WARNING")  # now, so that starting the site keeps log_lines' sink
    return {"site": {"name": f"g{uuid.uuid4().hex[:8]}"}, "database": {"url": f"sqlite:///{tmp_path / 'g.db'}"},
            "jobs": {"url": "immediate"}, "rate_limits": {"storage_url": "memory://"},
            "logging": {"level": "WARNING"}}


def start(data, create_tables=True):
    app = create_app(build_site(json.loads(json.dumps(data)), "<test site>", {}))
    if create_tables:
        with app.app_context():
            db.create_all()
    return app


def admin_token(app, secret: str) -> str:
    with app.app_context():
        config = app.config
        claims = {"sub": "x", "jti": uuid.uuid4().hex, "fam": "f", "type": "access", "fresh": False,
                  "iss": config["JWT_ENCODE_ISSUER"], "aud": config["JWT_ENCODE_AUDIENCE"], "exp": 2_000_000_000}
    return jwt.encode(claims, secret, algorithm="HS256")


def test_a_token_minted_with_the_old_published_constant_is_refused(site_data, log_lines):
    app = start(site_data)
    forged = admin_token(app, OLD_PUBLISHED_SECRET)
    assert app.test_client().get("/api/users/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    assert app.config["JWT_SECRET_KEY"] != OLD_PUBLISHED_SECRET and len(app.config["JWT_SECRET_KEY"]) >= 32
    assert app.config["SECRET_KEY"] not in (OLD_PUBLISHED_SECRET, app.config["JWT_SECRET_KEY"])
    assert any("WARNING" in line and "development keys generated" in line for line in log_lines)


def test_the_generated_keys_are_kept_so_tokens_survive_a_restart(site_data, tmp_path):
    first = start(site_data)
    client = first.test_client()
    client.post("/api/users/register", json={"email": "keep@example.com", "password": PASSWORD})
    access = client.post("/api/users/login", json={"email": "keep@example.com", "password": PASSWORD}).json["accessToken"]
    stored = Path(first.instance_path) / f"{site_data['site']['name']}-secrets.json"
    assert stored.stat().st_mode & 0o077 == 0  # readable by its owner only
    restarted = start(site_data)
    answer = restarted.test_client().get("/api/users/me", headers={"Authorization": f"Bearer {access}"})
    assert answer.status_code == 200
    other_site = start({**site_data, "site": {"name": site_data["site"]["name"] + "b"}})
    assert other_site.config["JWT_SECRET_KEY"] != restarted.config["JWT_SECRET_KEY"]


def test_workers_starting_together_agree_on_one_key(site_data):
    with ThreadPoolExecutor(max_workers=4) as pool:
        keys = set(pool.map(lambda _: start(site_data, create_tables=False).config["JWT_SECRET_KEY"], range(4)))
    assert len(keys) == 1


def test_a_configured_secret_is_used_and_nothing_is_generated(site_data, tmp_path):
    app = start({**site_data, "security": {"jwt_secret": "j" * 40}, "site": {**site_data["site"], "secret_key": "k" * 40}})
    assert app.config["JWT_SECRET_KEY"] == "j" * 40 and app.config["SECRET_KEY"] == "k" * 40
    assert not list((tmp_path / "instance").glob("*-secrets.json"))


def test_a_production_site_without_secrets_refuses_to_start_and_generates_none(site_data, tmp_path):
    with pytest.raises(SiteError, match=r"\[security\] jwt_secret"):
        start({**site_data, "site": {**site_data["site"], "production": True}})
    assert not list((tmp_path / "instance").glob("*-secrets.json"))
