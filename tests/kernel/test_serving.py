"""The two ways a site is served: ``commerce serve`` (development) and ``kernel.wsgi:app`` (gunicorn)."""

import gzip
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


def wait_until_serving(url, process, deadline_seconds=30):
    """Poll until the server answers (start-up time is not what this test measures)."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}: {process.stderr.read()}")
        try:
            return fetch(url)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    pytest.fail(f"server did not answer {url} within {deadline_seconds}s")


@pytest.fixture
def site_file(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text('[site]\nname = "served"\n[jobs]\nurl = "immediate"\n')
    return path


def test_commerce_serve_answers_health_and_api_docs(tmp_path, site_file):
    port = free_port()
    subprocess.run([sys.executable, "-c", "from kernel.cli import main; main()", "--site", str(site_file), "db",
                    "upgrade"], cwd=tmp_path, check=True, capture_output=True, timeout=120)
    server = subprocess.Popen(
        [sys.executable, "-c", "from kernel.cli import main; main()", "--site", str(site_file), "serve",
         "--port", str(port)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert wait_until_serving(f"http://127.0.0.1:{port}/healthz", server) == (200, '{"status":"ok"}\n')
        status, page = fetch(f"http://127.0.0.1:{port}/api/docs")
        assert status == 200 and "swagger-ui" in page
        assert_json_gzipped_when_accepted(f"http://127.0.0.1:{port}/api/openapi.json")
    finally:
        server.terminate()
        server.wait(timeout=10)


def assert_json_gzipped_when_accepted(url):
    """As nginx does in production: the API's JSON is compressed for a client that accepts gzip."""
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept-Encoding": "gzip"}), timeout=5) as answer:
        assert answer.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in answer.headers["Vary"]
        squeezed = answer.read()
    with urllib.request.urlopen(url, timeout=5) as answer:
        assert answer.headers["Content-Encoding"] is None
        plain = answer.read()
    assert json.loads(gzip.decompress(squeezed)) == json.loads(plain) and len(squeezed) < len(plain) / 3


@pytest.mark.parametrize(
    ("site", "message"),
    [
        ("/nonexistent/site.toml", "site file not found: /nonexistent/site.toml"),
        ("{bad_plugin}", "plugin 'nope' is not installed"),
    ],
)
def test_wsgi_module_with_a_bad_site_exits_non_zero_with_one_line(tmp_path, site, message):
    bad_plugin = tmp_path / "bad.toml"
    bad_plugin.write_text('[site]\nname = "x"\nplugins = ["nope"]\n')
    result = subprocess.run(
        [sys.executable, "-c", "import kernel.wsgi"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={**os.environ, "COMMERCE_SITE": site.format(bad_plugin=bad_plugin)},
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("commerce: cannot start: ") and message in result.stderr
