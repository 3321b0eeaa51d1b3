"""``commerce catalog import FILE`` and ``commerce catalog seed``."""

from __future__ import annotations

import csv
from pathlib import Path

import click
import marshmallow as ma

from kernel.domain.errors import DomainError
from plugins.catalog.domain import ProductData
from plugins.catalog.schemas import CatalogProductCreateSchema, load_csv_row

COLUMNS = {field.data_key for field in CatalogProductCreateSchema().fields.values()}
REQUIRED = {field.data_key for field in CatalogProductCreateSchema().fields.values() if field.required}


@click.group("catalog")
def catalog():
    """Products and categories: import from CSV, fill with demo data."""


def _app():
    from kernel.cli import site_app

    return site_app()


def _messages(errors: dict) -> str:
    return "; ".join(f"{field}: {' '.join(map(str, msgs)) if isinstance(msgs, list) else msgs}"
                     for field, msgs in errors.items())


@catalog.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_products(file: Path):
    """Create or update (by SKU) products from a CSV FILE.

    The header names the API's fields: sku, name, price (required), slug, description,
    stockQuantity, lowStockThreshold, isActive, category (a category slug). Each row is
    stored on its own; bad rows (and repeats of a SKU) are reported with their line
    number and skipped; the exit status is 1 when any row was rejected.
    """
    from plugins.catalog.bootstrap import catalog_service

    with file.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = {name.strip() for name in reader.fieldnames or []}
        if unknown := sorted(header - COLUMNS):
            raise click.ClickException(f"{file}: unknown column(s) {', '.join(unknown)} (known: {', '.join(sorted(COLUMNS))})")
        if missing := sorted(REQUIRED - header):
            raise click.ClickException(f"{file}: missing column(s) {', '.join(missing)}")
        rows = list(reader)

    counts = {"created": 0, "updated": 0}
    errors: list[str] = []
    first_line: dict[str, int] = {}  # SKU -> the line that had it first
    with _app().app_context():
        service = catalog_service()
        with click.progressbar(rows, label=f"Importing {file.name}", show_pos=True) as progress:
            for line, row in enumerate(progress, start=2):  # line 1 is the header
                try:
                    data = ProductData(**load_csv_row(row))
                    if data.sku in first_line:
                        errors.append(f"line {line}: sku: {data.sku!r} is already on line {first_line[data.sku]}")
                        continue
                    first_line[data.sku] = line
                    counts[service.import_product(data)] += 1
                except ma.ValidationError as exc:
                    errors.append(f"line {line}: {_messages(exc.messages)}")
                except DomainError as exc:
                    errors.append(f"line {line}: {_messages(exc.errors) if exc.errors else exc.detail}")
    for error in errors:
        click.echo(error, err=True)
    click.echo(f"{counts['created']} created, {counts['updated']} updated, {len(errors)} row(s) rejected")
    if errors:
        raise SystemExit(1)


@catalog.command("seed")
@click.option("--per-kind", default=6, show_default=True, help="Variants of each of the 44 kinds of product.")
def seed(per_kind: int):
    """Fill an empty catalog with demo categories and products (does nothing if it has products)."""
    from plugins.catalog.bootstrap import catalog_service
    from plugins.catalog.seed import demo_categories, demo_products

    with _app().app_context():
        products = demo_products(per_kind)
        if catalog_service().seed(demo_categories(), products):
            click.echo(f"catalog seeded: {len(demo_categories())} categories, {len(products)} products")
        else:
            click.echo("the catalog already has products; nothing seeded")
