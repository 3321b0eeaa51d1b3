"""Logging as an operator reads it: JSON lines with the request id, stdlib routed in, no secrets."""

import json
import logging
import subprocess
import sys

from loguru import logger

JSON_SITE_SCRIPT = """
import logging
from loguru import logger
from kernel.app import create_app
from kernel.site import build_site

site = build_site({"site": {"name": "jsonlog"}, "database": {"url": "sqlite:///:memory:"},
                   "jobs": {"url": "immediate"}, "logging": {"json": True, "level": "INFO"}}, "<test>", {})
app = create_app(site)

@app.get("/shout")
def shout():
    logger.info("hello from loguru")
    logging.getLogger("x").warning("hello from stdlib")
    return "ok"

assert app.test_client().get("/shout", headers={"X-Request-ID": "req-42"}).status_code == 200
"""


def test_json_lines_carry_the_request_id(tmp_path):
    result = subprocess.run([sys.executable, "-c", JSON_SITE_SCRIPT], capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]  # every line is JSON
    records = {entry["record"]["message"]: entry["record"] for entry in lines}
    assert records["hello from loguru"]["extra"]["request_id"] == "req-42"
    stdlib = records["hello from stdlib"]
    assert stdlib["level"]["name"] == "WARNING"
    assert stdlib["extra"]["request_id"] == "req-42"


def test_stdlib_logging_is_routed_into_loguru(app, log_lines):
    logging.getLogger("some.library").warning("disk %s is %d%% full", "/var", 91)
    assert "WARNING disk /var is 91% full" in "".join(log_lines)


def test_secrets_never_reach_a_log_line(hello_plugin_path, make_app, log_lines):
    make_app(["hello"], settings={"hello": {"api_key": "hk-live-5f3a9c2e"}},
             security={"jwt_secret": "jwt-secret-value-0123456789abcdef"})
    logger.warning("header {}", "Authorization: Bearer abc.def.ghi")
    logger.warning("login payload {}", {"email": "a@example.com", "password": "hunter2-pw"})
    logger.warning("upstream answered: {}", "invalid api key hk-live-5f3a9c2e")
    logger.warning("signing with {}", "jwt-secret-value-0123456789abcdef")
    logging.getLogger("redis").warning("cannot reach %s", "redis://:redis-pw-77@cache:6379/0")
    logger.warning("token {}", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")
    logged = "".join(log_lines)
    for secret in ("abc.def.ghi", "hunter2-pw", "hk-live-5f3a9c2e", "jwt-secret-value", "redis-pw-77",
                   "c2lnbmF0dXJl"):
        assert secret not in logged
    assert logged.count("[REDACTED]") >= 6
    assert "a@example.com" in logged  # only secrets go, the rest of the line stays useful


TEXT_SITE_SCRIPT = """
from flask import request
from loguru import logger
from kernel.app import create_app
from kernel.site import build_site

site = build_site({"site": {"name": "textlog"}, "database": {"url": "sqlite:///:memory:"},
                   "jobs": {"url": "immediate"}, "logging": {"level": "INFO"}}, "<test>", {})
app = create_app(site)

@app.get("/api/echo")
def echo():
    logger.info("sign-in failed for {}", request.args["email"])
    return "ok"

client = app.test_client()
forged = "a@example.com\\n12:00:00.000 ERROR   [-] payment captured\\r\\x1b[2K\\u2028"
assert client.get("/api/echo", query_string={"email": forged}).status_code == 200
assert client.get("/api/no%0A12:00:00.000 ERROR   [-] forged path").status_code == 404
logger.info("path {}", "/api/no\\n12:00:00.000 ERROR   [-] forged path")
"""


def test_a_logged_value_cannot_forge_a_text_log_line(tmp_path):
    result = subprocess.run([sys.executable, "-c", TEXT_SITE_SCRIPT], capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert not [line for line in lines if line.startswith("12:00:00.000")], lines
    failed = next(line for line in lines if "sign-in failed for" in line)
    assert failed.endswith(r"a@example.com\n12:00:00.000 ERROR   [-] payment captured\r\x1b[2K\u2028")
    assert any(line.endswith(r"path /api/no\n12:00:00.000 ERROR   [-] forged path") for line in lines)
