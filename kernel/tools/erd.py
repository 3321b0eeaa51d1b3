"""``docs/schema.md`` from the SQLAlchemy metadata: a Mermaid ER diagram and the index list.

``python -m kernel.tools.erd`` (or ``commerce docs erd``) writes the schema of the kernel and
every built-in plugin, whatever the site; ``--check`` fails when the committed file is stale.
Tables come from the ``commerce_tables`` hook, exactly as a site collects them.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from pathlib import Path

import pluggy
from sqlalchemy import Column, ForeignKeyConstraint, Table, UniqueConstraint
from sqlalchemy.dialects import postgresql

from kernel import hookspecs
from kernel.plugins import KERNEL_MODULES, discover

OUTPUT = Path(__file__).resolve().parent.parent.parent / "docs" / "schema.md"
BUILT_IN_PACKAGE = "plugins."
_DIALECT = postgresql.dialect()


def built_in_tables() -> dict[Table, str]:
    """Every table of the kernel and the built-in plugins, with the name of its owner."""
    pm = pluggy.PluginManager("commerce")
    pm.add_hookspecs(hookspecs)
    for module_name in KERNEL_MODULES:
        pm.register(importlib.import_module(module_name), name=module_name.split(".")[1])
    for name, entry_point in sorted(discover().items()):
        if entry_point.value.startswith(BUILT_IN_PACKAGE):
            pm.register(entry_point.load(), name=name)
    owners = {}
    for plugin_name, plugin in pm.list_name_plugin():
        hook = getattr(plugin, "commerce_tables", None)
        for table in (hook() if hook else []):
            owners[table] = plugin_name
    return owners


def column_type(column: Column) -> str:
    """The PostgreSQL type as one Mermaid-safe word: ``varchar(255)``, ``numeric(12,2)``, ``timestamptz``."""
    rendered = column.type.compile(dialect=_DIALECT).lower()
    rendered = rendered.replace("timestamp with time zone", "timestamptz").replace(", ", ",")
    return re.sub(r"[^a-z0-9_(),\[\]]+", "_", rendered)


def column_keys(column: Column, unique_columns: set[str]) -> str:
    keys = []
    if column.primary_key:
        keys.append("PK")
    if column.foreign_keys:
        keys.append("FK")
    if column.name in unique_columns and not column.primary_key:
        keys.append("UK")
    return ", ".join(keys)


def single_unique_columns(table: Table) -> set[str]:
    singles = {c.columns.keys()[0] for c in table.constraints if isinstance(c, UniqueConstraint) and len(c.columns) == 1}
    singles |= {i.columns.keys()[0] for i in table.indexes
                if i.unique and len(i.columns) == 1 and i.dialect_options["postgresql"].get("where") is None}
    return singles | {c.name for c in table.columns if c.unique}


def relationship(constraint: ForeignKeyConstraint, unique_columns: set[str]) -> str:
    """``parent ||--o{ child : "column"`` with the cardinality the constraint allows."""
    child = constraint.table
    parent = constraint.referred_table
    columns = [column.name for column in constraint.columns]
    optional = any(constraint.table.c[name].nullable for name in columns)
    one_child = len(columns) == 1 and (columns[0] in unique_columns or child.c[columns[0]].primary_key
                                        and len(child.primary_key.columns) == 1)
    left = "|o" if optional else "||"
    right = "o|" if one_child else "o{"
    return f'    {parent.name} {left}--{right} {child.name} : "{", ".join(columns)}"'


def entity(table: Table) -> list[str]:
    unique = single_unique_columns(table)
    lines = [f"    {table.name} {{"]
    for column in table.columns:
        keys = column_keys(column, unique)
        comment = "" if column.primary_key or not column.nullable else ' "null"'
        lines.append(f"        {column_type(column)} {column.name}{' ' + keys if keys else ''}{comment}")
    lines.append("    }")
    return lines


def index_rows(table: Table) -> list[str]:
    indexed: list[tuple[str, str, str, str]] = []
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint) and constraint.name:
            indexed.append((str(constraint.name), ", ".join(constraint.columns.keys()), "unique", ""))
    for index in table.indexes:
        where = index.dialect_options["postgresql"].get("where")
        expressions = ", ".join(expression.name if isinstance(expression, Column) else str(expression)
                                for expression in index.expressions)
        using = index.dialect_options["postgresql"].get("using")
        kind = ("unique" if index.unique else "") + (f" {using}" if using else "")
        indexed.append((str(index.name), expressions, kind.strip(), str(where) if where is not None else ""))
    return [f"| `{table.name}` | `{name}` | {columns} | {kind} | {f'`{where}`' if where else ''} |"
            for name, columns, kind, where in sorted(indexed)]


def render(owners: dict[Table, str]) -> str:
    tables = sorted(owners, key=lambda table: table.name)
    lines = [
        "# Database schema",
        "",
        "<!-- Generated by `python -m kernel.tools.erd` (also `commerce docs erd`) from the SQLAlchemy",
        "     metadata of the kernel and every built-in plugin. Do not edit: run the command;",
        "     tests/kernel/test_schema_doc.py fails when this file is stale. -->",
        "",
        "The tables of the kernel and of every built-in plugin, as PostgreSQL creates them through",
        "the migrations. A site has only the tables of the kernel and of the plugins it enables.",
        "Types are PostgreSQL's; `null` marks a nullable column. See `docs/architecture.md` for",
        "who owns what and why plugins share one metadata.",
        "",
        "| owner | tables |",
        "|---|---|",
    ]
    by_owner: dict[str, list[str]] = {}
    for table in tables:
        by_owner.setdefault(owners[table], []).append(f"`{table.name}`")
    lines += [f"| {owner} | {', '.join(names)} |" for owner, names in sorted(by_owner.items())]
    lines += ["", "```mermaid", "erDiagram"]
    for table in tables:
        lines += entity(table)
    relationships = []
    for table in tables:
        unique = single_unique_columns(table)
        for constraint in sorted(table.foreign_key_constraints, key=lambda c: [col.name for col in c.columns]):
            if constraint.referred_table in owners:
                relationships.append(relationship(constraint, unique))
    lines += relationships
    lines += ["```", "", "## Indexes and unique constraints", "",
              "Primary keys are not listed. Partial indexes show their condition.", "",
              "| table | name | columns | kind | where |", "|---|---|---|---|---|"]
    for table in tables:
        lines += index_rows(table)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kernel.tools.erd", description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    parser.add_argument("--check", action="store_true", help="fail if the file differs from a fresh generation")
    args = parser.parse_args(argv)
    owners = built_in_tables()
    text = render(owners)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale: run python -m kernel.tools.erd", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(owners)} tables)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
