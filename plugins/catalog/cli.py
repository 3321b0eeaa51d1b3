"""``commerce catalog import FILE`` and ``commerce catalog seed``."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from tqdm import tqdm

from plugins.catalog.bulk_import import HeaderError, ImportReport, run_import


@click.group("catalog")
def catalog():
    """Products and categories: import from CSV, fill with demo data."""


def _app():
    from kernel.cli import site_app

    return site_app()


@catalog.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--progress/--no-progress", default=True, show_default=True, help="Show a progress bar (on stderr).")
def import_products(file: Path, progress: bool):
    """Create or update (by SKU) products and their variants from a CSV FILE, streamed in batches.

    The header names the API's fields: sku, name, price (required), slug, description,
    stockQuantity, lowStockThreshold, isActive, category (a category slug); a row with
    variantSku and options (Size=M;Colour=Red), and optionally variantPrice, is one variant
    of the product of its sku; imageUrls adds images by URL (separated by spaces). Bad rows
    (and repeats of a SKU) are reported with their line number and skipped; the exit status
    is 1 when any row was rejected.
    """
    from plugins.catalog.bootstrap import catalog_service

    report = ImportReport()
    started = time.monotonic()
    with _app().app_context(), file.open(newline="", encoding="utf-8-sig") as handle, \
            tqdm(unit=" rows", desc=f"Importing {file.name}", disable=not progress, file=sys.stderr) as bar:
        service = catalog_service()

        def show(report: ImportReport) -> None:
            bar.update(report.rows - bar.n)
            bar.set_postfix(rejected=len(report.errors), refresh=False)

        try:
            run_import(handle, service.import_batch, report, show)
        except HeaderError as exc:
            raise click.ClickException(f"{file}: {exc}") from None
    seconds = time.monotonic() - started
    for error in report.errors:
        click.echo(error, err=True)
    click.echo(f"{report.created} created, {report.updated} updated, {len(report.errors)} row(s) rejected "
               f"in {seconds:.1f} s ({report.rows / seconds if seconds else 0:,.0f} rows/s)")
    if report.errors:
        raise SystemExit(1)


@catalog.command("seed")
@click.option("--per-kind", default=6, show_default=True, help="Variants of each of the 44 kinds of product.")
def seed(per_kind: int):
    """Fill an empty catalog with demo categories and products (does nothing if it has products)."""
    from plugins.catalog.bootstrap import catalog_media, catalog_service
    from plugins.catalog.imaging import checked_upload, drawn_picture, store_renditions
    from plugins.catalog.seed import demo_categories, demo_pictures, demo_products

    def store(title: str, colour: tuple[int, int, int]) -> tuple[str, int, int, dict[str, str]]:
        media = catalog_media()
        image = checked_upload(drawn_picture(title, colour), max_bytes=10**8, max_pixels=10**8)
        media.put(image.name, image.data, image.content_type)
        return image.name, image.width, image.height, store_renditions(media, image.data)

    with _app().app_context():
        products = demo_products(per_kind)
        if catalog_service().seed(demo_categories(), products, demo_pictures(store)):
            click.echo(f"catalog seeded: {len(demo_categories())} categories, {len(products)} products with pictures")
        else:
            click.echo("the catalog already has products; nothing seeded")
