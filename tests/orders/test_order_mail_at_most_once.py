"""Confirmation mail with a real ``commerce worker`` killed mid-send: the relay has the mail,
the worker never hears back; after the lease another worker takes the job over and sends
nothing more (at most once, recorded before the hand-over)."""

from __future__ import annotations

import email
import email.policy
import json
import os
import signal
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.jobs.jobs_helpers import wait_for
from tests.orders.conftest import order_body

REPO = Path(__file__).resolve().parent.parent.parent
ORDERS = 4


class KillingRelay:
    """Accepts every mail; on the first one it SIGKILLs ``victim`` before answering 250."""

    def __init__(self):
        self.mails: list[email.message.EmailMessage] = []
        self.victim: subprocess.Popen | None = None

    async def handle_DATA(self, server, session, envelope):
        self.mails.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        if self.victim is not None:
            self.victim.send_signal(signal.SIGKILL)
            self.victim.wait(timeout=30)
            self.victim = None
        return "250 OK"


@pytest.fixture
def relay():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = KillingRelay()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def worker_site(app, path: Path) -> Path:
    """The same site as ``app`` (plugins, database, queue, mail) for a worker process."""
    site = app.extensions["commerce"].site
    sections = {"site": {"name": site.name, "plugins": site.plugins}, "database": {"url": site.database["url"]},
                "jobs": {k: v for k, v in site.jobs.items() if v is not None},
                "mail": {"url": site.mail["url"], "sender": site.mail["sender"]},
                "payments.methods": site.payments["methods"], "logging": {"level": "INFO"},
                "plugins.orders": {"confirmation_delay_minutes": 0}}
    lines = []
    for name, values in sections.items():
        lines += [f"[{name}]"] + [f"{key} = {json.dumps(value)}" for key, value in values.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_worker_killed_after_the_relay_took_the_mail_does_not_send_it_again(make_shop, auth_headers, relay,
                                                                              tmp_path):
    inbox, port = relay
    shop = make_shop(plugins=("catalog", "orders"), backend="postgres",
                     jobs={"url": f"sqlite:///{tmp_path / 'queue.db'}", "lease_seconds": 2, "sweep_seconds": 1},
                     mail={"url": f"smtp://127.0.0.1:{port}?tls=none", "sender": "shop@example.org"})
    site_file = worker_site(shop.app, tmp_path / "site.toml")
    buyer, lamp = auth_headers(shop.app), shop.product("Lamp", "10.00", 20)
    orders = [shop.client.post("/api/orders", json=order_body((lamp, 1)), headers=buyer).json["orderId"]
              for _ in range(ORDERS)]
    workers = []

    def start_worker():
        log = open(tmp_path / f"worker{len(workers)}.log", "wb")
        process = subprocess.Popen([sys.executable, "-c", "from kernel.cli import main; main()", "--site",
                                    str(site_file), "worker", "--workers", "1"], cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, "PYTHONPATH": str(REPO)})
        workers.append((process, log))
        return process

    try:
        inbox.victim = start_worker()
        wait_for(lambda: inbox.victim is None, what="the first mail (and the kill)")
        start_worker()
        wait_for(lambda: len(inbox.mails) >= ORDERS, what="every order's mail")
        jobs = shop.app.extensions["commerce"].jobs_platform.repository
        wait_for(lambda: all(run.state == "succeeded" for run in jobs.page(
                     state=None, task="orders.send_confirmation", page=1, page_size=50)[0]),
                 what="every job to finish (the killed one after its lease)")
    finally:
        for process, log in workers:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            log.close()

    per_order = Counter(next(o for o in orders if o[:8] in mail["Subject"]) for mail in inbox.mails)
    assert [per_order[order_id] for order_id in orders] == [1] * ORDERS
    assert sorted(mail["Message-ID"] for mail in inbox.mails) == sorted(
        f"<order-{order_id}-placed@example.org>" for order_id in orders)
