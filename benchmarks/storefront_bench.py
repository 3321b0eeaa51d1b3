"""The storefront's performance budget: initial JavaScript (gzip) of the landing route, and
Lighthouse (mobile preset) on the home, listing and product pages of the production build on a
freshly seeded demo site, served by `commerce serve` and by nginx rendered from
deploy/nginx.conf.template in front of it (as in production). Each page is measured --runs times
(default 3); the table gives the median and the range. Exits 1 past a budget (on the medians).

    .venv/bin/python benchmarks/storefront_bench.py [--runs 3] [--servers commerce,nginx] [--device-index 264] [--build DIR]
    (about 3 minutes per server at 3 runs; needs node, chromium; nginx-light is installed with
    apt-get when missing and running as root, as deploy/prove_topology.py does)

The preset slows the CPU 4× whatever the host; on a loaded shared machine that simulates a far
slower phone than the preset's. ``--device-index 264`` slows it by host index / 264 instead (the
preset's phone, see docs/benchmarks.md); the table names the slowdown used. ``--build DIR`` measures
another build's files (a copy of an earlier build, for before/after runs in turn) instead of
storefront/dist/storefront/browser.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
from prove_topology import nginx_binary, render_template  # noqa: E402  (the proof's own nginx set-up)

STOREFRONT = ROOT / "storefront"
BUILD = STOREFRONT / "dist" / "storefront" / "browser"
COMMERCE = str(Path(sys.executable).parent / "commerce")
INITIAL_JS_BUDGET_KB = 150
SCORE_BUDGET = 95
INITIAL_SCRIPT = re.compile(r'<(?:script src|link rel="modulepreload" href)="([^"]+\.js)"')
METRICS = (("performance", "performance", ""), ("accessibility", "a11y", ""), ("fcpMs", "FCP", " ms"),
           ("lcpMs", "LCP", " ms"), ("tbtMs", "TBT", " ms"), ("cls", "CLS", ""))


def initial_js_gzip_kb(build: Path) -> float:
    """What the landing route downloads before it runs: the scripts and module preloads of index.html."""
    files = INITIAL_SCRIPT.findall((build / "index.html").read_text())
    return sum(len(gzip.compress((build / name).read_bytes(), 9)) for name in files) / 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.load(answer)


def wait_for(url: str, process: subprocess.Popen, what: str) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.5)
    raise SystemExit(f"{what} did not start")


@contextmanager
def running(argv: list[str], **popen):
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **popen)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def serve_demo(stack: ExitStack, instance: str, build: Path) -> str:
    """`commerce serve` on a freshly seeded demo site, serving ``build``; its base URL."""
    env = {**os.environ, "COMMERCE_SITE_INSTANCE_PATH": instance, "COMMERCE_STOREFRONT_DIR": str(build)}
    for command in (["db", "upgrade"], ["catalog", "seed", "--per-kind", "2"]):
        subprocess.run([COMMERCE, *command], env=env, check=True, capture_output=True, timeout=600)
    port = free_port()
    server = stack.enter_context(running([COMMERCE, "serve", "--port", str(port), "--no-jobs"], env=env))
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/healthz", server, "commerce serve")
    return base


def serve_nginx(stack: ExitStack, api_base: str, workdir: Path, build: Path) -> str:
    """nginx from the production template: the build from disk, /api and /media from `commerce serve`."""
    api = api_base.removeprefix("http://")
    port = free_port()
    workdir.chmod(0o755)  # nginx workers drop root: they must reach their temp folders
    conf = workdir / "nginx.conf"
    conf.write_text(render_template(ROOT / "deploy" / "nginx.conf.template", {
        "LISTEN_PORT": str(port), "API_1": api, "API_2": api, "EVENTS": api,
        "NGINX_RUN_DIR": str(workdir), "STOREFRONT_ROOT": str(build)}))
    server = stack.enter_context(running([nginx_binary(), "-e", "stderr", "-p", str(workdir), "-c", str(conf),
                                          "-g", "daemon off;"]))
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/lb-healthz", server, "nginx")
    return base


def lighthouse(urls: list[str], runs: int, device_index: int | None) -> list[dict]:
    calibration = ["--device-index", str(device_index)] if device_index else []
    result = subprocess.run(["node", "bench/lighthouse.mjs", "--runs", str(runs), *calibration, *urls], cwd=STOREFRONT,
                            capture_output=True, text=True, timeout=300 * len(urls) * runs,
                            env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
    if result.returncode != 0:
        raise SystemExit(f"Lighthouse failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])["pages"]


def summary(runs: list[dict], key: str) -> tuple[float, float, float]:
    values = [run[key] for run in runs]
    return statistics.median(values), min(values), max(values)


def print_table(server: str, pages: list[dict]) -> None:
    slowdowns = [run["cpuSlowdown"] for page in pages for run in page["runs"]]
    print(f"\n{server}: median (min–max) of {len(pages[0]['runs'])} runs per page, CPU slowed "
          f"{min(slowdowns):g}–{max(slowdowns):g}×")
    print(f"{'page':<34}" + "".join(f"{label:>20}" for _, label, _ in METRICS) + f"{'API calls':>10}{'host index':>11}")
    for page in pages:
        path = "/" + (page["url"].split("/", 3)[3] or "")
        cells = []
        for key, _, unit in METRICS:
            median, low, high = summary(page["runs"], key)
            cells.append(f"{median:g}{unit} ({low:g}–{high:g})")
        index = statistics.median(run["benchmarkIndex"] for run in page["runs"])
        print(f"{path:<34}" + "".join(f"{cell:>20}" for cell in cells) + f"{page['runs'][0]['apiCalls']:>10}{index:>11g}")
        last = page["runs"][-1]
        print(f"{'':<34}LCP element {last['lcpElement'][:70] if last['lcpElement'] else '-'}; phases {last['lcpPhases']}"
              + (f"; failing: {', '.join(last['failedAudits'])}" if last["failedAudits"] else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--servers", default="commerce,nginx", help="comma-separated: commerce, nginx")
    parser.add_argument("--device-index", type=int, help="calibrate the CPU slowdown to a device of this index")
    parser.add_argument("--build", type=Path, default=BUILD, help="the built files to serve (default: the storefront's build)")
    args = parser.parse_args()
    build = args.build.resolve()
    if build == BUILD and not (BUILD / "index.html").is_file():
        subprocess.run(["npx", "ng", "build"], cwd=STOREFRONT, check=True)
    js_kb = initial_js_gzip_kb(build)
    print(f"initial JavaScript of the landing route: {js_kb:.1f} kB gzip (budget {INITIAL_JS_BUDGET_KB} kB)")
    over = js_kb > INITIAL_JS_BUDGET_KB
    with ExitStack() as stack, tempfile.TemporaryDirectory() as instance, tempfile.TemporaryDirectory() as nginx_dir:
        bases = {"commerce": serve_demo(stack, instance, build)}
        if "nginx" in args.servers.split(","):
            bases["nginx"] = serve_nginx(stack, bases["commerce"], Path(nginx_dir), build)
        api = bases["commerce"]
        category = get_json(f"{api}/api/categories")[0]["slug"]
        product = get_json(f"{api}/api/products?pageSize=1&inStock=true")["items"][0]["slug"]
        for server in args.servers.split(","):
            base = bases[server]
            pages = lighthouse([f"{base}/", f"{base}/products?category={category}", f"{base}/products/{product}"],
                               args.runs, args.device_index)
            print_table("`commerce serve`" if server == "commerce" else "nginx in front", pages)
            over |= any(min(summary(p["runs"], "performance")[0], summary(p["runs"], "accessibility")[0])
                        < SCORE_BUDGET for p in pages)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
