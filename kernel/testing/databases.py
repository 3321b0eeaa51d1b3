"""Throw-away databases for tests: a schema of its own on PostgreSQL, a file on SQLite."""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import sqlalchemy as sa

POSTGRES_ENV = "COMMERCE_TEST_DATABASE_URL"
REDIS_ENV = "COMMERCE_TEST_REDIS_URL"


def postgres_url() -> str | None:
    """The PostgreSQL server tests may use (``$COMMERCE_TEST_DATABASE_URL``), or None."""
    return os.environ.get(POSTGRES_ENV) or None


def redis_url() -> str | None:
    return os.environ.get(REDIS_ENV) or None


def with_search_path(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


class PostgresSchema:
    """A fresh PostgreSQL schema; its URL puts every connection in it."""

    def __init__(self, server_url: str):
        self.server_url = server_url
        self.name = f"t_{uuid.uuid4().hex[:12]}"
        self.url = with_search_path(server_url, self.name)
        self._engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with self._engine.connect() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{self.name}"'))

    def drop(self) -> None:
        with self._engine.connect() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self._engine.dispose()
