#!/usr/bin/env python3
"""Run the production topology of ``compose.yaml`` on loopback, without a container engine.

The same commands as the containers, from the same files: ``commerce db upgrade`` (one shot),
two ``gunicorn -c deploy/gunicorn.conf.py kernel.wsgi:app`` replicas and the events process
(``gunicorn -c deploy/gunicorn_events.conf.py``) behind nginx rendered from
``deploy/nginx.conf.template``, ``commerce worker``, the site ``sites/production.example.toml``
with its settings in the environment, the machine's PostgreSQL and Redis, and an SMTP server
(aiosmtpd, from the ``test`` extra) standing in for the mail relay.

Through the load balancer it registers a webhook endpoint (a receiver on loopback that verifies
signatures), opens a staff member's event stream, registers a shopper, signs in, puts a product
in the cart, places the order, sees the new order on the stream and at the receiver, then waits
(bounded) until the worker has run the confirmation job and the mail has
arrived. It then stops one replica with SIGTERM while the other keeps serving, stops the worker
with its graceful signal, and shuts everything down. It always cleans up: its own processes, its
database and its Redis keys.

    .venv/bin/python deploy/prove_topology.py        # CI runs this from .ci/run

Environment (all optional):
    PROOF_PG_URL     admin connection used to create and drop the proof's database
                     (default postgresql://postgres@127.0.0.1:5432/postgres)
    PROOF_REDIS_URL  the Redis to use (default redis://127.0.0.1:6379/15); every key carries
                     the proof's unique site name and is deleted at the end
    PROOF_KEEP_LOGS  a folder to copy the processes' logs into

nginx is installed with apt-get when missing and the script runs as root (as CI does).
"""

from __future__ import annotations

