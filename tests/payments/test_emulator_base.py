"""The emulator base that plugin authors build on: a subclass cannot shadow its state, a bug in an
emulator is shown with its traceback and fails the test, webhooks go through one queue (to each
payment's own URL when it has one), and an emulator can run as its own process."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
import requests
from werkzeug.routing import Rule
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from kernel.testing.emulator import EmulatorCrashed, ProviderEmulator, json_response


class Counter(ProviderEmulator):
    """An emulator whose own names are those the base once used for its state."""

    rules = [Rule("/count", methods=["POST"], endpoint="count"), Rule("/boom", methods=["GET"], endpoint="boom")]

    def __init__(self, **options):
        super().__init__(**options)
        self.counted = 0
        self._failure = "not the base's"
        self._webhooks = ["not the base's"]

    def _idempotent(self, *args):  # a method named like the base's former replay store
        raise AssertionError("the base must not call a subclass's _idempotent")

    def count(self, request):
        def handle():
            self.counted += 1
            self.send_webhook({"Content-Type": "application/x-www-form-urlencoded"}, f"n={self.counted}".encode(),
                              url=request.args.get("webhook"))
            return json_response({"counted": self.counted})

        return self.idempotent(request.headers.get("Idempotency-Key"), None, handle, handle)

    def boom(self, request):
        return {}["missing"]


def test_a_subclass_cannot_shadow_the_base_s_state():
    with Counter() as emulator:
        answers = [requests.post(f"{emulator.base_url}/count", headers={"Idempotency-Key": "k-1"}, timeout=5).json()
                   for _ in range(2)]
        with emulator.outage("error"):
            assert requests.post(f"{emulator.base_url}/count", timeout=5).status_code == 500
    assert answers == [{"counted": 1}, {"counted": 1}] and emulator.counted == 1


def test_an_emulator_bug_answers_500_prints_its_traceback_and_fails_the_test(capfd):
    with pytest.raises(EmulatorCrashed, match="KeyError: 'missing'"), Counter() as emulator:
        answer = requests.get(f"{emulator.base_url}/boom", timeout=5)
        assert answer.status_code == 500 and answer.json()["message"] == "KeyError: 'missing'"
    assert "Traceback" in capfd.readouterr().err


def test_taken_webhooks_are_not_delivered_and_each_goes_to_its_own_url():
    received: list[tuple[str, bytes]] = []

    def receiver(environ, start_response):
        request = Request(environ)
        received.append((request.full_path, request.get_data()))
        return Response("ok")(environ, start_response)

    site = make_server("127.0.0.1", 0, receiver)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    own = f"http://127.0.0.1:{site.server_port}/own?token=t-1"
    try:
        with Counter() as emulator:
            emulator.post_webhooks_to(f"http://127.0.0.1:{site.server_port}/default")
            requests.post(f"{emulator.base_url}/count", timeout=5)
            [taken] = emulator.take_webhooks()
            requests.post(f"{emulator.base_url}/count", params={"webhook": own}, timeout=5)
            requests.post(f"{emulator.base_url}/count", timeout=5)
            emulator.deliver_webhooks()
            assert emulator.take_webhooks() == []
    finally:
        site.shutdown()
    assert taken.body == b"n=1"
    assert received == [("/own?token=t-1", b"n=2"), ("/default?", b"n=3")]


def test_an_emulator_runs_as_its_own_process():
    process = subprocess.Popen([sys.executable, "-m", "kernel.testing.emulator", "tests.emulators.stripe:StripeEmulator"],
                               stdout=subprocess.PIPE, text=True)
    try:
        base_url = process.stdout.readline().strip()
        answer = requests.get(f"{base_url}/v1/checkout/sessions/cs_none",
                              headers={"Authorization": "Bearer sk_test_emulator"}, timeout=5)
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "resource_missing"
    finally:
        process.terminate()
        process.wait(timeout=10)
