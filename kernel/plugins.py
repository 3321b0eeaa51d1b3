"""Plugin discovery (the ``commerce.plugins`` entry-point group) and per-site loading.

Built-in plugins are registered through the same entry-point group as third-party
packages. Each site gets its own :class:`pluggy.PluginManager` holding only the plugins
it enables, after their manifests have been checked.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType
from typing import Any

import marshmallow as ma
import pluggy
from loguru import logger
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from kernel import __version__ as KERNEL_VERSION
from kernel import hookspecs
from kernel.site import DEV_SECRET_PREFIX, SiteConfig, SiteError, coerce, load_section, resolve_env

ENTRY_POINT_GROUP = "commerce.plugins"
hookimpl = pluggy.HookimplMarker("commerce")

# Kernel features that plug in exactly like plugins do, on every site.
KERNEL_MODULES = ("kernel.identity.plugin", "kernel.jobs.plugin", "kernel.events.plugin", "kernel.idempotency.plugin", "kernel.console.plugin")


@dataclass(frozen=True)
class PluginManifest:
    """What a plugin declares about itself; read before the plugin is enabled.

    ``kernel`` is a version range (PEP 440, e.g. ``">=0.1,<0.2"``) of kernels the plugin
    works with; ``requires`` names plugins that must be enabled on the same site;
    ``config_schema`` is a marshmallow schema of the plugin's ``[plugins.<name>]`` table
    (unknown keys are refused; mark secrets with ``metadata={"secret": True}``).
    """

    name: str
    version: str
    kernel: str
    description: str = ""
    requires: tuple[str, ...] = ()
    config_schema: type[ma.Schema] | None = None


def discover() -> dict[str, EntryPoint]:
    """Installed plugins by name (loading nothing yet)."""
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def build_plugin_manager(site: SiteConfig) -> pluggy.PluginManager:
    """A plugin manager with the kernel's modules and the site's enabled plugins.

    Raises :class:`SiteError` with one line when the site cannot start.
    """
    pm = pluggy.PluginManager("commerce")
    pm.add_hookspecs(hookspecs)
    for module_name in KERNEL_MODULES:
        pm.register(importlib.import_module(module_name), name=module_name)

    available = discover()
    enabled = list(dict.fromkeys(site.plugins))
    modules: dict[str, ModuleType] = {}
    for name in enabled:
        if name not in available:
            installed = ", ".join(sorted(available)) or "none"
            raise SiteError(f"{site.source}: plugin {name!r} is not installed (installed: {installed})")
        try:
            modules[name] = available[name].load()
        except Exception as exc:  # a broken third-party package must not hide behind a traceback
            raise SiteError(f"plugin {name!r} failed to import: {type(exc).__name__}: {exc}") from exc
    unknown_settings = set(site.raw_plugin_settings) - set(enabled)
    if unknown_settings:
        raise SiteError(f"{site.source}: [plugins.{sorted(unknown_settings)[0]}] configures a plugin the site does not enable")

    for name, module in modules.items():
        manifest = check_manifest(name, module, enabled)
        site.plugin_settings[name] = validate_settings(manifest, site)
        pm.register(module, name=name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) if exc.plugin is not None else "?"
        raise SiteError(f"plugin {name!r}: {str(exc).split(' in plugin ')[0]} (no such hook in kernel {KERNEL_VERSION})") from None
    if os.environ.get("COMMERCE_TRACE_HOOKS"):
        pm.trace.root.setwriter(lambda message: logger.debug("hook {}", message.rstrip()))
        pm.enable_tracing()
    return pm


def check_manifest(name: str, module: ModuleType, enabled: list[str]) -> PluginManifest:
    manifest = getattr(module, "manifest", None)
    if not isinstance(manifest, PluginManifest):
        raise SiteError(f"plugin {name!r} has no PluginManifest named 'manifest' in {module.__name__}")
    if manifest.name != name:
        raise SiteError(f"plugin {name!r}: its manifest is named {manifest.name!r}")
    try:
        compatible = Version(KERNEL_VERSION) in SpecifierSet(manifest.kernel)
    except InvalidSpecifier:
        raise SiteError(f"plugin {name!r}: kernel range {manifest.kernel!r} is not a version range") from None
    if not compatible:
        raise SiteError(f"plugin {name!r} {manifest.version} needs kernel {manifest.kernel}, this is kernel {KERNEL_VERSION}")
    missing = [required for required in manifest.requires if required not in enabled]
    if missing:
        raise SiteError(f"plugin {name!r} requires plugin {missing[0]!r}, which the site does not enable")
    return manifest


def validate_settings(manifest: PluginManifest, site: SiteConfig) -> dict[str, Any]:
    where = f"{site.source}: [plugins.{manifest.name}]"
    raw = site.raw_plugin_settings.get(manifest.name, {})
    if manifest.config_schema is None:
        if raw:
            raise SiteError(f"{where} {next(iter(raw))}: plugin {manifest.name!r} takes no settings")
        return {}
    schema = manifest.config_schema(unknown=ma.RAISE)
    values = {key: coerce(value, schema.fields.get(key)) for key, value in resolve_env(raw, where, os.environ).items()}
    settings = load_section(schema, values, where)
    if site.production:
        for name in secret_settings(manifest):
            if str(settings.get(name) or "").startswith(DEV_SECRET_PREFIX):
                raise SiteError(f"{where} {name}: a production site refuses a development placeholder secret")
    return settings


def secret_settings(manifest: PluginManifest) -> list[str]:
    """Names of the settings a plugin marks as secrets (never logged or shown)."""
    if manifest.config_schema is None:
        return []
    return [name for name, fld in manifest.config_schema._declared_fields.items() if fld.metadata.get("secret")]


def site_secrets(site: SiteConfig, pm: pluggy.PluginManager) -> list[str]:
    """The secret values a site is configured with: its own keys and its plugins' secret settings."""
    values = [site.sections["site"]["secret_key"], site.sections["security"]["jwt_secret"]]
    for manifest in plugin_manifests(pm):
        settings = site.plugin_settings.get(manifest.name, {})
        values += [settings.get(name) for name in secret_settings(manifest)]
    return values


def plugin_manifests(pm: pluggy.PluginManager) -> list[PluginManifest]:
    """Manifests of the plugins registered on a site's manager, in registration order."""
    return [module.manifest for _, module in pm.list_name_plugin() if isinstance(getattr(module, "manifest", None), PluginManifest)]
