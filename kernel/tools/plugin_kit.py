"""Tools for plugin authors, behind ``commerce plugins``: list what is installed, check a plugin
without a site, and start a new one from the kernel's template."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pluggy

from kernel import hookspecs
from kernel.plugins import PluginManifest, check_manifest, discover, secret_settings
from kernel.site import SiteError

TEMPLATES = Path(__file__).resolve().parent / "plugin_templates"
KINDS = sorted(path.name for path in TEMPLATES.iterdir() if path.is_dir())
PLUGIN_NAME = re.compile(r"^[a-z][a-z0-9]{1,29}$")


@dataclass
class PluginCheck:
    """What ``commerce plugins check NAME`` found: the manifest when it could be read, and each
    problem in one line (none: the plugin can be enabled on a site)."""

    name: str
    distribution: str = ""
    manifest: PluginManifest | None = None
    hooks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def check_plugin(name: str) -> PluginCheck:
    """Load plugin ``name`` by its entry point and check what a site would check at start-up:
    the manifest, the kernel range, the plugins it requires, its settings schema and its hooks
    against the kernel's hook specifications."""
    available = discover()
    found = PluginCheck(name)
    if name not in available:
        found.problems.append(f"no installed plugin is named {name!r} (installed: {', '.join(sorted(available)) or 'none'})")
        return found
    entry_point = available[name]
    found.distribution = f"{entry_point.dist.name} {entry_point.dist.version}" if entry_point.dist else ""
    try:
        module = entry_point.load()
    except Exception as exc:  # the author needs the reason, not a traceback of the kernel
        found.problems.append(f"entry point {entry_point.value!r} fails to import: {type(exc).__name__}: {exc}")
        return found
    manifest = getattr(module, "manifest", None)
    try:
        found.manifest = check_manifest(name, module, [name, *getattr(manifest, "requires", ())])
    except SiteError as exc:
        found.problems.append(str(exc))
        return found
    found.problems += [f"requires plugin {required!r}, which is not installed"
                       for required in found.manifest.requires if required not in available]
    if found.manifest.config_schema is not None:
        try:
            found.manifest.config_schema()
        except Exception as exc:
            found.problems.append(f"its config_schema cannot be built: {type(exc).__name__}: {exc}")
    pm = pluggy.PluginManager("commerce")
    pm.add_hookspecs(hookspecs)
    try:
        pm.register(module, name=name)
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        found.problems.append(f"hook: {str(exc).split(' in plugin ')[0]}")
        return found
    found.hooks = sorted(caller.name for caller in pm.get_hookcallers(module) or [])
    return found


def settings_summary(manifest: PluginManifest) -> list[str]:
    """Its ``[plugins.<name>]`` settings, one line each: required or default, secret or not."""
    if manifest.config_schema is None:
        return []
    secrets = set(secret_settings(manifest))
    lines = []
    for key, spec in manifest.config_schema._declared_fields.items():
        default = "required" if spec.required else f"default {spec.load_default!r}"
        lines.append(f"{key} ({type(spec).__name__}, {default}{', secret' if key in secrets else ''})")
    return lines


def new_plugin(kind: str, name: str, parent: Path) -> Path:
    """Write ``parent/commerce-<name>/`` from the ``kind`` template; return that folder."""
    if kind not in KINDS:
        raise ValueError(f"no template for a {kind!r} plugin (templates: {', '.join(KINDS)})")
    if not PLUGIN_NAME.match(name):
        raise ValueError(f"{name!r}: a plugin name is 2 to 30 lowercase letters and digits, starting with a letter")
    target = parent / f"commerce-{name}"
    if target.exists():
        raise ValueError(f"{target} already exists")
    words = {"{{name}}": name, "{{camel}}": name.capitalize(), "{{title}}": name.capitalize()}
    for source in sorted((TEMPLATES / kind).rglob("*.tmpl")):
        path = target / str(source.relative_to(TEMPLATES / kind).with_suffix("")).replace("NAME", name)
        text = source.read_text()
        for word, value in words.items():
            text = text.replace(word, value)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return target
