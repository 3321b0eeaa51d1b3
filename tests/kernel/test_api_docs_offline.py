"""The API docs render in a real browser (Debian's headless Chromium) with every host but the
site's unresolvable: Swagger UI and ReDoc come from the site, not a CDN."""

from __future__ import annotations

import shutil
import subprocess
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium")


@pytest.fixture
def served(make_app):
    app = make_app(["catalog"], backend="sqlite")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def rendered(url: str, profile) -> str:
    """The page's DOM after its scripts ran, with no host other than 127.0.0.1 reachable."""
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
         "--virtual-time-budget=15000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_swagger_ui_lists_the_operations_with_no_network(served, tmp_path):
    page = rendered(f"{served}/api/docs", tmp_path / "profile")
    assert 'class="swagger-ui"' in page
    assert 'data-path="/api/products"' in page and "opblock-summary-method" in page


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_redoc_lists_the_operations_with_no_network(served, tmp_path):
    page = rendered(f"{served}/api/redoc", tmp_path / "profile")
    assert "/api/products" in page and "redoc-wrap" in page


def test_the_docs_pages_name_no_other_host(served):
    import requests

    for path in ("/api/docs", "/api/redoc"):
        page = requests.get(served + path, timeout=10).text
        assert "https://" not in page and "http://" not in page.replace(served, "")
