"""Storefront site configuration: ``sites/*.toml`` plus environment overrides.

A site names its plugins and infrastructure. Values written ``"env:NAME"`` are read from
the environment; any setting can be overridden by ``COMMERCE_<SECTION>_<KEY>`` (for
plugin settings ``COMMERCE_PLUGINS_<PLUGIN>_<KEY>``). Every problem is reported as one
:class:`SiteError` line naming the file, section and key.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import marshmallow as ma

SITE_ENV = "COMMERCE_SITE"
DEFAULT_SITE = Path(__file__).resolve().parent / "sites" / "demo.toml"  # ships in the package
ROUTE_LIMIT = re.compile(r"^(GET|POST|PUT|PATCH|DELETE) /\S*$")
DEV_SECRET_PREFIX = "dev-insecure-"  # marks every placeholder secret in the repo; production refuses them
# [rate_limits] keys that are not "METHOD /path"
NAMED_LIMITS = ("default", "storage_url", "login_per_account", "mails_per_account")


class SiteError(Exception):
    """A site cannot start; the message is one line meant for the operator."""


class _Section(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class SiteSection(_Section):
    name = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[a-z0-9][a-z0-9_-]*$"))
    currency = ma.fields.String(load_default="USD", validate=ma.validate.Regexp(r"^[A-Z]{3}$"))
    plugins = ma.fields.List(ma.fields.String(), load_default=list)
    production = ma.fields.Boolean(load_default=False)
    debug = ma.fields.Boolean(load_default=False)
    secret_key = ma.fields.String(load_default=None)  # unset: generated (kernel.infrastructure.dev_secrets)
    max_body_bytes = ma.fields.Integer(load_default=1_048_576, validate=ma.validate.Range(min=1024))
    # the shop's address as shoppers and providers reach it (https://shop.example): the base of
    # the return and webhook URLs a payment provider is given and of the links in account mails;
    # unset: the address of each request (as its Host header says)
    public_url = ma.fields.Url(load_default=None, require_tld=False, schemes={"http", "https"}, relative=False)
    # where relative file paths of the site resolve (``~`` allowed); default: the site file's folder,
    # with the site's own files (default database, job queue, mail folder) in its instance/ folder
    instance_path = ma.fields.String(load_default=None)


class DatabaseSection(_Section):
    url = ma.fields.String(load_default=None)
    echo = ma.fields.Boolean(load_default=False)
    pool_size = ma.fields.Integer(load_default=5, validate=ma.validate.Range(min=1))


class CacheSection(_Section):
    url = ma.fields.String(load_default="simple://")
    default_timeout = ma.fields.Integer(load_default=300, validate=ma.validate.Range(min=1))


class JobsSection(_Section):
    """Retries and back-off are the defaults of tasks that do not set their own; a running job
    whose worker stops renewing its lease for ``lease_seconds`` is handed to another worker."""

    url = ma.fields.String(load_default=None)
    workers = ma.fields.Integer(load_default=2, validate=ma.validate.Range(min=1))
    retries = ma.fields.Integer(load_default=5, validate=ma.validate.Range(min=0, max=25))
    retry_delay = ma.fields.Integer(load_default=10, validate=ma.validate.Range(min=0, max=3600))
    lease_seconds = ma.fields.Integer(load_default=60, validate=ma.validate.Range(min=1, max=3600))
    sweep_seconds = ma.fields.Integer(load_default=10, validate=ma.validate.Range(min=1, max=30))
    keep_days = ma.fields.Integer(load_default=14, validate=ma.validate.Range(min=1))


class SecuritySection(_Section):
    jwt_secret = ma.fields.String(load_default=None)  # unset: generated, as [site] secret_key
    issuer = ma.fields.String(load_default=None)
    audience = ma.fields.String(load_default="commerce-api")
    access_token_minutes = ma.fields.Integer(load_default=15, validate=ma.validate.Range(min=1, max=1440))
    refresh_token_days = ma.fields.Integer(load_default=14, validate=ma.validate.Range(min=1, max=365))
    cors_origins = ma.fields.List(ma.fields.String(), load_default=list)
    trusted_proxies = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=5))
    https = ma.fields.Boolean(load_default=False)


class LoggingSection(_Section):
    level = ma.fields.String(load_default="INFO", validate=ma.validate.OneOf(["DEBUG", "INFO", "WARNING", "ERROR"]))
    json = ma.fields.Boolean(load_default=False)


class MailSection(_Section):
    """``url``: ``smtp://user:password@host:587?tls=starttls`` or ``file://instance/mail`` (the default)."""

    url = ma.fields.String(load_default=None)
    sender = ma.fields.Email(load_default="shop@example.com")
    timeout = ma.fields.Integer(load_default=10, validate=ma.validate.Range(min=1, max=300))


