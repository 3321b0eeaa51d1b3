"""CSV imports started from the console: the file is stored with the run, a job imports it,
and the run's row keeps the progress (rows done out of the file's total, rejected rows and
their messages) that staff poll while it runs. ``POST /api/imports/products`` still imports in
the request, and ``commerce catalog import`` from a file, through the same
:meth:`plugins.catalog.services.CatalogService.import_csv`."""

from __future__ import annotations

import io
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from kernel.domain.clock import utcnow
from kernel.domain.errors import NotFound, ValidationFailed
from kernel.domain.ports.jobs import JobQueue
from kernel.domain.ports.unit_of_work import UnitOfWork
from plugins.catalog.bulk_import import UNREADABLE, ImportReport, data_rows, unreadable

IMPORT_TASK = "catalog.import_products"
KEPT_ERRORS = 1000  # rejected rows listed with their message; ``rejected`` counts them all


@dataclass
class ImportRun:
    id: UUID
    state: str  # queued, running, done, failed
    total_rows: int
    created_at: datetime
    rows_done: int = 0
    created: int = 0
    updated: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    failure: str | None = None
    finished_at: datetime | None = None

    def record(self, report: ImportReport) -> None:
        self.rows_done, self.created, self.updated = report.rows, report.created, report.updated
        self.rejected, self.errors = len(report.errors), report.errors[:KEPT_ERRORS]


class ImportRunStore(ABC):
    @abstractmethod
    def add(self, run: ImportRun, content: bytes) -> None: ...

    @abstractmethod
    def get(self, run_id: UUID, *, for_update: bool = False) -> ImportRun | None: ...

    @abstractmethod
    def content(self, run_id: UUID) -> bytes | None:
        """The file, until the run is done."""

    @abstractmethod
    def save(self, run: ImportRun, *, drop_content: bool = False) -> None: ...


@dataclass
class ProductImports:
    uow: UnitOfWork
    store: ImportRunStore
    jobs: JobQueue
    import_csv: Callable  # CatalogService.import_csv
    clock: Callable[[], datetime] = utcnow

    def start(self, content: bytes) -> ImportRun:
        """Store the file and queue its import; a file that is not UTF-8 CSV or whose header is
        wrong is refused at once, naming ``file``, and nothing is stored."""
        try:
            total = data_rows(content)
        except UNREADABLE as exc:
            raise unreadable(exc) from None
        run = ImportRun(id=uuid4(), state="queued", total_rows=total, created_at=self.clock())
        with self.uow:
            self.store.add(run, content)
            self.jobs.enqueue(IMPORT_TASK, str(run.id))
            self.uow.commit()
        return run

    def status(self, run_id: UUID) -> ImportRun:
        with self.uow:
            run = self.store.get(run_id)
        if run is None:
            raise NotFound(f"No import {run_id}.")
        return run

    def run(self, run_id: UUID) -> None:
        """The job: import the stored file, saving the progress after each batch. A run that is
        done is not run again; one that failed half-way runs again from the start when its job is
        retried (rows are matched by SKU, so rows already written are updated, not doubled)."""
        with self.uow:
            run = self.store.get(run_id, for_update=True)
            if run is None or run.state == "done":
                return
            content = self.store.content(run_id)
            run.state, run.failure = "running", None
            self.store.save(run)
            self.uow.commit()

        def progress(report: ImportReport) -> None:
            run.record(report)
            self._save(run)

        try:
            self.import_csv(io.BytesIO(content), progress)
        except ValidationFailed as exc:
            self._finish(run, "failed", exc.detail)
        except Exception as exc:
            self._finish(run, "failed", str(exc) or type(exc).__name__)
            raise  # the job fails with its traceback and can be retried
        else:
            self._finish(run, "done")

    def _finish(self, run: ImportRun, state: str, failure: str | None = None) -> None:
        run.state, run.failure, run.finished_at = state, failure, self.clock()
        self._save(run, drop_content=state == "done")

    def _save(self, run: ImportRun, *, drop_content: bool = False) -> None:
        with self.uow:
            self.store.save(run, drop_content=drop_content)
            self.uow.commit()
