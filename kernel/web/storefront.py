"""The built Angular storefront (``storefront/dist/storefront/browser``) served at ``/``.

Files the build names by content hash are cached for a year; ``index.html`` and every client
route that falls back to it are ``no-cache``, so a new build is picked up on the next visit.
``/api`` and ``/media`` are never answered here: an unknown API path stays a 404 problem.
``COMMERCE_STOREFRONT_DIR`` points elsewhere (an image's copy); without a build, ``/`` is a 404.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from flask import Blueprint, abort, send_from_directory

from kernel.web.auth import public

BUILD_DIR = Path(__file__).resolve().parents[2] / "storefront" / "dist" / "storefront" / "browser"
ONE_YEAR = 365 * 24 * 3600
HASHED_FILE = re.compile(r"-[A-Z0-9]{8}\.(js|css|mjs)$")
NOT_OURS = ("api/", "media/")
# The app's own files only: an injected script or a CDN cannot run on the page that holds the token.
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
               "frame-ancestors 'none'")

storefront = Blueprint("storefront", __name__)


def build_dir() -> Path:
    return Path(os.environ.get("COMMERCE_STOREFRONT_DIR") or BUILD_DIR)


@storefront.get("/", defaults={"path": ""})
@storefront.get("/<path:path>")
@public
def page_or_asset(path: str):
    """A file of the build, else ``index.html`` (the client router draws the page)."""
    root = build_dir()
    if path.startswith(NOT_OURS) or path in ("api", "media") or not (root / "index.html").is_file():
        abort(404)
    if path and (root / path).is_file():
        if HASHED_FILE.search(path):
            response = send_from_directory(root, path, max_age=ONE_YEAR)
            response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
            return response
        response = send_from_directory(root, path, max_age=3600)
        if path != "index.html":
            return response
    else:
        response = send_from_directory(root, "index.html")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    return response
