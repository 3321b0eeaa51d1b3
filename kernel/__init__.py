"""The commerce platform kernel: plugin system, sites and shared infrastructure."""

__version__ = "0.1.0"
