"""What the staff console is told about a site, as plain Python."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

CONSOLE_OPEN = "console:open"


@dataclass(frozen=True)
class ConsoleSite:
    """The site as the console draws it: its plugins decide which pages exist, the caller's
    permissions which of them (and which actions) are shown. The API still checks every call."""

    name: str
    currency: str
    plugins: tuple[str, ...]
    permissions: tuple[str, ...]

    @classmethod
    def describe(cls, name: str, currency: str, plugins: Iterable[str], held: Iterable[str]) -> ConsoleSite:
        return cls(name, currency, tuple(plugins), tuple(sorted(held)))
