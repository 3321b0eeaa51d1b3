"""Third-party plugins: discovered through the entry-point group, enabled per site, checked at start-up."""

import pytest

from kernel.infrastructure.db import db
from kernel.site import SiteError


def test_an_installed_plugin_serves_its_route_on_the_site_that_enables_it(hello_plugin_path, make_app):
    app = make_app(["hello"], settings={"hello": {"api_key": "k-123", "greeting": "Howdy"}})
    response = app.test_client().get("/api/hello")
    assert response.status_code == 200
    assert response.json == {"message": "Howdy from a plugin", "greetings": 0}
    assert "/api/hello" in app.test_client().get("/api/openapi.json").json["paths"]


def test_a_site_that_does_not_list_it_has_no_route_and_no_table(hello_plugin_path, make_app):
    app = make_app([])
    assert app.test_client().get("/api/hello").status_code == 404
    with app.app_context():
        assert "hello_greetings" not in db.inspect(db.engine).get_table_names()


@pytest.mark.parametrize(
    ("plugins", "settings", "message"),
    [
        (["nope"], {}, "plugin 'nope' is not installed"),
        (["hello_needs_missing", "hello"], {"hello": {"api_key": "k"}},
         "plugin 'hello_needs_missing' requires plugin 'loyalty', which the site does not enable"),
        (["hello_too_new"], {}, "plugin 'hello_too_new' 1.0 needs kernel >=9.0, this is kernel 0.1.0"),
        (["hello"], {}, "[plugins.hello] api_key: Missing data for required field."),
        (["hello"], {"hello": {"api_key": "k", "colour": "red"}}, "[plugins.hello] colour: Unknown field."),
        (["hello"], {"hello": {"api_key": "env:HELLO_KEY_UNSET"}},
         "[plugins.hello] api_key: environment variable HELLO_KEY_UNSET is not set"),
        ([], {"hello": {"api_key": "k"}}, "[plugins.hello] configures a plugin the site does not enable"),
    ],
)
def test_start_up_refuses_a_bad_plugin_set_up_with_one_line(hello_plugin_path, make_app, plugins, settings, message):
    with pytest.raises(SiteError) as caught:
        make_app(plugins, settings=settings)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_misspelt_hook_stops_start_up(hello_plugin_path, make_app, monkeypatch):
    import commerce_hello

    from kernel.plugins import hookimpl

    monkeypatch.setattr(commerce_hello, "commerce_blueprint", hookimpl(lambda: []), raising=False)
    with pytest.raises(SiteError, match="plugin 'hello': unknown hook 'commerce_blueprint'"):
        make_app(["hello"], settings={"hello": {"api_key": "k"}})


def test_hook_calls_are_logged_when_tracing_is_on(hello_plugin_path, make_app, log_lines, monkeypatch):
    monkeypatch.setenv("COMMERCE_TRACE_HOOKS", "1")
    make_app(["hello"], settings={"hello": {"api_key": "hello-api-key-secret"}})
    traced = [line for line in log_lines if line.startswith("DEBUG hook ")]
    assert any("commerce_blueprints" in line for line in traced)
    assert any("commerce_app_created" in line for line in traced)
    assert "hello-api-key-secret" not in "".join(log_lines)


def test_hook_calls_are_not_logged_by_default(hello_plugin_path, make_app, log_lines, monkeypatch):
    monkeypatch.delenv("COMMERCE_TRACE_HOOKS", raising=False)
    make_app(["hello"], settings={"hello": {"api_key": "k"}})
    assert not [line for line in log_lines if line.startswith("DEBUG hook ")]


def test_a_production_site_refuses_a_placeholder_secret_from_the_repo(hello_plugin_path, make_app):
    with pytest.raises(SiteError, match=r"\[plugins.hello\] api_key: a production site refuses a development placeholder"):
        make_app(["hello"], site={"production": True}, settings={"hello": {"api_key": "dev-insecure-key"}})
