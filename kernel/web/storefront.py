"""The built Angular storefront (``storefront/dist/storefront/browser``) served at ``/``.

Files the build names by content hash are cached for a year; ``index.html`` and every client
route that falls back to it are ``no-cache``, so a new build is picked up on the next visit.
Text files go out gzip-compressed to clients that accept it (compressed once per file version).
``/api`` and ``/media`` are never answered here: an unknown API path stays a 404 problem.
``COMMERCE_STOREFRONT_DIR`` points elsewhere (an image's copy); without a build, ``/`` is a 404.
nginx applies the same rules in production (``deploy/nginx.conf.template``).
"""

from __future__ import annotations

import gzip
import mimetypes
import os
import re
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, request, send_file
from werkzeug.routing import PathConverter
from werkzeug.security import safe_join

from kernel.web.auth import public

BUILD_DIR = Path(__file__).resolve().parents[2] / "storefront" / "dist" / "storefront" / "browser"
ONE_YEAR = 365 * 24 * 3600
HASHED_FILE = re.compile(r"-[A-Z0-9]{8}\.(js|css|mjs)$")
COMPRESSIBLE = (".js", ".mjs", ".css", ".html", ".svg", ".json", ".txt")
# The app's own files only: an injected script or a CDN cannot run on the page that holds the token.
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
               "frame-ancestors 'none'")



class ClientPath(PathConverter):
    """A path outside ``/api`` and ``/media``: the routing itself leaves those to their own rules,
    so an API path's ``Allow`` header and 405 never mention the storefront's GET."""

    regex = r"(?!(?:api|media)(?:/|$))" + PathConverter.regex


storefront = Blueprint("storefront", __name__)
storefront.record_once(lambda state: state.app.url_map.converters.setdefault("client_path", ClientPath))


def build_dir() -> Path:
    return Path(os.environ.get("COMMERCE_STOREFRONT_DIR") or BUILD_DIR)


@storefront.get("/", defaults={"path": ""})
@storefront.get("/<client_path:path>")
@public
def page_or_asset(path: str):
    """A file of the build, else ``index.html`` (the client router draws the page)."""
    root = build_dir()
    if not (root / "index.html").is_file():
        abort(404)
    found = safe_join(str(root), path) if path else None
    if found and Path(found).is_file() and path != "index.html":
        cache = f"public, max-age={ONE_YEAR}, immutable" if HASHED_FILE.search(path) else "public, max-age=3600"
        return _file(Path(found), cache)
    response = _file(root / "index.html", "no-cache")
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    return response


def _file(path: Path, cache_control: str) -> Response:
    if path.suffix in COMPRESSIBLE and "gzip" in request.headers.get("Accept-Encoding", ""):
        stat = path.stat()
        response = Response(_gzipped(str(path), stat.st_mtime_ns, stat.st_size),
                            mimetype=mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = send_file(path, conditional=False, etag=False)
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = cache_control
    return response


@lru_cache(maxsize=128)
def _gzipped(path: str, _mtime_ns: int, _size: int) -> bytes:
    """The file compressed, once per version of it (its modification time and size are the key)."""
    return gzip.compress(Path(path).read_bytes(), 9)
