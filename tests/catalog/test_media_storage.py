"""The media storage adapters against the port's contract: a folder, and an S3-compatible bucket
on a local S3 server (moto's server mode, started on a free port for this module); and a
catalog site whose images live in that bucket."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from PIL import Image as Pillow

from kernel.domain.ports.media import MediaNotFound
from kernel.infrastructure.media import FilesystemMediaStorage, S3MediaStorage, media_storage

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    port = free_port()
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "w+")
    server = subprocess.Popen([str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
                              stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **CREDENTIALS})
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(endpoint, timeout=5)
                break
            except requests.RequestException:  # still starting
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"moto_server did not start: {log.read()[-2000:]}")
                time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture
def aws_env(monkeypatch):
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def bucket(s3_endpoint, aws_env):
    import boto3

    name = f"media-{os.urandom(4).hex()}"
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    client.create_bucket(Bucket=name)
    # browsers read the images: a public-read policy, as the deployment guide asks for
    client.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{name}/*"}]}))
    return name


@pytest.fixture(params=["folder", "s3"])
def storage(request, tmp_path):
    if request.param == "folder":
        return FilesystemMediaStorage(tmp_path / "media")
    endpoint, bucket = request.getfixturevalue("s3_endpoint"), request.getfixturevalue("bucket")
    return media_storage(f"s3://{bucket}/shop-a?endpoint_url={endpoint}&region=us-east-1")


def test_a_stored_file_reads_back_until_deleted(storage):
    storage.put("products/ab/ab12-card.webp", b"RIFF....WEBP", "image/webp")
    assert storage.get("products/ab/ab12-card.webp") == b"RIFF....WEBP"
    storage.put("products/ab/ab12-card.webp", b"RIFF....WEBP", "image/webp")  # same name, same content: harmless
    storage.delete("products/ab/ab12-card.webp")
    storage.delete("products/ab/ab12-card.webp")  # already gone: no error
    with pytest.raises(MediaNotFound):
        storage.get("products/ab/ab12-card.webp")


@pytest.mark.parametrize("name", ["../secret", "/etc/passwd", "products/../../x", ""])
def test_a_name_never_leaves_the_storage(storage, name):
    with pytest.raises(ValueError):
        storage.put(name, b"x", "text/plain")


def test_an_s3_url_serves_the_object_with_its_type_and_a_long_cache(bucket, s3_endpoint):
    storage = media_storage(f"s3://{bucket}?endpoint_url={s3_endpoint}")
    assert isinstance(storage, S3MediaStorage)
    storage.put("products/cd/cd34-full.webp", b"pixels", "image/webp")
    answer = requests.get(storage.url("products/cd/cd34-full.webp"), timeout=5)
    assert answer.status_code == 200 and answer.content == b"pixels"
    assert answer.headers["Content-Type"] == "image/webp"
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    cdn = media_storage(f"s3://{bucket}/p?endpoint_url={s3_endpoint}", "https://cdn.example.com/")
    assert cdn.url("a/b.webp") == "https://cdn.example.com/p/a/b.webp"


def test_an_unknown_storage_url_is_refused_in_one_line():
    with pytest.raises(ValueError, match="file:… or s3://"):
        media_storage("ftp://example.com/media")


def test_a_catalog_site_keeps_its_images_and_renditions_in_the_bucket(catalog_site, bucket, s3_endpoint):
    site = catalog_site(settings={"catalog": {"media_url": f"s3://{bucket}/shop?endpoint_url={s3_endpoint}"}})
    mug = site.product("Mug")
    out = io.BytesIO()
    Pillow.new("RGB", (300, 300), (10, 120, 200)).save(out, format="PNG")
    answer = site.client.post(f"/api/products/{mug['id']}/images", headers=site.staff,
                              data={"file": (io.BytesIO(out.getvalue()), "mug.png")}, content_type="multipart/form-data")
    assert answer.status_code == 201, answer.json
    urls = site.client.get(f"/api/products/{mug['id']}").json["images"][0]["urls"]
    assert all(url.startswith(f"{s3_endpoint}/{bucket}/shop/products/") for url in urls.values())
    card = requests.get(urls["card"], timeout=5)
    assert card.status_code == 200 and Pillow.open(io.BytesIO(card.content)).size == (300, 300)
