"""Pytest fixtures for the kernel's and plugins' tests.

``make_app(plugins=[...], **sections)`` builds a site on a fresh database: a PostgreSQL
schema when ``$COMMERCE_TEST_DATABASE_URL`` is set (``backend="postgres"`` requires it),
otherwise a SQLite file. ``pg_required`` and ``redis_required`` skip, with the reason shown,
when those servers are not configured.
"""

from __future__ import annotations

import uuid

import pytest
import redis
from loguru import logger

from kernel.infrastructure.db import db
from kernel.testing.databases import POSTGRES_ENV, REDIS_ENV, PostgresSchema, postgres_url, redis_url
from kernel.testing.sites import build_test_app, make_site_data


@pytest.fixture
def pg_url():
    url = postgres_url()
    if not url:
        pytest.skip(f"PostgreSQL test skipped: set {POSTGRES_ENV} (e.g. postgresql+psycopg2://postgres@127.0.0.1:5432/test)")
    return url


@pytest.fixture
def redis_server_url():
    url = redis_url()
    if not url:
        pytest.skip(f"Redis test skipped: set {REDIS_ENV} (e.g. redis://127.0.0.1:6379/0)")
    return url


def forget_site_keys(url: str, name: str) -> None:
    """Delete a test site's Redis keys: cache, limits, tokens (``commerce:<name>:``) and its Huey queue."""
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        for pattern in (f"*commerce:{name}:*", f"huey.*commerce{name.replace('-', '')}*"):
            for key in client.scan_iter(pattern):
                client.delete(key)
    except redis.ConnectionError:  # a test of an unreachable Redis: nothing was stored there
        pass
    finally:
        client.close()


@pytest.fixture
def site_name(redis_server_url):
    """A site name no other test uses; its Redis keys (cache, limits, queue) are removed afterwards."""
    name = f"t{uuid.uuid4().hex[:10]}"
    yield name
    forget_site_keys(redis_server_url, name)


@pytest.fixture
def make_app(tmp_path):
    """Factory: ``make_app(["catalog"], backend="postgres", cache={"url": ...}, settings={"catalog": {...}})``.

    Keyword arguments other than ``backend``/``create_tables``/``environ``/``settings`` are
    site sections; ``settings`` holds the ``[plugins.<name>]`` tables.
    """
    schemas: list[PostgresSchema] = []
    apps = []

    def factory(plugins=(), *, backend: str = "auto", create_tables: bool = True, environ=None, settings=None,
                **sections):
        server = postgres_url()
        if backend == "postgres" and not server:
            pytest.skip(f"PostgreSQL test skipped: set {POSTGRES_ENV}")
        if backend in ("postgres", "auto") and server:
            schema = PostgresSchema(server)
            schemas.append(schema)
            url = schema.url
        else:
            url = f"sqlite:///{tmp_path / f'site{len(apps)}.db'}"
        # the site's own files (the default mail folder included) stay in the test's folder
        sections["site"] = {"instance_path": str(tmp_path / "instance"), **sections.get("site", {})}
        data = make_site_data(list(plugins), url, **sections)
        data["plugins"] = settings or {}
        app = build_test_app(data, create_tables=create_tables, environ=environ)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        site = app.extensions["commerce"].site
        for url in site.redis_urls:  # a test leaves no key behind (a generation counter has no TTL)
            forget_site_keys(url, site.name)
    for schema in schemas:
        schema.drop()


@pytest.fixture
def log_lines():
    """Every log line (with tracebacks) written while the test runs, as one list of strings."""
    lines: list[str] = []
    sink = logger.add(lambda message: lines.append(str(message)), level="DEBUG",
                      format="{level} {message}\n{exception}")
    yield lines
    logger.remove(sink)


@pytest.fixture
def auth_headers():
    """Factory: ``auth_headers(app, role="customer"|"staff"|"admin"|<a plugin's role>, email=None)``.

    Creates an active user with that role in ``app``'s database and returns an
    :class:`kernel.testing.identity.AuthHeaders`: a dict ``{"Authorization": "Bearer <access token>"}``
    to pass as ``headers=``, whose ``.user_id`` is the new user's id (``.email`` and ``.password``
    let a test sign in over HTTP too). Permissions are the role's, as the site grants them.
    """
    from kernel.testing.identity import sign_in_test_user

    return sign_in_test_user


@pytest.fixture
def app(make_app):
    """A site with no optional plugin (kernel only)."""
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def record_events():
    """``record_events(app, *types)`` → an :class:`~kernel.testing.fakes.EventRecorder` of the
    domain events the site delivers from now on (only those ``types``, when given)."""
    from kernel.testing.fakes import EventRecorder

    def subscribe(app, *types) -> EventRecorder:
        recorder = EventRecorder(*types)
        app.extensions["commerce"].pm.register(recorder)
        return recorder

    return subscribe
