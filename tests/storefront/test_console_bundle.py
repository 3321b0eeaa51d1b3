"""The staff console is its own lazily loaded code: what the landing route downloads holds none
of it (a shopper never fetches the console), and the console's chunks exist in the same build."""

from __future__ import annotations

import re

INITIAL_SCRIPT = re.compile(r'<(?:script src|link rel="modulepreload" href)="([^"]+\.js)"')
CONSOLE_MARKERS = ("/admin/site", "console:open", "Confirm refund")


def test_the_landing_route_downloads_no_console_code(storefront_build):
    initial = set(INITIAL_SCRIPT.findall((storefront_build / "index.html").read_text()))
    assert initial, "index.html names no script: has the build changed shape?"
    loaded = "".join((storefront_build / name).read_text() for name in initial)
    assert [marker for marker in CONSOLE_MARKERS if marker in loaded] == []
    lazy = "".join(path.read_text() for path in storefront_build.glob("*.js") if path.name not in initial)
    assert all(marker in lazy for marker in CONSOLE_MARKERS)