class RedisSection(_Section):
    """Timeouts (seconds) of every Redis client the kernel builds (cache, limiter, jobs, token
    revocations, readiness probe): a Redis that hangs costs a request this long, not minutes."""

    connect_timeout = ma.fields.Float(load_default=0.25, validate=ma.validate.Range(min=0.01, max=30))
    socket_timeout = ma.fields.Float(load_default=0.25, validate=ma.validate.Range(min=0.01, max=30))


class PaymentsSection(_Section):
    """``methods``: every ``paymentMethod`` name shoppers may send, mapped to the payment provider
    that takes it or to ``"offline"`` (paid outside any provider; staff records the payment).
    ``return_origins``: origins besides the site's own that a payment may send the shopper back to."""

    methods = ma.fields.Dict(keys=ma.fields.String(validate=ma.validate.Regexp(r"^[a-z][a-z0-9_]*$")),
                             values=ma.fields.String(),
                             load_default=lambda: {"bank_transfer": "offline", "cash_on_delivery": "offline"})
    return_origins = ma.fields.List(ma.fields.Url(require_tld=False, schemes={"http", "https"}), load_default=list)


class EventsSection(_Section):
    """``url``: the broadcast (``redis://...``, or ``local://`` for one process); unset, the first
    Redis URL of the site (cache, jobs, rate limits), else ``local://``. An event left unpublished
    for ``relay_after_seconds`` is published by the relay job; streams send a heartbeat every
    ``heartbeat_seconds`` and end after ``max_stream_seconds`` (the client reconnects with its last
    id); the outbox keeps published events ``keep_days``."""

    url = ma.fields.String(load_default=None)
    heartbeat_seconds = ma.fields.Integer(load_default=15, validate=ma.validate.Range(min=1, max=300))
    max_stream_seconds = ma.fields.Float(load_default=600, validate=ma.validate.Range(min=0.1, max=86400))
    relay_after_seconds = ma.fields.Integer(load_default=30, validate=ma.validate.Range(min=1, max=3600))
    keep_days = ma.fields.Integer(load_default=30, validate=ma.validate.Range(min=1))


KERNEL_SECTIONS: dict[str, type[ma.Schema]] = {
    "site": SiteSection,
    "database": DatabaseSection,
    "cache": CacheSection,
    "jobs": JobsSection,
    "security": SecuritySection,
    "logging": LoggingSection,
    "mail": MailSection,
    "payments": PaymentsSection,
    "redis": RedisSection,
    "events": EventsSection,
}


