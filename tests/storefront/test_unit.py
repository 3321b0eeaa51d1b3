"""The storefront's own unit tests (stores, interceptor, guards; Jasmine in headless Chromium
through the Angular CLI's Karma builder), run from the suite so CI has one test command."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.storefront.conftest import STOREFRONT, node_modules


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (apt-get install chromium)")
def test_storefront_unit_tests_pass():
    ng = node_modules() / ".bin" / "ng"
    result = subprocess.run([str(ng), "test", "--watch=false", "--progress=false"], cwd=STOREFRONT,
                            capture_output=True, text=True, timeout=600,
                            env={"CHROME_BIN": shutil.which("chromium"), **os.environ})
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " SUCCESS" in result.stdout and "FAILED" not in result.stdout
