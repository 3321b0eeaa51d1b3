"""A plugin author's migration workflow: ``commerce db revision <plugin>`` starts and extends the plugin's branch."""

import os
import subprocess
import sys

import pytest

PLUGIN = '''
from pathlib import Path

import sqlalchemy as sa

from kernel.infrastructure.db import metadata
from kernel.plugins import PluginManifest, hookimpl

manifest = PluginManifest(name="notes", version="0.1", kernel=">=0.1")
notes = sa.Table("notes_notes", metadata, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("body", sa.Text, nullable=False), {columns})


@hookimpl
def commerce_tables():
    return [notes]


@hookimpl
def commerce_migration_dirs():
    return [Path(__file__).parent / "migrations" / "versions"]
'''


@pytest.fixture
def plugin_package(tmp_path):
    """A freshly written plugin package ``notes`` (no migrations yet), installed by its metadata alone."""
    root = tmp_path / "packages"
    (root / "commerce_notes" / "migrations" / "versions").mkdir(parents=True)
    (root / "commerce_notes-0.1.dist-info").mkdir()
    (root / "commerce_notes-0.1.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: commerce-notes\nVersion: 0.1\n")
    (root / "commerce_notes-0.1.dist-info" / "entry_points.txt").write_text("[commerce.plugins]\nnotes = commerce_notes\n")

    def write(columns=""):
        (root / "commerce_notes" / "__init__.py").write_text(PLUGIN.replace("{columns}", columns))

    write()
    return root, write


def commerce(tmp_path, packages, *args):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(packages), os.environ.get("PYTHONPATH")]))}
    site = tmp_path / "site.toml"
    site.write_text('[site]\nname = "notes"\nplugins = ["notes"]\n[jobs]\nurl = "immediate"\n')
    return subprocess.run([sys.executable, "-c", "from kernel.cli import main; main()", "--site", str(site), *args],
                          cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)


def ok(result):
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_first_revision_starts_the_plugins_branch_and_later_ones_extend_it(tmp_path, plugin_package):
    packages, write_plugin = plugin_package
    versions = packages / "commerce_notes" / "migrations" / "versions"
    ok(commerce(tmp_path, packages, "db", "upgrade"))  # a plugin without revisions yet is no error
    ok(commerce(tmp_path, packages, "db", "revision", "notes", "-m", "create notes"))
    [first] = versions.glob("*.py")
    source = first.read_text()
    assert "branch_labels = ('notes',)" in source and "down_revision = None" in source
    assert "depends_on = 'kernel_" in source
    assert "notes_notes" in source and "users" not in source  # only this plugin's tables
    ok(commerce(tmp_path, packages, "db", "upgrade"))

    write_plugin('sa.Column("pinned", sa.Boolean, nullable=True)')
    ok(commerce(tmp_path, packages, "db", "revision", "notes", "-m", "pin notes"))
    second = next(path for path in versions.glob("*.py") if path != first)
    assert f"down_revision = '{first.name.split('_')[1]}'" in second.read_text()
    assert "add_column(sa.Column('pinned'" in second.read_text()
    ok(commerce(tmp_path, packages, "db", "upgrade"))
    assert "models and database agree" in ok(commerce(tmp_path, packages, "db", "check")).stdout


def test_a_revision_on_an_unknown_branch_is_one_clear_error(tmp_path, plugin_package):
    result = commerce(tmp_path, plugin_package[0], "db", "revision", "loyalty", "-m", "x")
    assert result.returncode != 0
    assert "Error: 'loyalty' is neither 'kernel' nor an enabled plugin" in result.stderr