import json
import mailbox
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack, closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STOREFRONT_BUILD = ROOT / "storefront" / "dist" / "storefront" / "browser"
SITE = "sites/production.example.toml"
PG_URL = os.environ.get("PROOF_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("PROOF_REDIS_URL", "redis://127.0.0.1:6379/15")
STARTUP_SECONDS = 90
JOB_SECONDS = 90
GRACEFUL_SECONDS = 10


class ProofFailed(Exception):
    pass


_STARTED = time.monotonic()


def step(message: str) -> None:
    print(f"[proof {time.monotonic() - _STARTED:5.1f}s] {message}", flush=True)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise ProofFailed(message)


def wait_until(what: str, probe, seconds: float, interval: float = 0.5):
    """Call ``probe`` until it returns something truthy; ProofFailed after ``seconds``."""
    deadline = time.monotonic() + seconds
    last_error = None
    while time.monotonic() < deadline:
        try:
            result = probe()
            if result:
                return result
        except (requests.RequestException, OSError) as exc:
            last_error = exc
        time.sleep(interval)
    raise ProofFailed(f"timed out after {seconds:.0f}s waiting for {what}" + (f" ({last_error})" if last_error else ""))


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if found:
        return found
    if os.geteuid() != 0:
        raise ProofFailed("nginx is not installed: apt-get install nginx-light (or run this script as root)")
    step("installing nginx-light with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "nginx-light"], check=True,
                   env=env, stdout=subprocess.DEVNULL)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def render_template(template: Path, values: dict[str, str]) -> str:
    """Substitute ``${NAME}`` for the given names only, like the nginx image's envsubst step."""
    text = re.sub(r"\$\{([A-Z0-9_]+)\}", lambda m: values.get(m.group(1), m.group(0)), template.read_text())
    check("${" not in text, f"{template}: a variable was left unset")
    return text


class Topology:
    """Every process the proof starts, so that all of them (and only them) are stopped."""

    def __init__(self, workdir: Path, env: dict[str, str]):
        self.workdir, self.env = workdir, env
        self.processes: dict[str, subprocess.Popen] = {}

    def log(self, name: str) -> Path:
        return self.workdir / "logs" / f"{name}.log"

    def run(self, name: str, *argv: str, stdin: str | None = None) -> str:
        """A one-shot command (like the compose ``migrate`` service): must exit 0."""
        result = subprocess.run(argv, cwd=ROOT, env=self.env, input=stdin, capture_output=True, text=True, timeout=300)
        self.log(name).write_text(result.stdout + result.stderr)
        check(result.returncode == 0, f"{name}: {' '.join(argv)} exited {result.returncode}:\n{result.stderr[-3000:]}")
        return result.stdout

    def start(self, name: str, *argv: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        handle = self.log(name).open("ab")
        process = subprocess.Popen(argv, cwd=ROOT, env={**self.env, **(env or {})}, stdout=handle,
                                   stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        handle.close()
        self.processes[name] = process
        return process

    def send(self, name: str, sig: int) -> None:
        self.processes[name].send_signal(sig)

    def wait(self, name: str, timeout: float) -> int | None:
        """The exit status of ``name``, or None when it had to be killed after ``timeout``."""
        process = self.processes.pop(name)
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: the process and its children only
            process.wait()
            return None

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = GRACEFUL_SECONDS) -> int | None:
        process = self.processes.get(name)
        if process is not None and process.poll() is None:
            process.send_signal(sig)
        return self.wait(name, timeout) if process is not None else None

    def stop_all(self) -> None:
        for name in list(self.processes)[::-1]:
            self.stop(name, signal.SIGTERM, timeout=GRACEFUL_SECONDS)

    def assert_running(self) -> None:
        for name, process in self.processes.items():
            check(process.poll() is None, f"{name} exited early with status {process.returncode}")

    def dump_logs(self, lines: int = 40) -> None:
        for path in sorted((self.workdir / "logs").glob("*.log")):
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            print(f"----- {path.name} (last {len(tail)} lines)", file=sys.stderr)
            print("\n".join(tail), file=sys.stderr)


def create_database(name: str) -> tuple[str, callable]:
    """A fresh database for the proof; returns its SQLAlchemy URL and the function that drops it."""
    name = f"commerce_{name}"
    admin = psycopg2.connect(PG_URL)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    parts = urlsplit(PG_URL)
    return urlunsplit(("postgresql+psycopg2", parts.netloc, f"/{name}", "", "")), drop


def site_environment(site_name: str, database_url: str, smtp_port: int) -> dict[str, str]:
    """What ``.env`` gives the containers, pointed at loopback."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("COMMERCE_")}
    env.update({
        "COMMERCE_SITE": SITE,
        "COMMERCE_SITE_NAME": site_name,  # prefixes every Redis key (cache, limits, tokens, queue)
        "SITE_SECRET_KEY": secrets.token_urlsafe(48),
        "JWT_SECRET": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "REDIS_CACHE_URL": REDIS_URL,
        "REDIS_QUEUE_URL": REDIS_URL,
        "REDIS_LIMITS_URL": REDIS_URL,
        "MAIL_URL": f"smtp://127.0.0.1:{smtp_port}?tls=none",
        "STAFF_REPORT_EMAIL": "ops@example.com",
        "COMMERCE_PLUGINS_ORDERS_CONFIRMATION_DELAY_MINUTES": "0",  # the proof waits for the mail, not 5 minutes
        "COMMERCE_PLUGINS_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "true",  # the proof's receiver is on loopback
        "STRIPE_SECRET_KEY": "sk_test_" + secrets.token_hex(12),
        "STRIPE_WEBHOOK_SECRET": "whsec_" + secrets.token_hex(12),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "2",
        "GUNICORN_ACCESS_LOG": "-",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def prove(stack: ExitStack) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="commerce-proof-"))
    workdir.chmod(0o755)  # nginx workers drop root: they must reach their temp folders
    stack.callback(shutil.rmtree, workdir, ignore_errors=True)
    (workdir / "logs").mkdir()

    nginx = nginx_binary()
    site_name = f"proof{uuid.uuid4().hex[:10]}"  # letters and digits: Huey strips anything else from its keys
    keys = redis.Redis.from_url(REDIS_URL)
    keys.ping()
    stack.callback(lambda: [keys.delete(key) for key in keys.scan_iter(match=f"*{site_name}*")])
    database_url, drop_database = create_database(site_name)
    stack.callback(drop_database)
    step(f"database {urlsplit(database_url).path[1:]} on {urlsplit(PG_URL).netloc}, Redis {REDIS_URL}")

    lb_port, api_ports, smtp_port = free_port(), (free_port(), free_port(), free_port()), free_port()
    topology = Topology(workdir, site_environment(site_name, database_url, smtp_port))
    stack.callback(topology.stop_all)
    try:
        run_topology(topology, nginx, lb_port, api_ports, smtp_port)
    except BaseException:
        topology.dump_logs()
        raise
    finally:
        if os.environ.get("PROOF_KEEP_LOGS"):
            shutil.copytree(workdir / "logs", os.environ["PROOF_KEEP_LOGS"], dirs_exist_ok=True)


def run_topology(topology: Topology, nginx: str, lb_port: int, ports: tuple[int, int, int], smtp_port: int) -> None:
    *api_ports, events_port = ports
    workdir = topology.workdir
    step("migrations: commerce db upgrade")
    topology.run("migrate", str(BIN / "commerce"), "db", "upgrade")
    admin_email, admin_password = "admin@example.com", secrets.token_urlsafe(18)
    topology.run("create-admin", str(BIN / "commerce"), "users", "create-admin", admin_email, stdin=admin_password + "\n")

    maildir = workdir / "maildir"
    topology.start("smtp", str(BIN / "python"), "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}",
                   "-c", "aiosmtpd.handlers.Mailbox", str(maildir))
    for number, port in enumerate(api_ports, start=1):
        topology.start(f"api-{number}", str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "kernel.wsgi:app",
                       env={"GUNICORN_BIND": f"127.0.0.1:{port}"})
    topology.start("events", str(BIN / "gunicorn"), "-c", "deploy/gunicorn_events.conf.py", "kernel.wsgi:app",
                   env={"GUNICORN_BIND": f"127.0.0.1:{events_port}", "GUNICORN_GRACEFUL_TIMEOUT": "5"})  # as compose
    topology.start("worker", str(BIN / "commerce"), "worker")

    conf = workdir / "nginx.conf"
    conf.write_text(render_template(ROOT / "deploy" / "nginx.conf.template", {
        "LISTEN_PORT": f"127.0.0.1:{lb_port}", "API_1": f"127.0.0.1:{api_ports[0]}",
        "API_2": f"127.0.0.1:{api_ports[1]}", "EVENTS": f"127.0.0.1:{events_port}", "NGINX_RUN_DIR": str(workdir),
        "STOREFRONT_ROOT": str(STOREFRONT_BUILD)}))
    nginx_cmd = (nginx, "-p", str(workdir), "-c", str(conf), "-e", "stderr")
    subprocess.run([*nginx_cmd, "-t", "-q"], check=True)
    topology.start("nginx", *nginx_cmd, "-g", "daemon off;")

    for number, port in enumerate(ports, start=1):
        wait_until(f"api-{number} /readyz" if number < 3 else "events /readyz", lambda port=port: requests.get(
            f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200, STARTUP_SECONDS)
    lb = f"http://127.0.0.1:{lb_port}"
    wait_until("the load balancer", lambda: requests.get(f"{lb}/readyz", timeout=2).status_code == 200, 30)
    topology.assert_running()
    step(f"two replicas ready behind nginx on {lb}; worker and SMTP up")

    for _ in range(6):
        ready = requests.get(f"{lb}/readyz?via=lb", timeout=5)
        check(ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "redis": "ok"},
              f"/readyz through nginx: {ready.status_code} {ready.text}")
    for number in (1, 2):
        served = topology.log(f"api-{number}").read_text().count("/readyz?via=lb")
        check(served >= 1, f"api-{number} served none of the 6 requests through nginx: no round robin")
    step("nginx spreads requests over both replicas")
    check_storefront(lb)

    receiver = WebhookReceiver()
    stop_receiver = receiver.start(lb, sign_in(lb, admin_email, admin_password))
    stream = open_event_stream(lb, admin_email, admin_password)
    try:
        order_id = shop(lb, admin_email, admin_password)
        seen = read_event(stream, "order.placed")
        check(seen["data"]["orderId"] == order_id, f"the staff stream showed another order: {seen}")
        step(f"order {order_id} placed through nginx, seen on the events process's stream")
        delivered = wait_until("the order.placed webhook, verified", lambda: receiver.delivered("order.placed"),
                               JOB_SECONDS)
        check(delivered["data"]["orderId"] == order_id and receiver.refused == [],
              f"webhook: {delivered}, refused {receiver.refused}")
    finally:
        stop_receiver()
    step("the worker delivered the order.placed webhook, signed (verified with standardwebhooks); "
         "waiting for the confirmation job")
    wait_for_confirmation(lb, admin_email, admin_password, order_id, workdir / "maildir")

    step("SIGTERM api-1 with a request in flight: the request is answered, api-1 exits, api-2 serves")
    connection, rest = start_slow_request(api_ports[0])
    time.sleep(1)  # the request is being read by a gunicorn thread
    topology.send("api-1", signal.SIGTERM)
    time.sleep(1)
    for _ in range(6):
        answer = requests.get(f"{lb}/api/products", timeout=10)
        check(answer.status_code == 200, f"GET /api/products through nginx while api-1 stops: {answer.status_code}")
    status_line = finish_slow_request(connection, rest)
    check(status_line == "HTTP/1.1 401 UNAUTHORIZED", f"the in-flight request got {status_line!r}, not its answer")
    status = topology.wait("api-1", timeout=30)
    check(status == 0, f"api-1 did not shut down cleanly on SIGTERM (exit status {status})")
    step("SIGTERM worker (what compose and Kubernetes send): it finishes running jobs and exits")
    status = topology.stop("worker", signal.SIGTERM, timeout=30)
    check(status == 0, f"the worker did not shut down cleanly on SIGTERM (exit status {status})")
    step("worker stopped; stopping nginx (SIGQUIT) and api-2 (SIGTERM)")
    topology.stop("nginx", signal.SIGQUIT)
    check(topology.stop("api-2", signal.SIGTERM, timeout=30) == 0, "api-2 did not shut down cleanly")
    step("api-2 stopped; stopping the events process (SIGTERM)")
    check(topology.stop("events", signal.SIGTERM, timeout=30) == 0, "the events process did not shut down cleanly")


def check_storefront(lb: str) -> None:
    """nginx serves the built storefront: every client route is index.html (revalidated), a
    hashed file is cached for a year as JavaScript."""
    if not (STOREFRONT_BUILD / "index.html").is_file():
        step("the storefront is not built (cd storefront && npm ci && npx ng build): its check is skipped")
        return
    for path in ("/", "/products/anything?page=2", "/account/orders"):
        page = requests.get(f"{lb}{path}", timeout=5)
        check(page.status_code == 200 and "<app-root>" in page.text and page.headers.get("Cache-Control") == "no-cache",
              f"GET {path} through nginx: {page.status_code} {page.headers.get('Cache-Control')}")
    script = next(STOREFRONT_BUILD.glob("main-*.js")).name
    asset = requests.get(f"{lb}/{script}", timeout=5)
    check(asset.status_code == 200 and asset.headers.get("Content-Type", "").startswith("application/javascript")
          and "immutable" in asset.headers.get("Cache-Control", ""),
          f"GET /{script} through nginx: {asset.status_code} {asset.headers}")
    step("nginx serves the storefront: client routes fall back to index.html (no-cache), hashed files immutable")


def start_slow_request(port: int) -> tuple[socket.socket, bytes]:
    """A sign-in POST sent straight to a replica, holding back the end of its body."""
    body = json.dumps({"email": "nobody@example.com", "password": "not the password"}).encode()
    head = (f"POST /api/users/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    connection = socket.create_connection(("127.0.0.1", port), timeout=30)
    connection.sendall(head + body[:10])
    return connection, body[10:]


def finish_slow_request(connection: socket.socket, rest: bytes) -> str:
    with connection:
        connection.sendall(rest)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer.split(b"\r\n", 1)[0].decode(errors="replace")


def sign_in(lb: str, email: str, password: str) -> dict[str, str]:
    answer = requests.post(f"{lb}/api/users/login", json={"email": email, "password": password}, timeout=10)
    check(answer.status_code == 200, f"login {email}: {answer.status_code} {answer.text}")
    return {"Authorization": f"Bearer {answer.json()['accessToken']}"}


def shop(lb: str, admin_email: str, admin_password: str) -> str:
    """Staff lists a product; a shopper registers, signs in, fills the cart and checks out."""
    staff = sign_in(lb, admin_email, admin_password)
    product = requests.post(f"{lb}/api/products", headers=staff, timeout=10, json={
        "name": "Proof Laptop", "sku": f"PROOF-{uuid.uuid4().hex[:6]}", "price": "599.99", "stockQuantity": 3})
    check(product.status_code == 201, f"create product: {product.status_code} {product.text}")
    product_id = product.json()["id"]

    email, password = f"shopper-{uuid.uuid4().hex[:8]}@example.com", secrets.token_urlsafe(18)
    registered = requests.post(f"{lb}/api/users/register", json={"email": email, "password": password}, timeout=10)
    check(registered.status_code == 201, f"register: {registered.status_code} {registered.text}")
    shopper = sign_in(lb, email, password)
    added = requests.post(f"{lb}/api/cart/items", headers=shopper, json={"productId": product_id, "quantity": 2},
                          timeout=10)
    check(added.status_code in (200, 201), f"add to cart: {added.status_code} {added.text}")

    order = {"fromCart": True, "paymentMethod": "bank_transfer",
             "shippingAddress": {"street": "123 Main St", "city": "New York", "zipCode": "10001"}}
    key = {"Idempotency-Key": uuid.uuid4().hex}
    placed = requests.post(f"{lb}/api/orders", headers={**shopper, **key}, json=order, timeout=20)
    check(placed.status_code == 201, f"place order: {placed.status_code} {placed.text}")
    body = placed.json()
    check(body["status"] == "Pending" and body["totalAmount"] == "1199.98", f"unexpected order: {body}")
    replay = requests.post(f"{lb}/api/orders", headers={**shopper, **key}, json=order, timeout=20)
    check(replay.status_code == 201 and replay.json()["orderId"] == body["orderId"],
          f"a retry with the same Idempotency-Key placed another order: {replay.status_code} {replay.text}")
    stock = requests.get(f"{lb}/api/products/{product_id}", timeout=10).json()
    check(stock["stockQuantity"] == 1, f"stock after the order: {stock['stockQuantity']} (expected 1)")
    return body["orderId"]


class WebhookReceiver:
    """A webhook endpoint on loopback that keeps the deliveries whose signature verifies."""

    def __init__(self):
        self.secret = ""
        self.received: list[dict] = []
        self.refused: list[str] = []

    def start(self, lb: str, staff: dict[str, str]):
        """Serve on a port the system picks, register it through nginx; returns the stop function."""
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        from standardwebhooks.webhooks import Webhook, WebhookVerificationError

        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    receiver.received.append(Webhook(receiver.secret).verify(body, dict(self.headers)))
                    self.send_response(204)
                except WebhookVerificationError as exc:
                    receiver.refused.append(str(exc))
                    self.send_response(400)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        endpoint = requests.post(f"{lb}/api/admin/webhooks", headers=staff, timeout=10, json={
            "url": f"http://127.0.0.1:{server.server_address[1]}/hooks", "eventTypes": ["order.placed"]})
        check(endpoint.status_code == 201, f"register a webhook endpoint: {endpoint.status_code} {endpoint.text}")
        self.secret = endpoint.json()["secret"]

        def stop():
            server.shutdown()
            server.server_close()

        return stop

    def delivered(self, event_type: str) -> dict | None:
        return next((payload for payload in self.received if payload["type"] == event_type), None)


def open_event_stream(lb: str, email: str, password: str) -> requests.Response:
    """A staff member's ``GET /api/events/stream`` through nginx, once its first bytes have arrived."""
    stream = requests.get(f"{lb}/api/events/stream", headers=sign_in(lb, email, password), stream=True, timeout=15)
    check(stream.status_code == 200 and stream.headers["Content-Type"].startswith("text/event-stream"),
          f"event stream: {stream.status_code} {stream.headers.get('Content-Type')}")
    return stream


def read_event(stream: requests.Response, event_type: str) -> dict:
    """The ``data`` of the next event of ``event_type`` (bounded by the stream's read timeout)."""
    lines = stream.iter_lines(decode_unicode=True)
    current = None
    for line in lines:
        if line.startswith("event: "):
            current = line[len("event: "):]
        elif line.startswith("data: ") and current == event_type:
            stream.close()
            return json.loads(line[len("data: "):])
    raise ProofFailed(f"the stream ended before an {event_type} event")


def wait_for_confirmation(lb: str, admin_email: str, admin_password: str, order_id: str, maildir: Path) -> None:
    staff = sign_in(lb, admin_email, admin_password)

    def job_state():
        page = requests.get(f"{lb}/api/admin/jobs", params={"task": "orders.send_confirmation"}, headers=staff,
                            timeout=10).json()
        runs = [run for run in page["items"] if order_id in run["argumentsSummary"]]
        if runs and runs[0]["state"] == "failed":
            raise ProofFailed(f"the confirmation job failed: {runs[0]}")
        return runs and runs[0]["state"] == "succeeded" and runs[0]

    run = wait_until("the confirmation job to succeed", job_state, JOB_SECONDS, interval=1)
    step(f"job {run['id']} orders.send_confirmation succeeded after {run['attempts']} attempt(s)")

    def confirmation_mail():
        if not maildir.exists():
            return None
        return next((message for message in mailbox.Maildir(maildir, create=False)
                     if f"Order: {order_id}" in message.get_payload(decode=True).decode(errors="replace")), None)

    message = wait_until("the confirmation mail", confirmation_mail, 10)
    step(f"mail {message['Subject']!r} delivered to {message['To']} over SMTP")


def _interrupt(signum, frame):
    """SIGTERM (a CI timeout) unwinds like Ctrl-C, so the cleanup always runs."""
    raise KeyboardInterrupt


def main() -> int:
    started = time.monotonic()
    with ExitStack() as stack:
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            prove(stack)
        except ProofFailed as exc:
            print(f"[proof] FAILED: {exc}", file=sys.stderr)
            return 1
    step(f"the production topology works ({time.monotonic() - started:.0f}s); everything stopped and removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
