"""Import benchmark: ``commerce catalog import`` of a generated CSV into PostgreSQL.

Run (not part of the test suite):

    COMMERCE_TEST_DATABASE_URL=postgresql+psycopg2://postgres@127.0.0.1:5432/test \\
        python benchmarks/catalog_import_bench.py [--rows 100000] [--variant-share 0.3]

It writes a CSV of ``--rows`` rows (most are products; a share are the Size/Colour variants of
apparel, some with image URLs, a few rows are bad on purpose), imports it into a throw-away
schema (dropped at the end) with the real command, then imports it again (every row an
update, stock unchanged), and prints rows/s of both runs and the process's peak memory. The
target is at least 5,000 rows/s for 100,000 rows.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kernel.cli import cli  # noqa: E402
from kernel.infrastructure.db import db  # noqa: E402
from kernel.testing.databases import PostgresSchema, postgres_url  # noqa: E402
from kernel.testing.sites import build_test_app, make_site_data  # noqa: E402

HEADER = ["sku", "name", "price", "description", "stockQuantity", "category", "variantSku", "options",
          "variantPrice", "imageUrls"]
SIZES, COLOURS = ("S", "M", "L"), ("Red", "Blue")


def write_csv(path: Path, rows: int, variant_share: float, seed: int = 3) -> int:
    """Returns how many rows are bad on purpose (one in 1,000: a negative price)."""
    rng = random.Random(seed)
    bad = 0
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        written, number = 0, 0
        while written < rows:
            number += 1
            sku, name = f"P-{number:07d}", f"Product {number}"
            price = f"{rng.randint(100, 50_000) / 100:.2f}"
            if rng.random() < variant_share:
                for size in SIZES:
                    for colour in COLOURS:
                        if written < rows:
                            writer.writerow([sku, f"Tee {number}", price, "A tee.", rng.randint(0, 40), "",
                                             f"{sku}-{size}-{colour[0]}", f"Size={size};Colour={colour}",
                                             "" if size != "L" else f"{float(price) + 2:.2f}",
                                             f"https://cdn.example.com/{sku}-{colour}.jpg"])
                            written += 1
                continue
            if rng.random() < 0.001:
                price, bad = "-1", bad + 1
            writer.writerow([sku, name, price, f"A fine {name.lower()}.", rng.randint(0, 100), "", "", "", "", ""])
            written += 1
    return bad


def run(app, path: Path) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds of this process (the machine may be shared), and the summary line."""
    started, cpu = time.perf_counter(), time.process_time()
    result = CliRunner().invoke(cli, ["catalog", "import", "--no-progress", str(path)], obj={"app": app})
    return time.perf_counter() - started, time.process_time() - cpu, result.output.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--variant-share", type=float, default=0.05, help="share of products sold in 6 variants")
    parser.add_argument("--database-url", default=postgres_url())
    args = parser.parse_args()
    if not args.database_url:
        sys.exit("set COMMERCE_TEST_DATABASE_URL or pass --database-url (a PostgreSQL server)")
    schema = PostgresSchema(args.database_url)
    app = build_test_app(make_site_data(["catalog"], schema.url, logging={"level": "ERROR"}))
    try:
        with TemporaryDirectory() as folder:
            path = Path(folder) / "products.csv"
            bad = write_csv(path, args.rows, args.variant_share)
            print(f"{args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB, {bad} bad on purpose)")
            for label in ("first import (creates)", "second import (updates)"):
                seconds, cpu, summary = run(app, path)
                print(f"{label:26} {seconds:6.1f} s  {args.rows / seconds:8,.0f} rows/s  "
                      f"(CPU of the importer {cpu:.1f} s)   [{summary}]")
            print(f"load average during the runs: {os.getloadavg()[0]:.1f} (this machine has {os.cpu_count()} cores)")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of this process: {peak:.0f} MB")
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        schema.drop()


if __name__ == "__main__":
    main()
