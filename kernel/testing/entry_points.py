"""A plugin under test, found by the kernel without being installed.

The kernel finds plugins by their ``commerce.plugins`` entry point, which only an installed
distribution has. :func:`discoverable` writes the metadata of a stand-in distribution that
declares it into ``folder`` and puts ``folder`` on ``sys.path`` while the block runs, so that a
plugin's own test suite runs from a fresh checkout with plain ``pytest``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kernel.plugins import ENTRY_POINT_GROUP


@contextmanager
def discoverable(name: str, module: str, folder: Path) -> Iterator[None]:
    """Make plugin ``name`` (its module ``module``) discoverable while the block runs."""
    info = folder / f"{module}_under_test-0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}-under-test\nVersion: 0\n")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{name} = {module}\n")
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))
