"""The cache port: a best-effort key-value store. A failing cache is a miss, never an error."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any


class CachePort(ABC):
    @abstractmethod
    def get(self, key: str) -> Any | None: ...

    @abstractmethod
    def get_many(self, *keys: str) -> list[Any | None]:
        """The values of ``keys`` in order, in one round trip; ``None`` for each miss."""

    @abstractmethod
    def set(self, key: str, value: Any, timeout: int | None = None) -> None: ...

    @abstractmethod
    def delete(self, *keys: str) -> None: ...

    @staticmethod
    def generation_key(namespace: str) -> str:
        """The key holding a namespace's generation, to read it with ``get_many`` alongside an entry
        (a missing value is generation 0)."""
        return f"gen:{namespace}"

    @abstractmethod
    def generation(self, namespace: str) -> int:
        """Current generation number of a namespace (part of its keys, or kept in its entries)."""

    @abstractmethod
    def bump(self, namespace: str) -> None:
        """Invalidate every key built with the namespace's current generation."""

    def forget(self, keys: Iterable[str], namespaces: Iterable[str]) -> None:
        """Delete ``keys`` and bump ``namespaces``: what a write invalidates (an adapter may do it
        in one round trip)."""
        keys = list(keys)
        if keys:
            self.delete(*keys)
        for namespace in namespaces:
            self.bump(namespace)
