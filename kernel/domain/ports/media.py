"""The media storage port: where uploaded files (product images and their renditions) live.

Names are chosen by the caller and never reused for other content (the catalog names files
by their content's hash), so whatever serves a URL may cache it for a year.
"""

from __future__ import annotations

from abc import ABC, abstractmethod


class MediaNotFound(LookupError):
    """No file under that name."""


class MediaStorage(ABC):
    @abstractmethod
    def put(self, name: str, data: bytes, content_type: str) -> None:
        """Store ``data`` under ``name`` (a relative path such as ``products/ab/ab12-card.webp``)."""

    @abstractmethod
    def get(self, name: str) -> bytes:
        """The file's bytes; raises :class:`MediaNotFound`."""

    @abstractmethod
    def delete(self, name: str) -> None:
        """Forget the file (no error when it is already gone)."""

    @abstractmethod
    def url(self, name: str) -> str:
        """Where a browser fetches the file."""
