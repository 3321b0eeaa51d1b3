"""The ceiling of a cached answer kept in Redis under a rate limit counted in Redis.

Bare Flask plus the two round trips a cached listing cannot do without, and nothing else: count
the client's request (the kernel's limiter script) and read the cached answer with its
generation (one ``MGET``). ``BENCH_BODY_FILE`` holds the answer (the shop's own listing bytes),
``BENCH_REDIS_URL`` the Redis database. Run under the same gunicorn settings as the shop.
"""

import os
from pathlib import Path

import redis
from flask import Flask, Response, request

from kernel.infrastructure.ratelimit_storage import INCR_WITH_TTL

PREFIX = "commerce:bench:ceiling"
client = redis.Redis.from_url(os.environ["BENCH_REDIS_URL"])
client.set(f"{PREFIX}:answer", Path(os.environ["BENCH_BODY_FILE"]).read_bytes())
count_hit = client.register_script(INCR_WITH_TTL)

app = Flask(__name__)


@app.get("/api/products")
def products():
    count_hit([f"{PREFIX}:limit:{request.remote_addr}"], [60, 1])
    _generation, body = client.mget(f"{PREFIX}:generation", f"{PREFIX}:answer")
    return Response(body, mimetype="application/json")
