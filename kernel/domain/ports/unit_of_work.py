"""The unit of work: one transaction per request or job; nothing is kept unless committed."""

from __future__ import annotations

from abc import ABC, abstractmethod

from kernel.domain.events import DomainEvent


class UnitOfWork(ABC):
    """Use cases run ``with uow: ...; uow.commit()``; leaving the block without a commit rolls back.

    Events published during the unit are delivered only after its commit succeeds.
    """

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, *exc_info) -> None:
        self.rollback()

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None: ...

    @abstractmethod
    def publish(self, event: DomainEvent) -> None:
        """Queue a domain event for delivery after commit."""

    @abstractmethod
    def after_commit(self, callback) -> None:
        """Run ``callback()`` once the current transaction commits (dropped on rollback)."""
