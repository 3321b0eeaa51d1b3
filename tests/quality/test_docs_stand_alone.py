"""The docs stay true of the code and readable on their own: every hook documented with its
signature, every decision record in one format, nothing cited from outside the repository."""

import inspect
import re
from pathlib import Path

from kernel import hookspecs

DOCS = Path(__file__).resolve().parents[2] / "docs"
RECORD_HEAD = re.compile(r"# (\d{4}) — \S.*\n\n\*\*Status:\*\* (accepted|superseded|deprecated)\b[^\n]*"
                         r"\*\*Date:\*\* \d{4}-\d{2}-\d{2}\.")


def hook_signatures() -> list[str]:
    return [f"{name}{inspect.signature(function)}" for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
            if hasattr(function, "commerce_spec")]  # pluggy marks a spec with "<project>_spec"


def test_every_hookspec_appears_with_its_signature_in_the_plugin_guide():
    signatures = hook_signatures()
    assert len(signatures) >= 10
    guide = (DOCS / "plugins.md").read_text()
    missing = [signature for signature in signatures if f"`{signature}`" not in guide]
    assert not missing, f"docs/plugins.md does not document: {missing}"


def test_every_decision_record_has_its_number_title_status_and_date():
    records = sorted((DOCS / "decisions").glob("*.md"))
    assert records
    for record in records:
        head = RECORD_HEAD.match(record.read_text())
        assert head, f"{record.name}: start with '# NNNN — Title' and a '**Status:** … **Date:** YYYY-MM-DD.' line"
        assert record.name.startswith(head.group(1)), record.name


def test_the_docs_cite_nothing_outside_the_repository():
    citing = [str(page.relative_to(DOCS)) for page in DOCS.rglob("*.md") if "ARCHITECTURE.md" in page.read_text()]
    assert not citing, f"these pages cite ARCHITECTURE.md, which is not in the repository: {citing}"


def test_the_module_tables_name_every_module_of_their_plugin():
    plugins = DOCS.parent / "plugins"
    for plugin in ("catalog", "orders"):
        page = (DOCS / f"{plugin}.md").read_text()
        modules = [path.relative_to(plugins / plugin).as_posix() for path in (plugins / plugin).rglob("*.py")
                   if "migrations" not in path.parts and (path.name != "__init__.py" or path.parent.name == plugin)]
        missing = [module for module in modules if f"`{module}`" not in page]
        assert not missing, f"docs/{plugin}.md's module table lacks {missing}"
