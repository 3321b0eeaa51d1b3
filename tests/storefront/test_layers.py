"""The storefront's dependency rule (ARCHITECTURE §8): components render state and raise
intents, stores call the API client, and only the API client talks HTTP."""

from __future__ import annotations

import re

from tests.storefront.conftest import STOREFRONT

APP = STOREFRONT / "src" / "app"
HTTP_CLIENT = re.compile(r"\bHttpClient\b(?!Module)|\bfetch\(|XMLHttpRequest")
API_CLIENT_IMPORT = re.compile(r"from '[./]*(?:core/)?api/(?:admin-)?api-client'")
HTTP_CLIENTS = ("core/api/api-client.ts", "core/api/admin-api-client.ts")  # the shopper's and the console's
ANGULAR_HTTP = re.compile(r"from '@angular/common/http'")


def sources():
    return [path for path in APP.rglob("*.ts") if not path.name.endswith((".spec.ts", ".d.ts"))]


def relative(path) -> str:
    return path.relative_to(APP).as_posix()


def test_only_the_api_client_uses_http_client():
    offenders = [relative(path) for path in sources()
                 if HTTP_CLIENT.search(path.read_text()) and relative(path) not in (*HTTP_CLIENTS, "app.config.ts")]
    assert offenders == []


def test_components_never_reach_the_api_client_nor_angular_http():
    views = [path for path in sources() if path.name.endswith((".page.ts", ".component.ts")) or path.name == "app.ts"]
    assert views, "no component found: has the app moved?"
    offenders = [relative(path) for path in views
                 if API_CLIENT_IMPORT.search(path.read_text()) or ANGULAR_HTTP.search(path.read_text())]
    assert offenders == []


def test_angular_http_stays_in_core():
    outside = [relative(path) for path in sources()
               if ANGULAR_HTTP.search(path.read_text()) and not relative(path).startswith("core/")
               and relative(path) != "app.config.ts"]
    assert outside == []


def test_the_rule_catches_a_component_that_calls_http_client():
    """The checks above would see a violation (they read what a violating file contains)."""
    sneaky = "import { HttpClient } from '@angular/common/http';\nexport class X { constructor(h: HttpClient) {} }"
    assert HTTP_CLIENT.search(sneaky) and ANGULAR_HTTP.search(sneaky)
    assert API_CLIENT_IMPORT.search("import { ApiClient } from '../core/api/api-client';")
    assert API_CLIENT_IMPORT.search("import { AdminApiClient } from '../../core/api/admin-api-client';")
