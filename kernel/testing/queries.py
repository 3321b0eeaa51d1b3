"""Count the SQL statements an app runs, to show that a read issues a constant number of queries.

::

    with count_queries(app) as statements:
        client.get("/api/products?pageSize=50")
    assert len(statements) <= 2, statements
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask

from kernel.infrastructure.db import db


@contextmanager
def count_queries(app: Flask) -> Iterator[list[str]]:
    """Collect, in order, every statement the calling thread sends to ``app``'s database inside
    the block (an ``executemany`` counts once; BEGIN/COMMIT are not statements the driver sees
    here). Background threads, such as the event publisher marking what it broadcast, are left
    out: their statements serve batches of requests and land whenever the thread runs."""
    statements: list[str] = []
    caller = threading.get_ident()

    def record(conn, cursor, statement, *args):
        if threading.get_ident() == caller:
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
