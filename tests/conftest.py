pytest_plugins = ["kernel.testing.fixtures"]
