"""SQL adapter of :class:`plugins.catalog.import_runs.ImportRunStore` (the ``product_imports`` table)."""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa

from plugins.catalog.import_runs import ImportRun, ImportRunStore
from plugins.catalog.orm import product_imports as t

FIELDS = ("id", "state", "total_rows", "created_at", "rows_done", "created", "updated", "rejected", "errors",
          "failure", "finished_at")


class SqlImportRuns(ImportRunStore):
    def __init__(self, session):
        self.session = session

    def add(self, run: ImportRun, content: bytes) -> None:
        self.session.execute(sa.insert(t).values(**_values(run), content=content))

    def get(self, run_id: UUID, *, for_update: bool = False) -> ImportRun | None:
        query = sa.select(*(t.c[name] for name in FIELDS)).where(t.c.id == run_id)
        row = self.session.execute(query.with_for_update() if for_update else query).mappings().first()
        return None if row is None else ImportRun(**{**row, "errors": list(row["errors"])})

    def content(self, run_id: UUID) -> bytes | None:
        return self.session.execute(sa.select(t.c.content).where(t.c.id == run_id)).scalar_one_or_none()

    def save(self, run: ImportRun, *, drop_content: bool = False) -> None:
        values = _values(run) | ({"content": None} if drop_content else {})
        self.session.execute(sa.update(t).where(t.c.id == run.id).values(**values, updated_at=sa.func.now()))


def _values(run: ImportRun) -> dict:
    return {name: getattr(run, name) for name in FIELDS}
