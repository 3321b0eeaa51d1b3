"""The landing's scripts start with V8's explicit compile hint, so Chrome compiles them off the
main thread while they download; the lazily loaded chunks do not (storefront/builders/application.js,
decision 0044)."""

from __future__ import annotations

import re

INITIAL_SCRIPT = re.compile(r'<(?:script src|link rel="modulepreload" href)="([^"]+\.js)"')
HINT = "//# allFunctionsCalledOnLoad\n"


def test_the_landing_scripts_and_only_they_carry_the_compile_hint(storefront_build):
    initial = set(INITIAL_SCRIPT.findall((storefront_build / "index.html").read_text()))
    assert initial, "index.html names no script: has the build changed shape?"
    scripts = list(storefront_build.glob("*.js"))
    assert len(scripts) > len(initial), "no lazy chunk in the build: has it changed shape?"
    hinted = {path.name for path in scripts if path.read_text().startswith(HINT)}
    assert hinted == initial
