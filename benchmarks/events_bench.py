"""Events benchmark: events per second from checkout, commit-to-subscriber latency across
processes, and the memory of idle Server-Sent Event streams held by the events process.

Run (about a minute; not part of the test suite):

    COMMERCE_TEST_DATABASE_URL=postgresql+psycopg2://postgres@127.0.0.1:5432/test \\
    COMMERCE_TEST_REDIS_URL=redis://127.0.0.1:6379/15 \\
        python benchmarks/events_bench.py [--orders 300] [--latency-orders 100] [--streams 1000]

It writes a site on a throw-away PostgreSQL schema (dropped at the end), starts the events
process exactly as deployed (``deploy/gunicorn_events.conf.py``: one gevent worker), places
orders through this process's app, and reads them back on a staff stream of the other process.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path

import requests
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_servers  # noqa: E402

from kernel.app import create_app  # noqa: E402
from kernel.events.orm import event_outbox  # noqa: E402
from kernel.infrastructure.db import db, site_tables  # noqa: E402
from kernel.site import load_site  # noqa: E402
from kernel.testing.databases import PostgresSchema, postgres_url, redis_url  # noqa: E402
from kernel.testing.fixtures import forget_site_keys  # noqa: E402
from kernel.testing.identity import sign_in_test_user  # noqa: E402

EVENTS_CONF = bench_servers.ROOT / "deploy" / "gunicorn_events.conf.py"
ADDRESS = {"street": "1 Bench Road", "city": "Benchville", "zipCode": "10001"}
TARGET_KIB_PER_STREAM = 50


def write_site(folder: Path, name: str, database_url: str, redis: str) -> Path:
    path = folder / "events-bench.toml"
    path.write_text(f"""\
