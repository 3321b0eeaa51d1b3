"""Build a site and its app for a test: chosen plugins, a throw-away database, immediate jobs."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask

from kernel.app import create_app
from kernel.infrastructure.db import db, site_tables
from kernel.site import build_site


def make_site_data(plugins: list[str], database_url: str, **sections: dict[str, Any]) -> dict[str, Any]:
    """A site's TOML data with a unique name (so cache, limiter and queue keys never clash)."""
    data: dict[str, Any] = {
        "site": {"name": f"t{uuid.uuid4().hex[:10]}", "currency": "USD", "plugins": list(plugins)},
        "database": {"url": database_url},
        "cache": {"url": "simple://"},
        "jobs": {"url": "immediate"},
        "rate_limits": {"default": "10000/minute", "storage_url": "memory://"},
        "logging": {"level": "WARNING"},
        # checkout's own tests pay outside any provider; a test of a provider maps its methods itself
        "payments": {"methods": {"credit_card": "offline", "bank_transfer": "offline"}},
    }
    for section, values in sections.items():
        data.setdefault(section, {}).update(values)
    return data


def build_test_app(data: dict[str, Any], *, create_tables: bool = True, environ: dict | None = None) -> Flask:
    """Create the app of a test site; with ``create_tables`` its tables exist and are empty."""
    import os

    app = create_app(build_site(data, "<test site>", dict(os.environ if environ is None else environ)))
    app.config["TESTING"] = True
    if create_tables:
        with app.app_context():
            db.metadata.create_all(db.engine, tables=site_tables(app.extensions["commerce"].pm))
    return app
