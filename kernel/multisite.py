"""Several sites in one process, dispatched by host name.

``COMMERCE_SITES="shop-a.example=sites/a.toml,shop-b.example=sites/b.toml" gunicorn kernel.wsgi:app``
serves each site's own app (own plugins, database, cache prefix and limits) on its host names.
Host names that share a site file share one app. A request for any other host gets a 404
problem. The proxy in front must pass the original ``Host`` header.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

from flask import Flask
from werkzeug.wrappers import Response

from kernel.site import SiteError

SITES_ENV = "COMMERCE_SITES"
_PORT = re.compile(r":\d+$")


def parse_sites(spec: str) -> dict[str, str]:
    """``"host1=path1,host2=path2"`` -> ``{host: path}``; raises :class:`SiteError` on a bad entry."""
    sites = {}
    for entry in filter(None, (part.strip() for part in spec.split(","))):
        host, separator, path = (item.strip() for item in entry.partition("="))
        if not separator or not host or not path:
            raise SiteError(f"{SITES_ENV}: {entry!r} is not HOST=SITE_FILE")
        sites[host.lower()] = path
    if not sites:
        raise SiteError(f"{SITES_ENV} names no site (expected host1=sites/a.toml,host2=sites/b.toml)")
    return sites


class HostDispatcher:
    """A WSGI app that hands each request to the app of the site serving its host name."""

    def __init__(self, apps: Mapping[str, Flask]):
        self.apps = {host.lower(): app for host, app in apps.items()}

    def __call__(self, environ: dict, start_response) -> Iterable[bytes]:
        host = _PORT.sub("", environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")).lower()
        app = self.apps.get(host)
        if app is None:
            return _no_site(environ)(environ, start_response)
        return app(environ, start_response)


def build_dispatcher(sites: str | Mapping[str, str]) -> HostDispatcher:
    """Build every site's app once (raising :class:`SiteError` if one cannot start)."""
    from kernel.app import create_app

    hosts = parse_sites(sites) if isinstance(sites, str) else dict(sites)
    apps_by_file: dict[str, Flask] = {}
    names: dict[str, str] = {}
    for path in dict.fromkeys(hosts.values()):
        app = create_app(path)
        name = app.extensions["commerce"].site.name
        if name in names:  # cache, limiter and queue keys are prefixed by the site name
            raise SiteError(f"{SITES_ENV}: {names[name]} and {path} are both named {name!r}; site names must differ")
        names[name] = path
        apps_by_file[path] = app
    return HostDispatcher({host: apps_by_file[path] for host, path in hosts.items()})


def _no_site(environ: dict) -> Response:
    body = {"type": "about:blank", "title": "Not Found", "status": 404,
            "detail": "No site is served at this host name.", "instance": environ.get("PATH_INFO", "/")}
    return Response(json.dumps(body), status=404, mimetype="application/problem+json")
