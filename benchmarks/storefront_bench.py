"""The storefront's performance budget: initial JavaScript (gzip) of the landing route, and
Lighthouse (mobile preset) on the home, listing and product pages of the production build served
by `commerce serve` on a freshly seeded demo site. Exits 1 past a budget.

    .venv/bin/python benchmarks/storefront_bench.py      (about a minute; needs node and chromium)
"""

from __future__ import annotations

import gzip
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOREFRONT = ROOT / "storefront"
BUILD = STOREFRONT / "dist" / "storefront" / "browser"
COMMERCE = str(Path(sys.executable).parent / "commerce")
INITIAL_JS_BUDGET_KB = 150
SCORE_BUDGET = 95
INITIAL_SCRIPT = re.compile(r'<(?:script src|link rel="modulepreload" href)="([^"]+\.js)"')


def initial_js_gzip_kb() -> float:
    """What the landing route downloads before it runs: the scripts and module preloads of index.html."""
    files = INITIAL_SCRIPT.findall((BUILD / "index.html").read_text())
    return sum(len(gzip.compress((BUILD / name).read_bytes(), 9)) for name in files) / 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.load(answer)


def serve_demo(instance: str) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "COMMERCE_SITE_INSTANCE_PATH": instance}
    for command in (["db", "upgrade"], ["catalog", "seed", "--per-kind", "2"]):
        subprocess.run([COMMERCE, *command], env=env, check=True, capture_output=True, timeout=600)
    port = free_port()
    server = subprocess.Popen([COMMERCE, "serve", "--port", str(port), "--no-jobs"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            return server, base
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("commerce serve did not start")


def main() -> int:
    if not (BUILD / "index.html").is_file():
        subprocess.run(["npx", "ng", "build"], cwd=STOREFRONT, check=True)
    js_kb = initial_js_gzip_kb()
    with tempfile.TemporaryDirectory() as instance:
        server, base = serve_demo(instance)
        try:
            category = get_json(f"{base}/api/categories")[0]["slug"]
            product = get_json(f"{base}/api/products?pageSize=1&inStock=true")["items"][0]["slug"]
            urls = [f"{base}/", f"{base}/products?category={category}", f"{base}/products/{product}"]
            result = subprocess.run(["node", "bench/lighthouse.mjs", *urls], cwd=STOREFRONT, capture_output=True,
                                    text=True, timeout=900, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
        finally:
            server.terminate()
            server.wait(timeout=30)
    if result.returncode != 0:
        print(result.stdout[-3000:], result.stderr[-3000:], file=sys.stderr)
        return 1
    pages = json.loads(result.stdout.strip().splitlines()[-1])["pages"]
    print(f"initial JavaScript of the landing route: {js_kb:.1f} kB gzip (budget {INITIAL_JS_BUDGET_KB} kB)")
    print(f"{'page':<40} {'performance':>11} {'accessibility':>13} {'FCP ms':>7} {'LCP ms':>7} {'TBT ms':>7} "
          f"{'API calls':>9}")
    for page in pages:
        path = page["url"].split("/", 3)[3] or "(home)"
        print(f"/{path:<39} {page['performance']:>11} {page['accessibility']:>13} {page['fcpMs']:>7} {page['lcpMs']:>7} "
              f"{page['tbtMs']:>7} {page['apiCalls']:>9}"
              + (f"  failing: {', '.join(page['failedAudits'])}" if page["failedAudits"] else ""))
    over = js_kb > INITIAL_JS_BUDGET_KB or any(min(p["performance"], p["accessibility"]) < SCORE_BUDGET for p in pages)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
