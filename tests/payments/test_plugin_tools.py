"""The plugin author's tools: ``commerce plugins new payment NAME`` writes a plugin whose own
tests (the payment kit against a local emulator, and the plugin on a site) pass as written;
installed with pip like any third-party package, ``commerce plugins --installed`` lists it and
``commerce plugins check`` checks it without a site; a plugin that a site would refuse is told why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kernel.cli import cli
from kernel.testing.entry_points import discoverable
from kernel.tools.plugin_kit import check_plugin, new_plugin

COMMERCE = Path(sys.executable).with_name("commerce")  # the installed command, as an author runs it


def commerce(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(COMMERCE), *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **(env or {})}, timeout=120)


@pytest.fixture(scope="module")
def acmepay(tmp_path_factory):
    """``commerce plugins new payment acmepay``, then installed (without its dependencies) into a folder."""
    work = tmp_path_factory.mktemp("authoring")
    written = commerce("plugins", "new", "payment", "acmepay", "--into", str(work))
    assert written.returncode == 0, written.stderr
    source, target = work / "commerce-acmepay", work / "site-packages"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(source)], check=True)
    return source, target


def test_a_new_payment_plugin_passes_its_own_tests_as_written(acmepay):
    source, _ = acmepay
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=source,
                            capture_output=True, text=True, timeout=600,
                            env={key: value for key, value in os.environ.items() if key != "PYTHONPATH"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary and "skipped" not in summary
    assert int(summary.split(" passed")[0].split()[-1]) >= 24  # the kit's tests and the site-level ones


def test_the_installed_plugin_is_listed_and_checked_without_a_site(acmepay, tmp_path):
    _, target = acmepay
    env = {"PYTHONPATH": str(target), "COMMERCE_SITE": str(tmp_path / "no-such-site.toml")}
    listed = commerce("plugins", "--installed", env=env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    line = next(line for line in listed.stdout.splitlines() if line.strip().startswith("acmepay"))
    assert "1.0.0 (kernel >=0.1,<0.2) Payments through Acmepay" in line and "commerce-acmepay 1.0.0" in line
    assert any(line.strip().startswith("catalog") for line in listed.stdout.splitlines())
    checked = commerce("plugins", "check", "acmepay", env=env, cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "requires: orders" in checked.stdout and "setting: api_key (String, required, secret)" in checked.stdout
    assert "hooks: commerce_payment_providers" in checked.stdout and "ok: it can be enabled" in checked.stdout
    assert list(tmp_path.iterdir()) == []  # no ./instance/ or other file left where it ran


@pytest.mark.parametrize(("edit", "problem"), [
    (('kernel=">=0.1,<0.2"', 'kernel=">=9"'), "needs kernel >=9"),
    (('requires=("orders",)', 'requires=("loyalty",)'), "requires plugin 'loyalty', which is not installed"),
    (("def commerce_payment_providers(site):", "def commerce_payment_providers(site, colour):"), "hook:"),
    (('name="brokenpay"', 'name="otherpay"'), "its manifest is named 'otherpay'"),
])
def test_a_plugin_a_site_would_refuse_is_told_why(tmp_path, edit, problem):
    source = new_plugin("payment", "brokenpay", tmp_path)
    init = source / "commerce_brokenpay" / "__init__.py"
    assert edit[0] in init.read_text()
    init.write_text(init.read_text().replace(*edit))
    sys.path.insert(0, str(source))
    try:
        with discoverable("brokenpay", "commerce_brokenpay", tmp_path / "entry-points"):
            found = check_plugin("brokenpay")
    finally:
        sys.path.remove(str(source))
        for module in [name for name in sys.modules if name.startswith("commerce_brokenpay")]:
            del sys.modules[module]
    assert any(problem in line for line in found.problems), found.problems


def test_new_refuses_a_bad_name_and_an_existing_folder(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(cli, ["plugins", "new", "payment", "Acme-Pay", "--into", str(tmp_path)])
    assert bad.exit_code != 0 and "lowercase letters and digits" in bad.output
    assert runner.invoke(cli, ["plugins", "new", "payment", "acme", "--into", str(tmp_path)]).exit_code == 0
    again = runner.invoke(cli, ["plugins", "new", "payment", "acme", "--into", str(tmp_path)])
    assert again.exit_code != 0 and "already exists" in again.output
