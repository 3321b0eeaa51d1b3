"""The storefront's API types are generated from the OpenAPI document of a site that enables every
built-in plugin (``sites/every-plugin.example.toml``, decision 0043), so the console has the types
of plugins the demo lacks: this fails when the committed ``schema.d.ts`` no longer matches what
that site serves (regenerate it with ``npm run api:generate`` in ``storefront/``), and when the
demo's own document is not part of it unchanged (the shop's types are the demo's)."""

from __future__ import annotations

import json
import subprocess

from kernel.app import create_app
from kernel.plugins import discover
from kernel.site import load_site
from tests.storefront.conftest import STOREFRONT, node_modules

SCHEMA = STOREFRONT / "src" / "app" / "core" / "api" / "schema.d.ts"
EVERY_PLUGIN_SITE = STOREFRONT.parent / "sites" / "every-plugin.example.toml"
GENERATOR_OPTIONS = ["--default-non-nullable", "false"]


def document(site) -> dict:
    """What ``commerce --site <site> openapi print`` writes (``None``: the demo site)."""
    app = create_app(site)
    with app.test_request_context():
        return app.extensions["commerce"].api.spec.to_dict()


def test_committed_client_matches_the_every_plugin_sites_document(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMERCE_SITE_INSTANCE_PATH", str(tmp_path / "site"))
    openapi = tmp_path / "openapi.json"
    openapi.write_text(json.dumps(document(EVERY_PLUGIN_SITE), indent=2, sort_keys=True) + "\n")
    generated = tmp_path / "schema.d.ts"
    generator = node_modules() / ".bin" / "openapi-typescript"
    result = subprocess.run([str(generator), str(openapi), *GENERATOR_OPTIONS, "-o", str(generated)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert generated.read_text() == SCHEMA.read_text(), (
        "storefront/src/app/core/api/schema.d.ts is stale: run `npm run api:generate` in storefront/")


def test_the_demos_document_is_part_of_it_unchanged(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMERCE_SITE_INSTANCE_PATH", str(tmp_path / "site"))
    demo, every = document(None), document(EVERY_PLUGIN_SITE)
    for part, demos in [("paths", demo["paths"]), *((name, items) for name, items in demo["components"].items())]:
        everys = every["paths"] if part == "paths" else every["components"][part]
        assert {name: everys.get(name) for name in demos} == demos, part


def test_the_site_enables_every_built_in_plugin():
    built_in = {name for name, entry in discover().items() if entry.value.startswith("plugins.")}
    assert set(load_site(EVERY_PLUGIN_SITE).plugins) == built_in


def test_the_generator_options_and_site_are_the_ones_npm_uses():
    script = json.loads((STOREFRONT / "package.json").read_text())["scripts"]["api:generate"]
    assert " ".join(GENERATOR_OPTIONS) in script  # one way to generate, two callers
    assert "--site ../sites/every-plugin.example.toml" in script
