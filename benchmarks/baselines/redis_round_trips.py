"""The ceiling of any server that keeps its answers in Redis and counts each request there.

A plain WSGI callable (no framework at all) that does the two round trips a cached listing
cannot do without, and nothing else: count the client's request (the kernel's limiter script)
and read the cached answer with its generation (one ``MGET``). ``BENCH_BODY_FILE`` holds the
answer (the shop's own listing bytes), ``BENCH_REDIS_URL`` the Redis database. Run under the
same gunicorn settings as the shop.
"""

import os
from pathlib import Path

import redis

from kernel.infrastructure.ratelimit_storage import INCR_WITH_TTL

PREFIX = "commerce:bench:ceiling"
client = redis.Redis.from_url(os.environ["BENCH_REDIS_URL"])
client.set(f"{PREFIX}:answer", Path(os.environ["BENCH_BODY_FILE"]).read_bytes())
count_hit = client.register_script(INCR_WITH_TTL)


def app(environ, start_response):
    count_hit([f"{PREFIX}:limit:{environ.get('REMOTE_ADDR')}"], [60, 1])
    _generation, body = client.mget(f"{PREFIX}:generation", f"{PREFIX}:answer")
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
