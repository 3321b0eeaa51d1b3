"""docs/schema.md is generated from the metadata and must not go stale."""

import sqlalchemy as sa

from kernel.tools import erd


def test_the_committed_schema_document_matches_the_models():
    fresh = erd.render(erd.built_in_tables())
    assert erd.OUTPUT.read_text(encoding="utf-8") == fresh, (
        "docs/schema.md is stale: run `python -m kernel.tools.erd` (or `commerce docs erd`) and commit it")


def test_every_built_in_plugin_and_kernel_feature_owns_tables_in_the_document():
    owners = set(erd.built_in_tables().values())
    assert {"identity", "jobs", "catalog", "cart", "orders"} <= owners


def _toy_tables():
    metadata = sa.MetaData()
    parent = sa.Table("parent", metadata, sa.Column("id", sa.Uuid, primary_key=True),
                      sa.Column("code", sa.String(20), nullable=False, unique=True))
    child = sa.Table("child", metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("parent_id", sa.Uuid, sa.ForeignKey("parent.id"), nullable=False),
                     sa.Column("price", sa.Numeric(12, 2), nullable=False),
                     sa.Column("seen_at", sa.DateTime(timezone=True)))
    profile = sa.Table("profile", metadata, sa.Column("id", sa.Integer, primary_key=True),
                       sa.Column("parent_id", sa.Uuid, sa.ForeignKey("parent.id"), unique=True))
    sa.Index("ix_child_open", child.c.seen_at, postgresql_where=child.c.seen_at.is_(None))
    return {parent: "a", child: "b", profile: "b"}


def test_foreign_keys_become_relationships_with_their_cardinality():
    text = erd.render(_toy_tables())
    assert '    parent ||--o{ child : "parent_id"' in text  # required, many children
    assert '    parent |o--o| profile : "parent_id"' in text  # optional, at most one


def test_columns_show_postgresql_types_keys_and_nullability():
    text = erd.render(_toy_tables())
    assert "        varchar(20) code UK\n" in text
    assert "        uuid parent_id FK\n" in text
    assert "        numeric(12,2) price\n" in text
    assert '        timestamptz seen_at "null"\n' in text
    assert "| `child` | `ix_child_open` | seen_at |  | `child.seen_at IS NULL` |" in text


def test_check_mode_fails_on_a_stale_file_and_passes_on_a_fresh_one(tmp_path, capsys):
    target = tmp_path / "schema.md"
    target.write_text("# an old diagram\n")
    assert erd.main(["--check", "--output", str(target)]) == 1
    assert "stale" in capsys.readouterr().err
    assert erd.main(["--output", str(target)]) == 0
    assert erd.main(["--check", "--output", str(target)]) == 0
