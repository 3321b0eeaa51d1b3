"""Product images (plain Python): what is kept about one, its renditions and the upload limits.

An image's files live in the media storage (the kernel's ``MediaStorage`` port) under names
made of their content's hash, so a file never changes under its name and can be cached for
a year. The renditions are made by a background job after the upload commits; until then
an image has none and its URLs are absent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

# name -> the longest side in pixels (never enlarged)
RENDITIONS = {"thumbnail": 200, "card": 600, "full": 1600}
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_ALT = 300


@dataclass(frozen=True)
class Image:
    id: UUID
    product_id: UUID
    variant_id: UUID | None
    alt: str
    position: int
    original: str  # a media storage key, or the URL an import named
    width: int | None
    height: int | None
    renditions: Mapping[str, str] = field(default_factory=dict)  # rendition -> storage key or URL
    created_at: datetime | None = None


def is_url(reference: str) -> bool:
    """An imported image is kept as its URL; an uploaded one as a storage key."""
    return reference.startswith(("https://", "http://"))


def content_name(digest: str, rendition: str, extension: str) -> str:
    """``products/ab/abcdef…-card.webp``: the name changes whenever the content does."""
    return f"products/{digest[:2]}/{digest}-{rendition}.{extension}"