[site]
name = "{name}"
plugins = ["catalog", "cart", "orders"]
secret_key = "bench-only-secret-key-0123456789abcdefghijklmnop"
[database]
url = "{database_url}"
pool_size = 10
[cache]
url = "{redis}"
[jobs]
url = "{redis}"
[security]
jwt_secret = "bench-only-jwt-secret-0123456789abcdefghijklmnop"
access_token_minutes = 60
[logging]
level = "WARNING"
[mail]
url = "file://{folder / 'mail'}"
[payments]
methods = {{ credit_card = "offline" }}
[rate_limits]
default = "10000000/minute"
storage_url = "{redis}"
[events]
heartbeat_seconds = 15
max_stream_seconds = 3600
""")
    return path


def add_product(app, stock: int) -> str:
    staff = sign_in_test_user(app, "staff")
    tag = uuid.uuid4().hex[:8]
    body = {"name": f"Bench lamp {tag}", "sku": f"EV-{tag}", "price": "10.00", "stockQuantity": stock}
    answer = app.test_client().post("/api/products", json=body, headers=staff)
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def checkout(app, headers: dict, product_id: str) -> None:
    body = {"items": [{"productId": product_id, "quantity": 1}], "shippingAddress": ADDRESS,
            "paymentMethod": "credit_card"}
    answer = app.test_client().post("/api/orders", json=body, headers=headers)
    assert answer.status_code == 201, answer.json


def events_from_checkout(app, orders: int) -> tuple[float, int, float]:
    """(events/s, events written, seconds until the last was marked published)."""
    product_id, shopper = add_product(app, orders * 2), sign_in_test_user(app, "customer")
    with app.app_context():
        before = db.session.execute(sa.select(sa.func.count()).select_from(event_outbox)).scalar_one()
        db.session.rollback()
    started = time.perf_counter()
    for _ in range(orders):
        checkout(app, shopper, product_id)
    elapsed = time.perf_counter() - started
    with app.app_context():
        written = db.session.execute(sa.select(sa.func.count()).select_from(event_outbox)).scalar_one() - before
        db.session.rollback()
        while db.session.execute(sa.select(sa.func.count()).select_from(event_outbox)
                                 .where(event_outbox.c.published_at.is_(None))).scalar_one():
            db.session.rollback()
            time.sleep(0.01)
        db.session.rollback()
    return written / elapsed, written, time.perf_counter() - started - elapsed


def latency_across_processes(app, server: bench_servers.Server, orders: int) -> list[float]:
    """Milliseconds from an event's write (just before its commit) to its arrival on a staff stream
    of the events process."""
    staff = sign_in_test_user(app, "staff")
    product_id, shopper = add_product(app, orders * 2), sign_in_test_user(app, "customer")
    stream = requests.get(f"{server.url}/api/events/stream", headers=staff, stream=True, timeout=30)
    assert stream.status_code == 200, stream.text
    latencies: list[float] = []

    def read():
        event = None
        for line in stream.iter_lines(decode_unicode=True):
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "order.placed":
                arrived = time.time()
                written = datetime.fromisoformat(json.loads(line[6:])["createdAt"]).timestamp()
                latencies.append((arrived - written) * 1000)
                if len(latencies) == orders:
                    return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    time.sleep(0.5)  # the stream is subscribed
    for _ in range(orders):
        checkout(app, shopper, product_id)
        time.sleep(0.01)
    reader.join(timeout=30)
    stream.close()
    return latencies


def idle_streams(app, server: bench_servers.Server, count: int) -> tuple[float, float, int]:
    """Open ``count`` streams on the events process; (worker RSS before MiB, after MiB, streams open)."""
    token = sign_in_test_user(app, "customer")["Authorization"]
    request = (f"GET /api/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {token}\r\n\r\n").encode()
    for _ in range(20):  # warm the worker up: pools, caches, imports
        _open_stream(server.port, request).close()
    time.sleep(0.5)
    before = sum(server.read_rss())
    sockets = []
    try:
        for _ in range(count):
            sockets.append(_open_stream(server.port, request))
        time.sleep(1)
        after = sum(server.read_rss())
        alive = sum(1 for sock in sockets if _still_open(sock))
    finally:
        for sock in sockets:
            sock.close()
    return before, after, alive


def _open_stream(port: int, request: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(request)
    received = b""
    while b": open" not in received:
        chunk = sock.recv(4096)
        if not chunk:
            raise RuntimeError(f"the stream closed: {received[:300]!r}")
        received += chunk
    if not received.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"stream refused: {received[:300]!r}")
    return sock


def _still_open(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True  # nothing to read and not closed: an idle open stream
    finally:
        sock.setblocking(True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--latency-orders", type=int, default=100)
    parser.add_argument("--streams", type=int, default=1000)
    args = parser.parse_args()
    database, redis = postgres_url(), redis_url()
    if not (database and redis):
        sys.exit("set COMMERCE_TEST_DATABASE_URL and COMMERCE_TEST_REDIS_URL")

    name = f"evbench{uuid.uuid4().hex[:8]}"
    folder = Path(tempfile.mkdtemp(prefix="events-bench-"))
    schema = PostgresSchema(database)
    site = write_site(folder, name, schema.url, redis)
    app = create_app(load_site(site, {**os.environ, "COMMERCE_LOGGING_LEVEL": "WARNING"}))
    app.config["TESTING"] = True
    server = None
    try:
        with app.app_context():
            db.metadata.create_all(db.engine, tables=site_tables(app.extensions["commerce"].pm))
        rate, written, drain = events_from_checkout(app, args.orders)
        print(f"checkout, one process, sequential: {written} events from {args.orders} orders, "
              f"{rate:.0f} events/s; every one broadcast and marked {drain * 1000:.0f} ms after the last commit")

        server = bench_servers.start("events", "kernel.wsgi:app", bench_servers.ServerSettings(workers=1, threads=1),
                                     folder, env={"COMMERCE_SITE": str(site)}, health="/readyz", conf=EVENTS_CONF)
        latencies = latency_across_processes(app, server, args.latency_orders)
        quantiles = statistics.quantiles(latencies, n=20)
        print(f"commit to a staff stream on the events process: {len(latencies)} events, median "
              f"{statistics.median(latencies):.1f} ms, p95 {quantiles[-1]:.1f} ms, max {max(latencies):.1f} ms")

        before, after, alive = idle_streams(app, server, args.streams)
        per_stream = (after - before) * 1024 / args.streams
        verdict = "within" if per_stream <= TARGET_KIB_PER_STREAM else "OVER"
        print(f"{alive} of {args.streams} idle streams open in one gevent worker: RSS {before:.1f} -> {after:.1f} MiB, "
              f"{per_stream:.1f} KiB per stream ({verdict} the {TARGET_KIB_PER_STREAM} KiB target)")
    finally:
        if server:
            server.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        schema.drop()
        forget_site_keys(redis, name)


if __name__ == "__main__":
    main()
