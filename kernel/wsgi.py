"""WSGI entry point for gunicorn: ``gunicorn kernel.wsgi:app`` with ``COMMERCE_SITE`` set."""

import sys

from kernel.app import create_app
from kernel.site import SiteError

try:
    app = create_app()
except SiteError as exc:
    print(f"commerce: cannot start: {exc}", file=sys.stderr)
    sys.exit(4)
