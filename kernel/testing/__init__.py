"""Public test helpers for the kernel and for plugin authors (pytest fixtures live in
:mod:`kernel.testing.fixtures`; enable them with ``pytest_plugins = ["kernel.testing.fixtures"]``)."""
