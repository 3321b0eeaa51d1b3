"""``commerce catalog import``: a CSV streamed in batches, each batch one transaction of a few
set-based statements (``plugins.catalog.repository.SqlCatalogRepository.import_batch``).

A row is a product (today's columns), or one variant of it when ``variantSku`` is set (with
``options`` such as ``Size=M;Colour=Red`` and an optional ``variantPrice``); ``imageUrls``
(separated by spaces) adds images kept as their URLs. Rows are validated one by one and a
bad row is reported with its line number and field; the valid rows are kept.
"""

from __future__ import annotations

import csv
import io
import queue
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TextIO

import marshmallow as ma

from kernel.domain.errors import DomainError, ValidationFailed
from kernel.web.schemas import FlatLoader
from plugins.catalog.domain import ProductData, price_errors
from plugins.catalog.schemas import CatalogProductCsvSchema

BATCH = 2000
VARIANT_COLUMNS = {"variantSku", "options", "variantPrice", "imageUrls"}
PRODUCT_SCHEMA = CatalogProductCsvSchema(exclude=("options", "variants"))
PRODUCT_LOADER = FlatLoader(PRODUCT_SCHEMA)
COLUMNS = {f.data_key for f in PRODUCT_SCHEMA.fields.values()} | VARIANT_COLUMNS
REQUIRED = {f.data_key for f in PRODUCT_SCHEMA.fields.values() if f.required}


class HeaderError(ValueError):
    """Unknown or missing columns: nothing is read."""


@dataclass(frozen=True)
class ImportRow:
    line: int
    product: ProductData
    variant_sku: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    variant_price: Decimal | None = None
    image_urls: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """What a repeat of the row would repeat: the variant's SKU (a product's own row: its SKU)."""
        return self.variant_sku or self.product.sku


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.created + self.updated + len(self.errors)


def _messages(errors: dict) -> str:
    return "; ".join(f"{name}: {' '.join(map(str, msgs)) if isinstance(msgs, list) else msgs}"
                     for name, msgs in errors.items())


def _options(text: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for part in filter(None, (piece.strip() for piece in text.split(";"))):
        name, equals, value = part.partition("=")
        if not equals or not name.strip() or not value.strip() or len(name) > 50 or len(value) > 50:
            raise DomainError("bad options", errors={"options": ["Write Name=Value pairs separated by ';' "
                                                                 "(e.g. Size=M;Colour=Red)."]})
        pairs.append((name.strip(), value.strip()))
    if len({name.lower() for name, _ in pairs}) != len(pairs):
        raise DomainError("bad options", errors={"options": ["Name each option once."]})
    return tuple(pairs)


def parse_row(line: int, cells: dict[str, str]) -> ImportRow:
    """Raises ``marshmallow.ValidationError`` or ``DomainError`` naming the columns."""
    present = {key.strip(): value.strip() for key, value in cells.items() if key and value is not None and value.strip()}
    extra = {key: present.pop(key) for key in VARIANT_COLUMNS & present.keys()}
    product = ProductData(**PRODUCT_LOADER.load(present)).validated()
    variant_sku = extra.get("variantSku")
    if variant_sku is not None and len(variant_sku) > 100:
        raise DomainError("bad variantSku", errors={"variantSku": ["Longer than 100 characters."]})
    options = _options(extra.get("options", ""))
    if bool(variant_sku) != bool(options):
        raise DomainError("variant", errors={"options" if variant_sku else "variantSku": [
            "A variant row needs both variantSku and options."]})
    price = None
    if "variantPrice" in extra:
        try:
            price = Decimal(extra["variantPrice"])
        except InvalidOperation:
            raise DomainError("bad price", errors={"variantPrice": ["Not a number."]}) from None
        if problems := price_errors(price):
            raise DomainError("bad price", errors={"variantPrice": problems})
    urls = tuple(extra.get("imageUrls", "").split())
    if any(not url.startswith(("https://", "http://")) or len(url) > 500 for url in urls):
        raise DomainError("bad url", errors={"imageUrls": ["Give http(s) URLs of at most 500 characters, "
                                                           "separated by spaces."]})
    return ImportRow(line, product, variant_sku, options, price, urls)


def check_header(names: Iterable[str]) -> None:
    header = {name.strip() for name in names}
    if unknown := sorted(header - COLUMNS):
        raise HeaderError(f"unknown column(s) {', '.join(unknown)} (known: {', '.join(sorted(COLUMNS))})")
    if missing := sorted(REQUIRED - header):
        raise HeaderError(f"missing column(s) {', '.join(missing)}")


UNREADABLE = (HeaderError, UnicodeDecodeError, csv.Error)


def unreadable(exc: Exception) -> ValidationFailed:
    """The problem naming ``file`` for one of the :data:`UNREADABLE` errors."""
    reason = str(exc) if isinstance(exc, HeaderError) else "Not a UTF-8 CSV file."
    return ValidationFailed(f"The file cannot be imported: {reason}", errors={"file": [reason]})


def data_rows(content: bytes) -> int:
    """How many rows follow the file's header (checked first), before any row is parsed: the
    total a background import's progress is measured against. Raises one of :data:`UNREADABLE`."""
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    check_header(next(reader, []))
    return sum(1 for row in reader if row)  # as DictReader, blank lines are no rows


@dataclass
class Batch:
    """Up to ``BATCH`` valid rows and the rejections met while reading them."""
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class SeenKeys:
    """The SKUs read so far and the line each was first on, for the repeat check: in a temporary
    SQLite file rather than on the heap, so the importer's memory stays flat however long the file
    (the file is deleted when closed). Used by the one thread that reads the CSV."""

    def __init__(self):
        self._file = tempfile.NamedTemporaryFile(prefix="commerce-import-", suffix=".sqlite")
        self._db = sqlite3.connect(self._file.name)
        self._db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                               "CREATE TABLE seen (key TEXT PRIMARY KEY, line INTEGER NOT NULL)")

    def first_line(self, key: str, line: int) -> int | None:
        """None the first time ``key`` comes (it is remembered at ``line``), else the line it first came on."""
        if self._db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (key, line)).rowcount:
            return None
        return self._db.execute("SELECT line FROM seen WHERE key = ?", (key,)).fetchone()[0]

    def close(self) -> None:
        self._db.close()
        self._file.close()


