pytest_plugins = ["kernel.testing.fixtures"]

# Packages that tests install with pip; their own tests run inside those tests, against the installed copy.
collect_ignore = ["fixtures"]
