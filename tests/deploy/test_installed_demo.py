"""The package as a new user installs it: a wheel in a fresh virtual environment, run from a
directory that is not the checkout, selling end to end on the demo site with nothing online."""

from __future__ import annotations

import email
import email.policy
import os
import signal
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest
import requests

from tests.kernel.test_serving import free_port, wait_until_serving

REPO = Path(__file__).resolve().parent.parent.parent
PASSWORD = "correct horse battery staple 42"
ADDRESS = {"street": "1 Main St", "city": "New York", "zipCode": "10001"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel, built once, installed without its dependencies into a fresh venv that sees the
    test environment's site-packages only as a plain path (so not the checkout's editable install)."""
    root = tmp_path_factory.mktemp("installed")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", str(REPO),
                    "-w", str(root / "dist")], check=True, capture_output=True, timeout=300)
    wheel, = (root / "dist").glob("commerce_kernel-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    (Path(purelib) / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    home, elsewhere = root / "home", root / "elsewhere"
    home.mkdir(), elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("COMMERCE_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(HOME=str(home), COMMERCE_PLUGINS_ORDERS_CONFIRMATION_DELAY_MINUTES="0")
    return venv / "bin", elsewhere, env, home / ".local" / "share" / "commerce" / "demo"


def run(installed, *args):
    bin_dir, elsewhere, env, _ = installed
    return subprocess.run([str(bin_dir / "commerce"), *args], cwd=elsewhere, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_wheel_carries_the_migrations_templates_and_demo_site(installed):
    bin_dir, elsewhere, env, _ = installed
    where = subprocess.run([str(bin_dir / "python"), "-c", "import kernel, plugins.orders; print(kernel.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout
    assert str(bin_dir.parent) in where  # the installed copy, not the checkout


def test_from_another_directory_the_installed_demo_sells_and_mails_offline(installed):
    _, elsewhere, env, instance = installed
    unmigrated = run(installed, "catalog", "seed")
    assert unmigrated.returncode == 2
    assert unmigrated.stderr.splitlines()[-1] == "Error: the database is not migrated: run `commerce db upgrade`"
    assert run(installed, "db", "upgrade").returncode == 0
    assert run(installed, "catalog", "seed").returncode == 0
    assert (instance / "demo.db").exists() and not list(elsewhere.iterdir())  # nothing in the working directory

    port = free_port()
    bin_dir = installed[0]
    server = subprocess.Popen([str(bin_dir / "commerce"), "serve", "--port", str(port)], cwd=elsewhere, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{base}/healthz", server)
        order_id = buy_with_testpay(base)
        subjects = wait_for_mails(instance / "mail", 3)  # the buyer's address to verify, then the order's two
        assert [subject for subject in subjects if subject.startswith("Order")] == sorted(
            [f"Order {order_id[:8]} confirmed", f"Order {order_id[:8]} paid"])
        assert any(subject.startswith("Confirm your email address") for subject in subjects), subjects
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    assert server.returncode == 0, server.stderr.read()


def buy_with_testpay(base: str) -> str:
    http = requests.Session()
    assert http.post(f"{base}/api/users/register", json={"email": "ada@example.com", "password": PASSWORD}).ok
    token = http.post(f"{base}/api/users/login", json={"email": "ada@example.com", "password": PASSWORD}).json()
    http.headers["Authorization"] = f"Bearer {token['accessToken']}"
    listing = http.get(f"{base}/api/products", params={"pageSize": 50, "inStock": "true"}).json()["items"]
    product = next(item for item in listing if not item["options"])  # the seed sells some products in variants
    placed = http.post(f"{base}/api/orders", json={"items": [{"productId": product["id"], "quantity": 1}],
                                                   "shippingAddress": ADDRESS, "paymentMethod": "testpay"})
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["orderId"]
    back = f"{base}/api/orders/{order_id}"
    payment = http.post(f"{base}/api/orders/{order_id}/payments", json={"returnUrl": back}).json()
    page = requests.get(base + payment["approvalUrl"])
    assert page.ok and ">Pay</button>" in page.text
    pressed = requests.post(base + payment["approvalUrl"], data={"action": "pay"}, allow_redirects=False)
    assert (pressed.status_code, pressed.headers["Location"]) == (303, back)
    assert http.get(back).json()["status"] == "Paid"
    return order_id


def wait_for_mails(folder: Path, count: int, timeout: float = 60) -> list[str]:
    """The subjects of the mails in the folder once there are ``count`` (a bound, not a measurement)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mails = sorted(folder.glob("*.eml")) if folder.exists() else []
        if len(mails) >= count:
            return sorted(email.message_from_bytes(m.read_bytes(), policy=email.policy.default)["Subject"]
                          for m in mails)
        time.sleep(0.2)
    raise AssertionError(f"fewer than {count} mails in {folder} after {timeout}s")
