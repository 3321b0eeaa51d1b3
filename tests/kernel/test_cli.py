"""The ``commerce`` command as an operator meets it: start-up failures are one line, exit non-zero."""

import os
import subprocess
import sys
from pathlib import Path

import pytest


def commerce(*args, env=None, cwd=None):
    return subprocess.run(
        [sys.executable, "-c", "from kernel.cli import main; main()", *args],
        capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=cwd, timeout=60,
    )


def write_site(tmp_path, body):
    path = tmp_path / "site.toml"
    path.write_text(body)
    return str(path)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[site]\nname = "x"\nplugins = ["nope"]\n', "plugin 'nope' is not installed"),
        ('[site]\nname = "x"\n[security]\njwt_secret = "env:UNSET_SECRET_X"\n',
         "[security] jwt_secret: environment variable UNSET_SECRET_X is not set"),
        ('[site]\nname = "x"\n[cache]\nurl = "memcached://x"\n', "unsupported cache URL"),
    ],
)
def test_start_up_failure_is_one_line_and_non_zero(tmp_path, body, message):
    result = commerce("--site", write_site(tmp_path, body), "plugins", cwd=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_site_comes_from_the_environment(tmp_path):
    site = write_site(tmp_path, '[site]\nname = "envsite"\n')
    result = commerce("plugins", env={"COMMERCE_SITE": site}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "site envsite" in result.stdout


def test_plugins_lists_versions_and_hooks(tmp_path, hello_plugin_path):
    site = write_site(tmp_path, '[site]\nname = "x"\nplugins = ["hello"]\n[plugins.hello]\napi_key = "k"\n')
    result = commerce("--site", site, "plugins", env={"PYTHONPATH": str(hello_plugin_path)}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "hello 1.2.0 (kernel >=0.1,<1)" in result.stdout
    assert "commerce_blueprints" in result.stdout


def test_db_upgrade_then_check_on_a_fresh_site(tmp_path):
    site = write_site(tmp_path, '[site]\nname = "fresh"\n')
    assert commerce("--site", site, "db", "upgrade", cwd=tmp_path).returncode == 0
    check = commerce("--site", site, "db", "check", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert "models and database agree" in check.stdout
    assert Path(tmp_path, "instance", "fresh.db").exists()