def batches(handle: TextIO, size: int = BATCH) -> Iterator[Batch]:
    """The file's valid rows, ``size`` at a time, read as they come; bad rows and repeats ride along
    as the batch's errors. Memory holds a batch or two, whatever the file's length."""
    reader = csv.DictReader(handle)
    check_header(reader.fieldnames or [])
    seen = SeenKeys()
    batch = Batch()
    try:
        for line, cells in enumerate(reader, start=2):  # line 1 is the header
            try:
                row = parse_row(line, cells)
            except ma.ValidationError as exc:
                batch.errors.append(f"line {line}: {_messages(exc.messages)}")
                continue
            except DomainError as exc:
                batch.errors.append(f"line {line}: {_messages(exc.errors) if exc.errors else exc.detail}")
                continue
            if (first := seen.first_line(row.key, line)) is not None:
                batch.errors.append(f"line {line}: sku: {row.key!r} is already on line {first}")
                continue
            batch.rows.append(row)
            if len(batch.rows) >= size:
                yield batch
                batch = Batch()
        if batch.rows or batch.errors:
            yield batch
    finally:
        seen.close()


def read_ahead(items: Generator[Batch, None, None], depth: int = 2) -> Iterator[Batch]:
    """``items``, produced by a thread up to ``depth`` ahead: the next batch is parsed while the
    database writes this one (the driver lets go of the GIL while it waits). What the thread
    raises is raised here; a consumer that stops early (a batch failed to store) stops the thread,
    which closes ``items`` (its temporary files with it) instead of waiting on a full queue."""
    ahead: queue.Queue = queue.Queue(maxsize=depth)
    done, stop = object(), threading.Event()

    def offer(item) -> bool:
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer(item):
                    return
            offer(done)
        except BaseException as exc:  # handed over to the consumer, which raises it
            offer(exc)
        finally:
            items.close()

    reader = threading.Thread(target=produce, name="csv-reader", daemon=True)
    reader.start()
    try:
        while (item := ahead.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()


def run_import(handle: TextIO, store: Callable[[list[ImportRow], ImportReport], None], report: ImportReport,
               progress: Callable[[ImportReport], None] = lambda report: None) -> ImportReport:
    """Stream ``handle`` into ``store`` batch by batch, calling ``progress`` after each."""
    for batch in read_ahead(batches(handle)):
        report.errors += batch.errors
        if batch.rows:
            store(batch.rows, report)
        progress(report)
    progress(report)
    return report
