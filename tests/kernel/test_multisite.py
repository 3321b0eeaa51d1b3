"""Several sites in one process, dispatched by host name, each with its own plugins and settings."""

import os
import subprocess
import sys

import pytest
from werkzeug.test import Client

from kernel.infrastructure.db import db, site_tables
from kernel.multisite import build_dispatcher, parse_sites
from kernel.site import SiteError


def write_site(folder, name, plugins="", extra=""):
    path = folder / f"{name}.toml"
    path.write_text(f'[site]\nname = "{name}"\nplugins = [{plugins}]\n'
                    f'[database]\nurl = "sqlite:///{folder / name}.db"\n[jobs]\nurl = "immediate"\n{extra}')
    return str(path)


@pytest.fixture
def dispatcher(tmp_path, hello_plugin_path):
    shop = write_site(tmp_path, "shop", '"hello"', '[plugins.hello]\napi_key = "k"\ngreeting = "Ahoy"\n')
    plain = write_site(tmp_path, "plain")
    dispatcher = build_dispatcher({"shop.example": shop, "www.shop.example": shop, "plain.example": plain})
    for app in set(dispatcher.apps.values()):
        with app.app_context():
            db.metadata.create_all(db.engine, tables=site_tables(app.extensions["commerce"].pm))
    yield dispatcher
    for app in set(dispatcher.apps.values()):
        with app.app_context():
            db.engine.dispose()


def get(dispatcher, host, path):
    return Client(dispatcher).get(path, base_url=f"http://{host}")


def test_each_host_is_served_by_its_own_site(dispatcher):
    assert get(dispatcher, "shop.example", "/api/hello").json == {"message": "Ahoy from a plugin", "greetings": 0}
    assert get(dispatcher, "SHOP.example:8000", "/api/hello").status_code == 200
    absent = get(dispatcher, "plain.example", "/api/hello")
    assert absent.status_code == 404 and absent.mimetype == "application/problem+json"
    assert "/api/hello" in get(dispatcher, "shop.example", "/api/openapi.json").json["paths"]
    assert "/api/hello" not in get(dispatcher, "plain.example", "/api/openapi.json").json["paths"]


def test_host_names_of_one_site_share_its_app(dispatcher):
    assert dispatcher.apps["www.shop.example"] is dispatcher.apps["shop.example"]
    assert dispatcher.apps["plain.example"] is not dispatcher.apps["shop.example"]


def test_an_unknown_host_is_a_404_problem(dispatcher):
    response = get(dispatcher, "elsewhere.example", "/healthz")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["detail"] == "No site is served at this host name."


def test_two_site_files_with_one_name_are_refused(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = write_site(tmp_path / "a", "same"), write_site(tmp_path / "b", "same")
    with pytest.raises(SiteError, match="site names must differ"):
        build_dispatcher({"a.example": first, "b.example": second})


@pytest.mark.parametrize("spec", ["", "a.example", "=sites/a.toml", "a.example="])
def test_a_malformed_sites_list_is_one_clear_error(spec):
    with pytest.raises(SiteError, match="COMMERCE_SITES"):
        parse_sites(spec)


def test_wsgi_module_serves_the_sites_named_in_the_environment(tmp_path, hello_plugin_path):
    shop, plain = write_site(tmp_path, "shop", '"hello"', '[plugins.hello]\napi_key = "k"\n'), write_site(tmp_path, "plain")
    script = ("from werkzeug.test import Client; from kernel.wsgi import app; "
              "print(Client(app).get('/api/openapi.json', base_url='http://shop.example').json['info']['title'])")
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(hello_plugin_path), os.environ.get("PYTHONPATH")])),
             "COMMERCE_SITES": f"shop.example={shop}, plain.example={plain}"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Commerce API (shop)"