@dataclass
class SiteConfig:
    """A loaded, validated site. Sections are plain dicts; ``plugin_settings`` holds each
    enabled plugin's settings once the plugin manager has validated them."""

    source: str
    sections: dict[str, dict[str, Any]]
    rate_limits: dict[str, str]
    raw_plugin_settings: dict[str, dict[str, Any]]
    plugin_settings: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __getattr__(self, item: str) -> dict[str, Any]:
        try:
            return self.__dict__["sections"][item]
        except KeyError:
            raise AttributeError(item) from None

    @property
    def name(self) -> str:
        return self.sections["site"]["name"]

    @property
    def currency(self) -> str:
        return self.sections["site"]["currency"]

    @property
    def plugins(self) -> list[str]:
        return self.sections["site"]["plugins"]

    @property
    def production(self) -> bool:
        return self.sections["site"]["production"]

    @property
    def instance_path(self) -> Path:
        """The site's own folder (absolute): its default SQLite files and mail folder live there."""
        return Path(self.sections["site"]["instance_path"])

    def __repr__(self) -> str:  # never the sections: they hold secrets (hook tracing prints arguments)
        return f"SiteConfig(name={self.name!r}, source={self.source!r}, plugins={self.plugins!r})"

    @property
    def redis_urls(self) -> list[str]:
        """The Redis servers the site uses, in this order: limiter storage, cache, job queue."""
        urls = (self.rate_limits.get("storage_url", ""), self.cache["url"], self.jobs["url"])
        return list(dict.fromkeys(url for url in urls if url.startswith(("redis://", "rediss://"))))

    @property
    def limiter_storage(self) -> str:
        """``[rate_limits] storage_url``, else the site's first Redis (counters shared by every
        worker and replica), else ``memory://``."""
        return self.rate_limits.get("storage_url") or next(iter(self.redis_urls), "memory://")

    @property
    def events_url(self) -> str:
        """``[events] url``, else the site's first Redis (every process hears every event), else ``local://``."""
        return self.events["url"] or next(iter(self.redis_urls), "local://")

    @property
    def redis_options(self) -> dict[str, float]:
        """The keyword arguments every Redis client of the site is built with."""
        return {"socket_connect_timeout": self.redis["connect_timeout"], "socket_timeout": self.redis["socket_timeout"]}

    def settings(self, plugin: str) -> dict[str, Any]:
        """The validated settings of an enabled plugin."""
        return self.plugin_settings[plugin]


