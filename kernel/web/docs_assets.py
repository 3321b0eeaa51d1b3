"""Swagger UI and ReDoc served by the site itself, from the pinned ``openapi-ui-bundles``
package, so ``/api/docs`` and ``/api/redoc`` render with no network (no CDN)."""

from __future__ import annotations

from flask import Blueprint, send_from_directory
from openapi_ui_bundles import redoc, swagger_ui

from kernel.web.auth import public

PREFIX = "/api/docs/assets"
SWAGGER_UI_URL = f"{PREFIX}/swagger-ui/"
REDOC_URL = f"{PREFIX}/redoc/redoc.standalone.js"
ONE_DAY = 24 * 3600

docs_assets = Blueprint("docs_assets", __name__, url_prefix=PREFIX)


@docs_assets.get("/swagger-ui/<path:filename>")
@public
def swagger_ui_asset(filename: str):
    return send_from_directory(swagger_ui.static_path, filename, max_age=ONE_DAY)


@docs_assets.get("/redoc/<path:filename>")
@public
def redoc_asset(filename: str):
    return send_from_directory(redoc.static_path, filename, max_age=ONE_DAY)
