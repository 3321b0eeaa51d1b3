"""Loading site configs: defaults, env: values, COMMERCE_* overrides, one-line errors."""

from pathlib import Path

import pytest

from kernel.site import DEFAULT_SITE, SiteError, build_site, load_site


def site(data, **environ):
    return build_site(data, "site.toml", environ)


def test_demo_site_runs_on_embedded_defaults():
    demo = load_site(DEFAULT_SITE, environ={})
    assert demo.name == "demo"
    assert demo.database["url"].startswith("sqlite:///")
    assert demo.cache["url"] == "simple://"
    assert demo.jobs["url"].startswith("sqlite:///")
    assert demo.rate_limits["default"] == "100/minute"


def test_defaults_follow_the_site_name():
    config = site({"site": {"name": "shop"}})
    assert config.database["url"] == f"sqlite:///{Path.cwd() / 'instance' / 'shop.db'}"
    assert config.security["access_token_minutes"] == 15
    assert config.currency == "USD"


def test_environment_overrides_any_setting():
    config = site(
        {"site": {"name": "shop", "plugins": ["a"]}, "database": {"url": "sqlite:///x.db"}},
        COMMERCE_DATABASE_URL="postgresql+psycopg2://db/shop",
        COMMERCE_SITE_PLUGINS="catalog, cart",
        COMMERCE_SECURITY_ACCESS_TOKEN_MINUTES="5",
        COMMERCE_PLUGINS_STRIPE_SECRET_KEY="sk_live_x",
    )
    assert config.database["url"] == "postgresql+psycopg2://db/shop"
    assert config.plugins == ["catalog", "cart"]
    assert config.security["access_token_minutes"] == 5
    assert config.raw_plugin_settings["stripe"]["secret_key"] == "sk_live_x"


def test_env_values_are_read_from_the_environment():
    config = site({"site": {"name": "shop"}, "security": {"jwt_secret": "env:SHOP_JWT"}}, SHOP_JWT="s" * 40)
    assert config.security["jwt_secret"] == "s" * 40


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"site": {"name": "shop"}, "security": {"jwt_secret": "env:NOPE"}},
         "site.toml: [security] jwt_secret: environment variable NOPE is not set"),
        ({"site": {"name": "shop", "currency": "dollars"}}, "site.toml: [site] currency: String does not match expected pattern."),
        ({"site": {"name": "shop"}, "cache": {"ur": "x"}}, "site.toml: [cache] ur: Unknown field."),
        ({"site": {"name": "shop"}, "databse": {}}, "site.toml: unknown section [databse]"),
        ({"site": {}}, "site.toml: [site] name: Missing data for required field."),
        ({"site": {"name": "shop"}, "rate_limits": {"register": "5/hour"}}, "site.toml: [rate_limits] 'register'"),
    ],
)
def test_each_mistake_is_one_line_naming_the_place(data, message):
    with pytest.raises(SiteError) as caught:
        site(data)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_missing_site_file_is_reported(tmp_path):
    with pytest.raises(SiteError, match="site file not found"):
        load_site(tmp_path / "nope.toml")


def test_invalid_toml_is_reported(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[site\nname=1")
    with pytest.raises(SiteError, match="not valid TOML"):
        load_site(path)
