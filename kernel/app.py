"""``create_app(site)``: the composition root that turns a site config into a Flask app."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from flask import Flask, g, request
from flask_caching import Cache
from loguru import logger
from werkzeug.middleware.proxy_fix import ProxyFix

from kernel.context import Commerce
from kernel.events.broadcast import create_broadcast
from kernel.events.log import EventLog
from kernel.identity.wiring import IdentityServices
from kernel.infrastructure.cache import FlaskCache, cache_config
from kernel.infrastructure.db import db, engine_options, ping_idle_connections
from kernel.infrastructure.dev_secrets import fill_generated_secrets
from kernel.infrastructure.logging import configure_logging, register_secrets, request_id
from kernel.infrastructure.mail import create_mailer
from kernel.infrastructure.ratelimit import DefaultLimitCounter, apply_route_limits, init_limiter
from kernel.jobs.huey_queue import create_huey
from kernel.jobs.platform import build_jobs
from kernel.payment_registry import PaymentRegistry
from kernel.plugins import build_plugin_manager, site_secrets
from kernel.site import SiteConfig, SiteError, load_site
from kernel.web.api import CommerceApi, api_config
from kernel.web.cached_reads import CachedReads
from kernel.web.docs_assets import docs_assets
from kernel.web.health import health
from kernel.web.security_headers import install_security_headers, security_headers
from kernel.web.storefront import storefront
from kernel.web.teardown import UnavailableAfterTheAnswer

_REQUEST_ID_OK = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


def create_app(site: SiteConfig | str | os.PathLike | None = None) -> Flask:
    """Build the Flask app of one site. Raises :class:`SiteError` (one line) when it cannot start."""
    if not isinstance(site, SiteConfig):
        site = load_site(site)
    configure_logging(site.logging["level"], site.logging["json"])
    pm = build_plugin_manager(site)
    app = Flask(f"commerce_{site.name}", instance_path=str(site.instance_path), static_folder=None)
    generated_secrets = fill_generated_secrets(site, app.instance_path)
    register_secrets(site_secrets(site, pm))
    app.config.update(
        SECRET_KEY=site.sections["site"]["secret_key"],
        DEBUG=site.sections["site"]["debug"],
        MAX_CONTENT_LENGTH=site.sections["site"]["max_body_bytes"],
        SQLALCHEMY_DATABASE_URI=_database_url(site.database["url"]),
        SQLALCHEMY_ENGINE_OPTIONS=engine_options(site.database["url"], site.database["pool_size"]),
        SQLALCHEMY_ECHO=site.database["echo"],
        JSON_SORT_KEYS=False,
        **api_config(site.name),
    )
    try:
        app.config.update(cache_config(site.cache["url"], site.name, site.cache["default_timeout"], site.redis_options))
        huey = create_huey(site.jobs["url"], f"commerce-{site.name}", site.redis_options)
        broadcast = create_broadcast(site.events_url, site.name, site.redis_options)
    except ValueError as exc:
        raise SiteError(f"{site.source}: {exc}") from None
    db.init_app(app)
    with app.app_context():
        ping_idle_connections(db.engine)
    cache = Cache(app)
    try:
        jobs = build_jobs(app, site.jobs, huey, [spec for specs in pm.hook.commerce_tasks(site=site) for spec in specs])
        mailer = create_mailer(site.mail, app.create_global_jinja_loader())
    except ValueError as exc:
        raise SiteError(f"{site.source}: {exc}") from None
    services = app.extensions["commerce"] = Commerce(
        site=site, pm=pm, cache=FlaskCache(cache), jobs_platform=jobs, payments=PaymentRegistry.from_site(site, pm),
        identity=IdentityServices.for_site(site, pm.hook.commerce_permissions()), mailer=mailer,
        events=EventLog(site.name, pm, broadcast, site.events))
    limiter = services.limiter = init_limiter(app, site)

    api = services.api = CommerceApi(app)
    app.register_blueprint(health)
    app.register_blueprint(docs_assets)
    limiter.request_filter(lambda: request.blueprint in (health.name, docs_assets.name, storefront.name))  # not even a storage check
    for blueprints in pm.hook.commerce_blueprints(site=site):
        for blueprint in blueprints:
            api.register_blueprint(blueprint)
    app.register_blueprint(storefront)  # last: its catch-all route yields to every other rule
    own_limits = apply_route_limits(app, limiter, site)
    for commands in pm.hook.commerce_cli_commands():
        for command in commands:
            app.cli.add_command(command)
    _install_request_id(app)
    install_security_headers(app, https=site.security["https"])
    pm.hook.commerce_app_created(app=app, site=site)
    app.wsgi_app = UnavailableAfterTheAnswer(app.wsgi_app, request_id_for)
    _install_cached_reads(app, site, limiter, own_limits)
    if site.security["trusted_proxies"]:  # outermost: everything behind it sees the client's address
        n = site.security["trusted_proxies"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    if generated_secrets:
        logger.warning("{}", generated_secrets)
    return app


def _database_url(url: str) -> str:
    """The site's URL (its paths already absolute), with the folder of a SQLite file created."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url[len("sqlite:///"):].partition("?")[0]).parent.mkdir(parents=True, exist_ok=True)
    return url


def request_id_for(given: str) -> str:
    """The client's ``X-Request-ID`` when it is a sane one, else a new id."""
    return given if 0 < len(given) <= 64 and set(given) <= _REQUEST_ID_OK else uuid.uuid4().hex


def _install_request_id(app: Flask) -> None:
    @app.before_request
    def assign_request_id():
        rid = request_id_for(request.headers.get("X-Request-ID", ""))
        g.request_id_token = request_id.set(rid)
        g.request_id = rid

    @app.after_request
    def echo_request_id(response):
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        return response

    @app.teardown_request
    def reset_request_id(_exc):
        token = g.pop("request_id_token", None)
        if token is not None:
            request_id.reset(token)


def _install_cached_reads(app: Flask, site: SiteConfig, limiter, own_limits: set[str]) -> None:
    """Put :class:`CachedReads` in front of the app for the plugins' cached reads that only the
    site's default rate limit applies to. Not on a site without a cache, nor on one with CORS
    origins: flask-cors adds its headers to every answer there, and the cached reads do not copy them."""
    if site.cache["url"] == "null://" or site.security["cors_origins"]:
        return
    count_hit = DefaultLimitCounter.for_site(limiter, site)
    reads = {endpoint: read for reads in app.extensions["commerce"].pm.hook.commerce_cached_reads(app=app, site=site)
             for endpoint, read in reads.items() if endpoint not in own_limits}
    if not reads or count_hit is None:
        return
    https = site.security["https"]

    def common_headers(environ):
        yield from security_headers(https=https, secure_request=environ["wsgi.url_scheme"] == "https").items()
        yield "X-Request-ID", request_id_for(environ.get("HTTP_X_REQUEST_ID", ""))

    app.wsgi_app = CachedReads(app.wsgi_app, app.url_map, reads, count_hit=count_hit,
                               common_headers=common_headers)
