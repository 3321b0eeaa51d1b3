"""The dependency rule, checked by import-linter (contracts in setup.cfg)."""

import subprocess
import sys
from pathlib import Path


def test_import_contracts_are_kept():
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout
