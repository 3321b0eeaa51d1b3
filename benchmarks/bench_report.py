"""The benchmark's results: the table with ratios to the ceilings, the targets, a plot."""

from __future__ import annotations

import os
import platform
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench_load import FlashSale, LoadResult, LoadSettings
from bench_servers import Server, ServerSettings

BARE, RAW = "baseline: static body", "baseline: listing query"
ROUND_TRIPS = "baseline: static body after 2 Redis round trips"
CACHED, UNCACHED = "browse listing", "browse listing, no cache"
CACHED_TARGET, UNCACHED_TARGET = 0.6, 0.5
ADD, CHECKOUT = "add to cart", "check out"
ADD_CEILING, CHECKOUT_CEILING = "baseline: add to cart's statements", "baseline: check out's statements"
WRITE_TARGET = 0.5  # of each write's ceiling
CHECKOUT_P99_FACTOR = 3  # checkout's p99 at most this many times its ceiling's
CHECKOUT_STATEMENTS = 13  # at most, whatever the number of lines
WORKER_RSS_MIB = 120


@dataclass
class Row:
    step: str
    server: str
    result: LoadResult
    sql: str = ""


@dataclass
class Target:
    name: str
    figure: str
    met: bool


@dataclass
class Report:
    rows: list[Row]
    queries: dict[str, str]
    race: LoadResult
    flash: FlashSale
    audit: dict
    servers: list[Server]
    settings: ServerSettings
    load: LoadSettings
    body_bytes: int
    products: int
    shoppers: int
    services: str  # the PostgreSQL and Redis versions

    def _rps(self, step: str) -> float:
        return next(row.result.rps for row in self.rows if row.step == step)

    def ratios(self, row: Row) -> tuple[float, float]:
        return row.result.rps / self._rps(BARE), row.result.rps / self._rps(RAW)

    def server_errors(self) -> int:
        return sum(row.result.server_errors for row in self.rows) + self.race.server_errors

    def transport_errors(self) -> int:
        return sum(r.socket_errors + r.timeouts for r in [*(row.result for row in self.rows), self.race])

    def logged_errors(self) -> list[str]:
        return [f"{server.name}: {line}" for server in self.servers for line in server.server_errors()]

    def paired_ratio(self, step: str, ceiling: str) -> tuple[float, float, float]:
        """Median, lowest and highest of the per-round ratios: each round measures both sides
        seconds apart, so a change in the machine's background load touches a round's pair alike."""
        ours, theirs = (next(row.result.round_rps for row in self.rows if row.step == name) for name in (step, ceiling))
        ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
        return statistics.median(ratios), min(ratios), max(ratios)

    def _write_targets(self) -> list[Target]:
        targets = []
        for step, ceiling in ((ADD, ADD_CEILING), (CHECKOUT, CHECKOUT_CEILING)):
            ratio, low, high = self.paired_ratio(step, ceiling)
            targets.append(Target(f"{step} ≥ {WRITE_TARGET} × its statements on psycopg2",
                                  f"{ratio:.2f} × (rounds: {low:.2f}–{high:.2f})", ratio >= WRITE_TARGET))
        ours, theirs = (next(row.result.p99 for row in self.rows if row.step == name) for name in (CHECKOUT, CHECKOUT_CEILING))
        targets.append(Target(f"checkout p99 ≤ {CHECKOUT_P99_FACTOR} × its ceiling's",
                              f"{ours:.0f} ms vs {theirs:.0f} ms ({ours / theirs:.1f} ×)",
                              ours <= CHECKOUT_P99_FACTOR * theirs))
        most = max(int(self.queries[f"check out, {n} lines"]) for n in (1, 5, 20))
        targets.append(Target(f"statements per checkout ≤ {CHECKOUT_STATEMENTS}", f"{most}", most <= CHECKOUT_STATEMENTS))
        shop_rss = [mib for server in self.servers if server.name == "shop" for mib in server.rss_mib]
        targets.append(Target(f"RSS per shop worker ≤ {WORKER_RSS_MIB} MiB", f"{max(shop_rss):.0f} MiB",
                              max(shop_rss) <= WORKER_RSS_MIB))
        flash = self.flash
        targets.append(Target(
            f"flash sale: {flash.shoppers} shoppers, {flash.stock} units, sent within 2 s",
            f"{flash.statuses.get(201, 0)} × 201, {flash.statuses.get(409, 0)} × 409, "
            f"{sum(n for status, n in flash.statuses.items() if status not in (201, 409))} other; "
            f"sent over {flash.spread_s:.2f} s; p99 {flash.p99:.0f} ms", flash.exact and flash.spread_s <= 2))
        return targets

    def targets(self) -> list[Target]:
        cached, cached_low, cached_high = self.paired_ratio(CACHED, BARE)
        uncached, uncached_low, uncached_high = self.paired_ratio(UNCACHED, RAW)
        checkout = [self.queries[f"check out, {n} lines"] for n in (1, 5, 20)]
        created = self.race.statuses.get("2xx", 0)
        audit = self.audit
        oversold = (audit["negative_stock"] or audit["sold_not_matching_stock"] or audit["limited_left"] < 0
                    or audit["limited_orders"] != created)
        return [
            Target(f"cached listing ≥ {CACHED_TARGET} × bare Flask",
                   f"{cached:.2f} × (rounds: {cached_low:.2f}–{cached_high:.2f})", cached >= CACHED_TARGET),
            Target(f"uncached listing ≥ {UNCACHED_TARGET} × raw psycopg2",
                   f"{uncached:.2f} × (rounds: {uncached_low:.2f}–{uncached_high:.2f})", uncached >= UNCACHED_TARGET),
            Target("checkout SQL constant in the number of lines", " / ".join(checkout) + " (1 / 5 / 20 lines)",
                   len(set(checkout)) == 1),
            Target("no 5xx and no transport error during the whole run",
                   f"{self.server_errors()} × 5xx, {self.transport_errors()} socket errors or timeouts, "
                   f"{len(self.logged_errors())} error lines logged",
                   self.server_errors() == 0 and self.transport_errors() == 0 and not self.logged_errors()),
            Target("no oversell",
                   f"race: {audit['limited_orders']} orders, {audit['limited_sold']} sold of "
                   f"{audit['limited_sold'] + audit['limited_left']}, {audit['limited_left']} left, "
                   f"{created} × 201, {self.race.statuses.get('409', 0)} × 409; all {audit['products']} products: "
                   f"{audit['negative_stock']} below zero, {audit['sold_not_matching_stock']} whose stock "
                   f"moves differ from their order lines ({audit['units_sold']} units sold)",
                   not oversold),
            *self._write_targets(),
        ]

    def targets_met(self) -> bool:
        return all(target.met for target in self.targets())

    # --- text -------------------------------------------------------------------------

    def table(self) -> list[str]:
        lines = ["| step | server | req/s | p50 ms | p95 ms | p99 ms | SQL / request | × bare Flask | × raw psycopg2 | "
                 "answers |",
                 "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
        for row in self.rows:
            r = row.result
            to_bare, to_raw = self.ratios(row)
            statuses = ", ".join(f"{n} × {cls}" for cls, n in sorted(r.statuses.items()))
            lines.append(f"| {row.step} | {row.server} | {r.rps:,.0f} | {r.p50:.1f} | {r.p95:.1f} | {r.p99:.1f} | "
                         f"{row.sql or '–'} | {to_bare:.2f} | {to_raw:.2f} | {statuses} |")
        return lines

    def machine(self) -> str:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), platform.processor())
        return (f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {self.services}; "
                f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC")

    def text(self) -> str:
        s, load = self.settings, self.load
        out = [
            f"Machine: {self.machine()}",
            f"Servers: gunicorn (deploy/gunicorn.conf.py), {s.workers} workers × {s.threads} threads each; "
            f"load: wrk, {load.connections} connections, {load.warmup:g} s warm-up + {load.duration:g} s per step, "
            f"all on 127.0.0.1.",
            f"Data: {self.products:,} products, {self.shoppers} signed-in shoppers; listing answer "
            f"{self.body_bytes:,} bytes (the bare-Flask body is the same bytes).",
            "",
            *self.table(),
            "",
            "SQL / request: statements counted in-process for one request; reads show cache miss → cache hit.",
            "Targets compare the listing with its ceilings round by round (the median of the alternating rounds' "
            "ratios); the table's ratios divide whole-step totals.",
            f"Plain WSGI doing only the two Redis round trips a cached answer needs (count the hit, read the "
            f"answer) reaches {self.paired_ratio(ROUND_TRIPS, BARE)[0]:.2f} × bare Flask: the ceiling of any "
            f"server that counts and caches in Redis; the cached listing reaches "
            f"{self.paired_ratio(CACHED, ROUND_TRIPS)[0]:.2f} × that ceiling.",
            "Checkout with 1 / 5 / 20 lines: " + " / ".join(self.queries[f"check out, {n} lines"] for n in (1, 5, 20))
            + " statements.",
            "",
            "| server | RSS per worker after the run (MiB) |",
            "|---|---|",
            *(f"| {server.name} | {', '.join(f'{mib:.0f}' for mib in server.rss_mib)} |" for server in self.servers),
            "",
            "| target | figure | met |",
            "|---|---|---|",
            *(f"| {t.name} | {t.figure} | {'yes' if t.met else '**MISSED**'} |" for t in self.targets()),
        ]
        logged = self.logged_errors()
        if logged:
            out += ["", "Error lines in the server logs:", *(f"    {line[:200]}" for line in logged[:20])]
        return "\n".join(out)

    def write(self, markdown: Path, image: Path) -> None:
        markdown.write_text(
            "# Benchmark results\n\n"
            "Written by `bash benchmarks/run.sh` (method: [docs/benchmarks.md](../docs/benchmarks.md)). "
            "Figures from one run on the machine below; compare ratios, not absolute numbers, across machines.\n\n"
            + self.text() + f"\n\n![requests per second and latency per step]({image.name})\n")
        self.plot(image)

    def plot(self, image: Path) -> None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        labels = [row.step for row in self.rows]
        colours = ["#7f7f7f" if row.step.startswith("baseline") else "#1f77b4" for row in self.rows]
        figure, (rps, latency) = plt.subplots(1, 2, figsize=(13, 5.5))
        rps.barh(labels, [row.result.rps for row in self.rows], color=colours)
        rps.invert_yaxis()
        rps.set_xlabel("requests per second (higher is better)")
        rps.set_title("Throughput per step (grey: the ceilings)")
        for index, row in enumerate(self.rows):
            rps.text(row.result.rps, index, f" {row.result.rps:,.0f}", va="center", fontsize=8)
        height = 0.27
        for offset, (name, pick) in enumerate((("p50", lambda r: r.p50), ("p95", lambda r: r.p95),
                                               ("p99", lambda r: r.p99))):
            latency.barh([i + (offset - 1) * height for i in range(len(self.rows))],
                         [pick(row.result) for row in self.rows], height=height, label=name)
        latency.set_yticks(range(len(self.rows)), labels)
        latency.invert_yaxis()
        latency.set_xlabel("latency, ms (lower is better)")
        latency.set_title("Latency per step")
        latency.legend()
        figure.tight_layout()
        figure.savefig(image, dpi=110)
        plt.close(figure)

