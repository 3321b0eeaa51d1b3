"""Image files with Pillow: checking an upload by its content, stripping its metadata, and
making the renditions; also the demo's drawn pictures.

An upload is trusted for nothing it says about itself: its format is what Pillow finds in
the bytes (JPEG, PNG or WebP only), its size and pixel count are capped before decoding
it fully, and the stored original is re-encoded from the pixels, so EXIF (camera, GPS)
and other metadata never reach the storage. Orientation from EXIF is applied first.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image as Pillow
from PIL import ImageDraw, ImageOps, UnidentifiedImageError

from kernel.domain.errors import TooLarge, ValidationFailed
from kernel.domain.ports.media import MediaStorage
from plugins.catalog.images import FORMATS, RENDITIONS, content_name

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
RENDITION_FORMAT = ("WEBP", "image/webp", "webp")


@dataclass(frozen=True)
class CheckedImage:
    data: bytes  # re-encoded, without metadata
    format: str
    width: int
    height: int

    @property
    def name(self) -> str:
        return content_name(hashlib.sha256(self.data).hexdigest(), "original", EXTENSIONS[self.format])

    @property
    def content_type(self) -> str:
        return FORMATS[self.format]


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(f"The file is not a usable image: {message}", errors={"file": [message]})


def checked_upload(data: bytes, *, max_bytes: int, max_pixels: int) -> CheckedImage:
    """The upload as it will be stored, or 413/422 naming ``file``."""
    if len(data) > max_bytes:
        raise TooLarge(f"The image is {len(data)} bytes; at most {max_bytes} are accepted.",
                       errors={"file": [f"At most {max_bytes} bytes."]})
    if not data:
        raise _refuse("The file is empty.")
    try:
        with Pillow.open(io.BytesIO(data)) as probe:  # reads the header only
            found, (width, height) = probe.format, probe.size
        if found not in FORMATS:
            raise _refuse(f"Only JPEG, PNG or WebP images are accepted, not {found}.")
        if width * height > max_pixels:
            raise _refuse(f"The image has {width}×{height} pixels; at most {max_pixels} pixels are accepted.")
        with Pillow.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            return CheckedImage(_encode(upright, found), found, upright.width, upright.height)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Pillow.DecompressionBombError):
        raise _refuse("This is not a JPEG, PNG or WebP image.") from None


def _encode(image: Pillow.Image, image_format: str, **options) -> bytes:
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format=image_format, **options)  # no exif=/pnginfo=: metadata is dropped
    return out.getvalue()


def renditions(original: bytes) -> dict[str, tuple[str, bytes, str]]:
    """``{rendition: (content-hash name, bytes, content type)}``, WebP, each fitted into its
    square (never enlarged)."""
    made = {}
    with Pillow.open(io.BytesIO(original)) as image:
        image.load()
        for rendition, side in RENDITIONS.items():
            copy = image.copy()
            copy.thumbnail((side, side))
            data = _encode(copy, RENDITION_FORMAT[0], quality=82)
            name = content_name(hashlib.sha256(data).hexdigest(), rendition, RENDITION_FORMAT[2])
            made[rendition] = (name, data, RENDITION_FORMAT[1])
    return made


def store_renditions(media: MediaStorage, original: bytes) -> dict[str, str]:
    """Make the renditions of ``original`` and store them; ``{rendition: name}``."""
    names = {}
    for rendition, (name, data, content_type) in renditions(original).items():
        media.put(name, data, content_type)
        names[rendition] = name
    return names


def drawn_picture(title: str, colour: tuple[int, int, int], size: int = 640) -> bytes:
    """A PNG for the demo shop: a coloured card with a simple shape and the product's name."""
    image = Pillow.new("RGB", (size, size), (246, 244, 240))
    draw = ImageDraw.Draw(image)
    margin = size // 8
    draw.rounded_rectangle((margin, margin, size - margin, size - margin), radius=size // 10, fill=colour)
    draw.ellipse((size // 3, size // 4, 2 * size // 3, size // 4 + size // 3), fill=(255, 255, 255))
    draw.text((margin + 12, size - margin - 40), title[:40], fill=(255, 255, 255), font_size=size // 24)
    return _encode(image, "PNG")
