"""WSGI entry point for gunicorn: ``gunicorn kernel.wsgi:app``.

The site comes from ``COMMERCE_SITE``; with ``COMMERCE_SITES=host1=a.toml,host2=b.toml`` one
process serves several sites, dispatched by host name (:mod:`kernel.multisite`).
"""

import os
import sys

from kernel.app import create_app
from kernel.multisite import SITES_ENV, build_dispatcher
from kernel.site import SiteError

try:
    app = build_dispatcher(os.environ[SITES_ENV]) if os.environ.get(SITES_ENV) else create_app()
except SiteError as exc:
    print(f"commerce: cannot start: {exc}", file=sys.stderr)
    sys.exit(4)