def load_site(path: str | os.PathLike | None = None, environ: dict[str, str] | None = None) -> SiteConfig:
    """Load a site from ``path``, else ``$COMMERCE_SITE``, else the demo site (``kernel/sites/demo.toml``)."""
    environ = os.environ if environ is None else environ
    chosen = Path(path or environ.get(SITE_ENV) or DEFAULT_SITE)
    try:
        data = tomllib.loads(chosen.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SiteError(f"site file not found: {chosen}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SiteError(f"{chosen}: not valid TOML: {exc}") from None
    return build_site(data, str(chosen), environ, folder=chosen.resolve().parent)


def build_site(data: dict[str, Any], source: str, environ: dict[str, str], folder: Path | None = None) -> SiteConfig:
    """Validate a site's parsed TOML after applying environment overrides. Relative file paths
    resolve against ``folder`` (the site file's; default: the working directory)."""
    data = {section: dict(values) if isinstance(values, dict) else values for section, values in data.items()}
    plugin_raw = {name: dict(values) for name, values in (data.pop("plugins", None) or {}).items()}
    rate_limits = dict(data.pop("rate_limits", None) or {})
    _apply_overrides(data, plugin_raw, rate_limits, environ)

    unknown = set(data) - set(KERNEL_SECTIONS)
    if unknown:
        raise SiteError(f"{source}: unknown section [{sorted(unknown)[0]}] (known: {', '.join(KERNEL_SECTIONS)}, rate_limits, plugins.<name>)")
    sections = {}
    for section, schema in KERNEL_SECTIONS.items():
        values = resolve_env(data.get(section) or {}, f"{source}: [{section}]", environ)
        sections[section] = load_section(schema(), values, f"{source}: [{section}]")
    _apply_derived_defaults(sections)
    resolve_paths(sections, Path.cwd() if folder is None else folder)
    rate_limits = resolve_env(rate_limits, f"{source}: [rate_limits]", environ)
    for key, value in rate_limits.items():
        if key not in NAMED_LIMITS and not ROUTE_LIMIT.match(key):
            raise SiteError(f"{source}: [rate_limits] {key!r}: expected {', '.join(map(repr, NAMED_LIMITS))} or 'METHOD /path'")
        if not isinstance(value, str):
            raise SiteError(f"{source}: [rate_limits] {key!r}: expected a string such as '100/minute'")
    return SiteConfig(source=source, sections=sections, rate_limits=rate_limits, raw_plugin_settings=plugin_raw)


def load_section(schema: ma.Schema, values: dict[str, Any], where: str) -> dict[str, Any]:
    """Validate one section, turning the first marshmallow error into a one-line SiteError."""
    try:
        return schema.load(values)
    except ma.ValidationError as exc:
        key, messages = next(iter(exc.normalized_messages().items()))
        message = messages[0] if isinstance(messages, list) else messages
        raise SiteError(f"{where} {key}: {message}") from None


def resolve_env(values: dict[str, Any], where: str, environ: dict[str, str]) -> dict[str, Any]:
    """Replace ``"env:NAME"`` values by the environment variable NAME (which must be set)."""
    resolved = {}
    for key, value in values.items():
        if isinstance(value, str) and value.startswith("env:"):
            name = value[4:]
            if not environ.get(name):
                raise SiteError(f"{where} {key}: environment variable {name} is not set")
            value = environ[name]
        resolved[key] = value
    return resolved


def _apply_overrides(data, plugin_raw, rate_limits, environ) -> None:
    for var, value in environ.items():
        if not var.startswith("COMMERCE_") or var == SITE_ENV:
            continue
        rest = var[len("COMMERCE_"):].lower()
        if rest.startswith("plugins_"):
            plugin, _, key = rest[len("plugins_"):].partition("_")
            if key:
                plugin_raw.setdefault(plugin, {})[key] = value
            continue
        section, _, key = rest.partition("_")
        if section in KERNEL_SECTIONS and key:
            data.setdefault(section, {})[key] = coerce(value, KERNEL_SECTIONS[section]._declared_fields.get(key))
        elif section == "rate" and key.startswith("limits_"):
            rate_limits[key[len("limits_"):]] = value


def coerce(value: Any, schema_field: ma.fields.Field | None) -> Any:
    """Environment values are strings; a list setting is written comma-separated."""
    if isinstance(value, str) and isinstance(schema_field, ma.fields.List):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


def resolve_paths(sections: dict[str, dict[str, Any]], folder: Path) -> None:
    """Make every file path of the site absolute, so the shop is the same from any directory:
    relative ones resolve against ``[site] instance_path`` when given, else the site's folder;
    the default database, job queue and mail folder go in the instance folder."""
    site = sections["site"]
    base = _absolute(site["instance_path"], folder) if site["instance_path"] else folder
    instance = base if site["instance_path"] else folder / "instance"
    site["instance_path"] = str(instance)
    name = site["name"]
    for section, default in (("database", f"{name}.db"), ("jobs", f"{name}-jobs.db")):
        url = sections[section]["url"] or f"sqlite:///{instance / default}"
        sections[section]["url"] = _absolute_url(url, "sqlite:///", base)
    sections["mail"]["url"] = _absolute_url(sections["mail"]["url"] or f"file://{instance / 'mail'}", "file://", base)


def _absolute(path: str, base: Path) -> Path:
    return (base / Path(path).expanduser()).resolve()


def _absolute_url(url: str, prefix: str, base: Path) -> str:
    """``prefix`` + a relative path (``sqlite:///shop.db``, ``file://mail``) made absolute."""
    if not url.startswith(prefix):
        return url
    path, mark, query = url[len(prefix):].partition("?")
    if not path or path.startswith("/") or path == ":memory:":
        return url
    return f"{prefix}{_absolute(path, base)}{mark}{query}"


def _apply_derived_defaults(sections: dict[str, dict[str, Any]]) -> None:
    name = sections["site"]["name"]
    if not sections["security"]["issuer"]:
        sections["security"]["issuer"] = f"commerce:{name}"
