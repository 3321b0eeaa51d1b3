"""A test-only stand-in for the catalog plugin: provides the catalog port from memory.

Only for cart-rule tests while no real catalog is installed; see ``conftest.py``.
"""

from kernel.plugins import PluginManifest, hookimpl

from .cart_fakes import FakeCatalog

manifest = PluginManifest(name="catalog", version="0.0.0", kernel=">=0.1", description="in-memory catalog port")
catalogs: dict[str, FakeCatalog] = {}


@hookimpl
def commerce_catalog_port(site):
    return catalogs.setdefault(site.name, FakeCatalog())
