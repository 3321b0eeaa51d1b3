"""The cache port: a best-effort key-value store. A failing cache is a miss, never an error."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any


class CachePort(ABC):
    @abstractmethod
    def get(self, key: str) -> Any | None: ...

    @abstractmethod
    def set(self, key: str, value: Any, timeout: int | None = None) -> None: ...

    @abstractmethod
    def delete(self, *keys: str) -> None: ...

    @abstractmethod
    def generation(self, namespace: str) -> int:
        """Current generation number of a namespace (part of its keys)."""

    @abstractmethod
    def bump(self, namespace: str) -> None:
        """Invalidate every key built with the namespace's current generation."""
