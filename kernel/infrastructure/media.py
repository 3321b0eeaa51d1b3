"""Media storage adapters: a folder (demo, tests) and an S3-compatible bucket (production).

``media_storage(url, public_url)`` builds one from a site setting:

- ``file:media`` (relative to the site's instance folder) (or ``file:///abs/path``): files in a folder, served by the app at
  ``/media/<name>`` (``public_url`` defaults to that) with a one-year immutable cache header;
- ``s3://bucket/prefix?endpoint_url=http://127.0.0.1:9000&region=eu-west-1``: objects through
  boto3 (credentials from the usual AWS environment variables or instance role), served
  from ``public_url`` (a CDN or the bucket's website address).
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, urlsplit

from kernel.domain.ports.media import MediaNotFound, MediaStorage

LOCAL_MEDIA_PATH = "/media/"
IMMUTABLE = "public, max-age=31536000, immutable"


def _safe(name: str) -> str:
    """A relative path without ``..``: a name never leaves the storage's root."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"not a media name: {name!r}")
    return str(path)


class FilesystemMediaStorage(MediaStorage):
    def __init__(self, root: str | os.PathLike, public_url: str = LOCAL_MEDIA_PATH):
        self.root = Path(root)
        self.public_url = public_url.rstrip("/") + "/"

    def path(self, name: str) -> Path:
        return self.root / _safe(name)

    def put(self, name: str, data: bytes, content_type: str) -> None:
        target = self.path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.part")
        partial.write_bytes(data)
        partial.replace(target)  # readers never see half a file

    def get(self, name: str) -> bytes:
        try:
            return self.path(name).read_bytes()
        except FileNotFoundError:
            raise MediaNotFound(name) from None

    def delete(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)

    def url(self, name: str) -> str:
        return self.public_url + _safe(name)


class S3MediaStorage(MediaStorage):
    def __init__(self, bucket: str, prefix: str = "", public_url: str | None = None, client=None, **client_options):
        import boto3

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = client or boto3.client("s3", **client_options)
        endpoint = client_options.get("endpoint_url") or f"https://{bucket}.s3.amazonaws.com"
        default = f"{endpoint.rstrip('/')}/{bucket}/" if client_options.get("endpoint_url") else f"{endpoint}/"
        self.public_url = (public_url or default).rstrip("/") + "/"

    def _key(self, name: str) -> str:
        return self.prefix + _safe(name)

    def put(self, name: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(name), Body=data, ContentType=content_type,
                               CacheControl=IMMUTABLE)

    def get(self, name: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(name))["Body"].read()
        except self.client.exceptions.NoSuchKey:
            raise MediaNotFound(name) from None

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(name))

    def url(self, name: str) -> str:
        return self.public_url + self._key(name)


def media_storage(url: str, public_url: str | None = None, base: str = ".") -> MediaStorage:
    """Raises ValueError (one line) for a URL of another kind. A relative folder resolves against
    ``base`` (the site's instance folder), never the working directory."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        root = parts.path if parts.netloc in ("", "localhost") else parts.netloc + parts.path
        return FilesystemMediaStorage(os.path.join(base, root), public_url or LOCAL_MEDIA_PATH)
    if parts.scheme == "s3":
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        options = {key: query[key] for key in ("endpoint_url", "region_name") if key in query}
        if "region" in query:
            options["region_name"] = query["region"]
        return S3MediaStorage(parts.netloc, parts.path, public_url, **options)
    raise ValueError(f"media storage URL must be file:… or s3://bucket/…, not {url!r}")
