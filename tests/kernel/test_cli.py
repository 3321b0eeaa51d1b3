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


def test_help_on_a_broken_site_lists_the_kernel_commands_and_says_why_the_others_are_missing(tmp_path):
    broken = write_site(tmp_path, '[site]\nname = "x"\nplugins = ["nope"]\n')
    result = commerce("--help", env={"COMMERCE_SITE": broken}, cwd=tmp_path)
    assert result.returncode == 0 and "plugins" in result.stdout and "db" in result.stdout
    assert "plugin 'nope' is not installed" in result.stderr and "plugin commands are not listed" in result.stderr


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


SHOP_SITE = '[site]\nname = "shop"\nplugins = ["catalog", "orders"]\n[jobs]\nurl = "immediate"\n'


def test_openapi_print_and_write_give_the_served_document(tmp_path):
    import json

    from kernel.app import create_app

    site = write_site(tmp_path, SHOP_SITE)
    printed = commerce("--site", site, "openapi", "print", cwd=tmp_path)
    assert printed.returncode == 0, printed.stderr
    assert commerce("--site", site, "openapi", "write", str(tmp_path / "openapi.json"), cwd=tmp_path).returncode == 0
    served = create_app(site).test_client().get("/api/openapi.json").json
    assert json.loads(printed.stdout) == json.loads((tmp_path / "openapi.json").read_text()) == served
    assert "/api/orders" in served["paths"]


@pytest.mark.parametrize("command", [("catalog", "seed"), ("serve",)])  # a plugin's command, the server
def test_an_unmigrated_database_is_one_line_and_exit_2_for_every_command(tmp_path, command):
    site = write_site(tmp_path, SHOP_SITE.replace('"immediate"', f'"sqlite:///{tmp_path}/jobs.db"'))
    result = commerce("--site", site, *command, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == "Error: the database is not migrated: run `commerce db upgrade`"


def test_files_follow_the_site_not_the_working_directory(tmp_path):
    shop, elsewhere = tmp_path / "shop", tmp_path / "elsewhere"
    shop.mkdir(), elsewhere.mkdir()
    site = write_site(shop, '[site]\nname = "shop"\n[database]\nurl = "sqlite:///data/shop.db"\n'
                            '[jobs]\nurl = "immediate"\n[mail]\nurl = "file://outbox"\n')
    assert commerce("--site", site, "db", "upgrade", cwd=elsewhere).returncode == 0
    assert commerce("--site", site, "db", "check", cwd=tmp_path).returncode == 0  # the same shop from anywhere
    assert (shop / "data" / "shop.db").exists() and not list(elsewhere.iterdir())
    from kernel.site import load_site

    loaded = load_site(site, environ={})
    assert loaded.mail["url"] == f"file://{shop / 'outbox'}" and loaded.instance_path == shop / "instance"
    moved = load_site(site, environ={"COMMERCE_SITE_INSTANCE_PATH": str(tmp_path / "var")})
    assert moved.database["url"] == f"sqlite:///{tmp_path / 'var' / 'data' / 'shop.db'}"
