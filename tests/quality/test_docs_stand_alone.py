"""Every hook a plugin can implement is documented, with the arguments it is called with."""

import inspect
from pathlib import Path

from kernel import hookspecs

PLUGINS_DOC = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"


def hook_signatures() -> list[str]:
    return [f"{name}{inspect.signature(function)}" for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
            if hasattr(function, "commerce_spec")]


def test_every_hookspec_appears_with_its_signature_in_the_plugin_guide():
    signatures = hook_signatures()
    assert len(signatures) >= 10  # the marker attribute is pluggy's "<project>_spec"
    guide = PLUGINS_DOC.read_text()
    missing = [signature for signature in signatures if f"`{signature}`" not in guide]
    assert not missing, f"docs/plugins.md does not document: {missing}"
