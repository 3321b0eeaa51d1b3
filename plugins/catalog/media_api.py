"""``/media/<name>``: files of a folder media storage, for the demo and tests (production serves
an S3 bucket or a CDN instead). Names are content hashes, so answers are cacheable for a year."""

from __future__ import annotations

from flask import abort, send_file
from flask_smorest import Blueprint

from kernel.infrastructure.media import IMMUTABLE, FilesystemMediaStorage
from kernel.web.auth import public
from plugins.catalog.bootstrap import catalog_media

media_blp = Blueprint("catalog_media", __name__, url_prefix="/media", description="Image files (folder storage)")


@media_blp.route("/<path:name>", methods=["GET"])
@public
@media_blp.doc(responses={"200": {"description": "The file", "content": {"image/webp": {}, "image/png": {},
                                                                          "image/jpeg": {}}},
                          "404": {"description": "No such file"}})
def media_file(name: str):
    """A stored image file; its name is its content's hash, so it is cached for a year."""
    media = catalog_media()
    if not isinstance(media, FilesystemMediaStorage):
        abort(404)
    try:
        path = media.path(name)
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(path, max_age=31536000, conditional=True, etag=True)
    response.headers["Cache-Control"] = IMMUTABLE
    return response
