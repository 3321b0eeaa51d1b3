"""Gunicorn settings for ``gunicorn -c deploy/gunicorn.conf.py kernel.wsgi:app``.

Every number comes from the environment so that one image fits every machine size. The site
comes from ``COMMERCE_SITE`` (or ``COMMERCE_SITES``), read by :mod:`kernel.wsgi`.

On SIGTERM gunicorn stops accepting connections, lets in-flight requests finish for up to
``GUNICORN_GRACEFUL_TIMEOUT`` seconds, then exits: give the container (``stop_grace_period``)
or the orchestrator (``terminationGracePeriodSeconds``) a few seconds more than that.
"""

import os
import signal


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("WEB_CONCURRENCY", 2)
# Threaded, not sync: a sync worker is held by one slow or idle client until ``timeout``; a gthread
# worker parks idle and kept-alive connections in its poller and gives a thread only to a request
# whose bytes have arrived (nginx in front buffers slow uploads: proxy_request_buffering).
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
# Gunicorn's own refusals come before the app's: let through every request line the app answers
# itself (a query string up to kernel.web.api.MAX_QUERY_BYTES gets the app's 414 problem), and keep
# gunicorn's header limits, which the app has no smaller ones for.
limit_request_line = 8190  # gunicorn's maximum; the app's query limit is 4096 bytes
limit_request_fields = 100
limit_request_field_size = 8190
timeout = _int("GUNICORN_TIMEOUT", 30)  # a worker silent this long is killed and replaced
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 25)
# Longer than the load balancer's idle upstream keep-alive, so the balancer closes first.
keepalive = _int("GUNICORN_KEEPALIVE", 75)
# Recycle workers now and then (a slow leak in a library never becomes an outage).
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Each worker builds its own app: database pools and Redis clients are never shared across a fork.
preload_app = False
# The heartbeat file on tmpfs: a container's overlay filesystem can stall it.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm" if os.path.isdir("/dev/shm") else None)
# The app's own log lines (loguru, JSON on a production site) carry the request id; the balancer
# logs every request, so gunicorn's access log is off unless asked for ("-" is stdout).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client addresses and scheme come from the proxy headers through the app's ProxyFix
# ([security] trusted_proxies), never from gunicorn's own forwarded-header handling.
forwarded_allow_ips = ""
proc_name = "commerce-api"
# gunicorn >= 25's control socket is not used; off, so replicas on one host never share its path.
control_socket_disable = True


def on_starting(server):
    """Tell the site how many workers and threads really serve it (command-line flags included):
    a production site refuses per-process rate-limit counters behind more than one."""
    os.environ["WEB_CONCURRENCY"] = str(server.cfg.workers)
    os.environ["GUNICORN_THREADS"] = str(server.cfg.threads)


def post_worker_init(worker):
    """Stop listening the moment SIGTERM arrives, not when the last in-flight request is done.

    On SIGTERM gunicorn's workers stop accepting but keep the listening socket open until they
    exit (gunicorn issues 922 and 3397): meanwhile the kernel still completes connections from
    the load balancer, which then wait in the backlog and are reset when the worker exits. Each
    worker closes its copy at once instead, so the socket is gone as soon as every process has
    let go: the balancer's next connection is refused and goes to another replica, while the
    requests already accepted finish within ``graceful_timeout``.

    The closing runs in the worker's own event loop (queued with ``method_queue.defer``), never in
    the signal handler: a handler runs between any two bytecodes of that loop, which could then
    register the closed socket again and crash the worker (exit 255, its requests lost). Only for
    the threaded worker, which has ``set_accept_enabled`` and ``method_queue``; with any other
    worker nothing changes (and ``deploy/prove_topology.py`` notices).
    """
    worker.log.info("Worker ready (pid: %s)", worker.pid)  # the app is loaded: it serves from now on
    if not (hasattr(worker, "set_accept_enabled") and hasattr(worker, "method_queue")):
        return
    accept, set_accept_enabled = worker.accept, worker.set_accept_enabled

    def accept_while_running(listener):
        try:
            if worker.alive:
                accept(listener)
        except (OSError, AttributeError):
            if worker.alive:  # not the socket closed below: a real error
                raise

    def accept_only_while_running(enabled):
        set_accept_enabled(enabled and worker.alive)

    def stop_listening():
        set_accept_enabled(False)
        for listener in worker.sockets:
            listener.close()

    worker.accept = accept_while_running  # registered with the poller when run() starts
    worker.set_accept_enabled = accept_only_while_running
    finish_in_flight = signal.getsignal(signal.SIGTERM)

    def on_sigterm(signum, frame):
        finish_in_flight(signum, frame)  # gunicorn's own handler: alive = False, wake the loop
        worker.method_queue.defer(stop_listening)

    signal.signal(signal.SIGTERM, on_sigterm)
