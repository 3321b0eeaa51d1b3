"""The import's reader thread: it parses ahead of the writes, and when a write fails it stops,
closing the file's reader (and the temporary file of the SKUs seen) instead of waiting forever
on a full queue inside a server that runs imports from an upload."""

from __future__ import annotations

import io
import threading

import pytest

from plugins.catalog.bulk_import import batches, read_ahead

HEADER = "sku,name,price\n"


def csv_of(rows: int) -> io.StringIO:
    return io.StringIO(HEADER + "".join(f"SKU-{n},Mug {n},9.50\n" for n in range(rows)))


def readers() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "csv-reader"]


def test_every_batch_arrives_in_order_with_its_rejections():
    text = csv_of(5)
    text.seek(0, io.SEEK_END)
    text.write("SKU-1,Mug again,9.50\n")
    text.seek(0)
    got = list(read_ahead(batches(text, size=2)))
    assert [[row.product.sku for row in batch.rows] for batch in got] == [["SKU-0", "SKU-1"], ["SKU-2", "SKU-3"],
                                                                         ["SKU-4"]]
    assert got[-1].errors == ["line 7: sku: 'SKU-1' is already on line 3"]


def test_a_failed_write_stops_the_reader_and_closes_the_file_reader():
    source = batches(csv_of(50), size=2)
    with pytest.raises(RuntimeError, match="database went away"):
        for _ in read_ahead(source, depth=1):
            raise RuntimeError("database went away")  # the first batch fails to store
    assert readers() == []  # joined, not left waiting on the queue
    assert source.gi_frame is None  # the generator was closed: its SQLite file with it
