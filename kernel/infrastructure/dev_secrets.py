"""Development secrets: a site without ``[site] secret_key`` or ``[security] jwt_secret`` that is
not in production signs with random keys generated on its first start and kept in its instance
folder (``<name>-secrets.json``), so no key written in the repository ever signs anything, and
tokens survive a restart. A production site gets none: it refuses to start without its own."""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from pathlib import Path

from kernel.site import SiteConfig

SIGNING_SECRETS = (("site", "secret_key"), ("security", "jwt_secret"))


def secrets_file(site: SiteConfig, instance_path: str) -> Path:
    return Path(instance_path) / f"{site.name}-secrets.json"


def fill_generated_secrets(site: SiteConfig, instance_path: str) -> str | None:
    """Give the site's unset signing secrets their generated values (created on first use).
    Returns the warning to log once the site has started (None when nothing was generated)."""
    missing = [(section, key) for section, key in SIGNING_SECRETS if not site.sections[section][key]]
    if not missing or site.production:
        return None
    path = secrets_file(site, instance_path)
    stored = _stored_or_new(path)
    for section, key in missing:
        site.sections[section][key] = stored[f"{section}.{key}"]
    names = " and ".join(f"[{section}] {key}" for section, key in missing)
    return (f"{names} not set: signing with development keys generated in {path} "
            "(a production site refuses to start without its own)")


def _stored_or_new(path: Path) -> dict[str, str]:
    """The file's keys; when there is none, a new file written whole before it appears under its
    name (``link`` fails if another worker got there first: then theirs is read)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = {f"{section}.{key}": secrets.token_urlsafe(48) for section, key in SIGNING_SECRETS}
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secrets-")  # mode 0600
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(fresh, out)
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return json.loads(path.read_text(encoding="utf-8"))
