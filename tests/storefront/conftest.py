"""The Angular storefront's checks: its build is made once per run (CI builds it before the
suite, `.ci/run`), its generated API client, its layers, and its end-to-end journeys."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

STOREFRONT = Path(__file__).resolve().parents[2] / "storefront"
BUILD = STOREFRONT / "dist" / "storefront" / "browser"


def npm_or_skip() -> str:
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: the storefront needs Node.js 20.19+ (apt-get install nodejs npm)")
    return npm


def node_modules() -> Path:
    """``storefront/node_modules``, installed from package-lock.json when missing."""
    npm = npm_or_skip()
    if not (STOREFRONT / "node_modules" / ".bin" / "ng").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=STOREFRONT, check=True, timeout=900)
    return STOREFRONT / "node_modules"


@pytest.fixture(scope="session")
def storefront_build() -> Path:
    """The production build; built here only when no build exists yet (CI made it already)."""
    if not (BUILD / "index.html").is_file():
        modules = node_modules()
        subprocess.run([str(modules / ".bin" / "ng"), "build"], cwd=STOREFRONT, check=True, timeout=900)
    return BUILD
