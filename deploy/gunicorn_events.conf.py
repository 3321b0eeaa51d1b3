"""Gunicorn settings of the events process: ``gunicorn -c deploy/gunicorn_events.conf.py kernel.wsgi:app``.

The same app as the API replicas, but nginx sends it only ``/api/events/stream``, and its worker
is gevent's: an open stream is a greenlet parked on its queue (a few KiB), not one of the few
threads of a gthread worker, so one process holds thousands of idle streams (docs/events.md).
Everything else is ``deploy/gunicorn.conf.py``'s.
"""

import os
import runpy
from pathlib import Path

_API_SETTINGS = runpy.run_path(str(Path(__file__).with_name("gunicorn.conf.py")))
globals().update({name: value for name, value in _API_SETTINGS.items() if not name.startswith("__")})

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8001")
worker_class = "gevent"
workers = _int("EVENTS_WORKERS", 1)  # noqa: F821 - from gunicorn.conf.py
worker_connections = _int("EVENTS_CONNECTIONS", 4000)  # noqa: F821 - open streams a worker accepts
threads = 1
max_requests = 0  # recycling the worker would cut every open stream at once
proc_name = "commerce-events"


def post_fork(server, worker):
    """psycopg2 waits on its socket through gevent, so a stream's outbox read parks its greenlet only."""
    from psycogreen.gevent import patch_psycopg

    patch_psycopg()
