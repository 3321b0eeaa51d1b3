"""The tree is lint-clean under the project's ruff configuration (``[tool.ruff]`` in pyproject.toml:
pyflakes, pycodestyle errors, isort, pyupgrade, bugbear)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ruff_finds_nothing():
    result = subprocess.run([str(Path(sys.executable).parent / "ruff"), "check", "--no-cache", "."], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]
