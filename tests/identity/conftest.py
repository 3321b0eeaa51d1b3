from pathlib import Path

import pytest

import kernel.plugins

HERE = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def guarded_routes(monkeypatch):
    """Every site built in these tests also has ``identity_test_plugin``'s permissions and views."""
    monkeypatch.syspath_prepend(str(HERE))
    monkeypatch.setattr(kernel.plugins, "KERNEL_MODULES", kernel.plugins.KERNEL_MODULES + ("identity_test_plugin",))
