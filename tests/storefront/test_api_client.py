"""The storefront's API types are generated from the demo site's OpenAPI document: this fails
when the committed ``schema.d.ts`` no longer matches what the server serves (regenerate it with
``npm run api:generate`` in ``storefront/``)."""

from __future__ import annotations

import json
import subprocess

from kernel.app import create_app
from tests.storefront.conftest import STOREFRONT, node_modules

SCHEMA = STOREFRONT / "src" / "app" / "core" / "api" / "schema.d.ts"
GENERATOR_OPTIONS = ["--default-non-nullable", "false"]


def demo_document() -> str:
    """What ``commerce openapi print`` writes for the demo site."""
    app = create_app(None)
    with app.test_request_context():
        return json.dumps(app.extensions["commerce"].api.spec.to_dict(), indent=2, sort_keys=True) + "\n"


def test_committed_client_matches_the_servers_document(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMERCE_SITE_INSTANCE_PATH", str(tmp_path / "demo"))
    document = tmp_path / "openapi.json"
    document.write_text(demo_document())
    generated = tmp_path / "schema.d.ts"
    generator = node_modules() / ".bin" / "openapi-typescript"
    result = subprocess.run([str(generator), str(document), *GENERATOR_OPTIONS, "-o", str(generated)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert generated.read_text() == SCHEMA.read_text(), (
        "storefront/src/app/core/api/schema.d.ts is stale: run `npm run api:generate` in storefront/")


def test_the_generator_options_are_the_ones_npm_uses():
    script = json.loads((STOREFRONT / "package.json").read_text())["scripts"]["api:generate"]
    assert " ".join(GENERATOR_OPTIONS) in script  # one way to generate, two callers
