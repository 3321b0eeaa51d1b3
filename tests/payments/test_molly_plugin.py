"""The second example third-party plugin (``tests/fixtures/molly_plugin``), of the callback-verified
style: installed with pip like any package, discovered through its ``commerce.plugins`` entry
point, and passing its own tests (the kit with ``WebhookStyle.CALLBACK``, in USD and JPY, and the
kit's site-level checks) with none of the kit's tests replaced."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.payments.test_plugin_tools import commerce

MOLLY = Path(__file__).resolve().parent.parent / "fixtures" / "molly_plugin"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    target = tmp_path_factory.mktemp("molly") / "site-packages"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(MOLLY)], check=True)
    return target


def test_it_is_discovered_through_its_entry_point(installed, tmp_path):
    env = {"PYTHONPATH": str(installed), "COMMERCE_SITE": str(tmp_path / "no-such-site.toml")}
    listed = commerce("plugins", "--installed", env=env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert any(line.strip().startswith("molly") and "commerce-molly 1.0.0" in line for line in listed.stdout.splitlines())
    checked = commerce("plugins", "check", "molly", env=env, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "ok: it can be enabled" in checked.stdout


def test_it_passes_the_kit_of_its_webhook_style(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o",
                             f"cache_dir={tmp_path}"], cwd=MOLLY, capture_output=True, text=True, timeout=600,
                            env={key: value for key, value in os.environ.items() if key != "PYTHONPATH"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert "failed" not in summary and "error" not in summary and "skipped" not in summary
    assert int(summary.split(" passed")[0].split()[-1]) >= 45
