"""Image uploads: checked by content, stored without metadata, renditions by the job, served
with long-lived cache headers; bad or oversized uploads are refused naming the field."""

import io

import pytest
from PIL import Image as Pillow

from kernel.infrastructure.db import db, metadata


def picture(image_format="PNG", size=(900, 600), exif=None) -> bytes:
    out = io.BytesIO()
    extra = {"exif": exif} if exif is not None else {}
    Pillow.new("RGB", size, (200, 40, 40)).save(out, format=image_format, **extra)
    return out.getvalue()


@pytest.fixture
def media_site(catalog_site, tmp_path):
    site = catalog_site(settings={"catalog": {"media_url": f"file:{tmp_path}/media", "max_image_bytes": 200_000}})
    site.media = tmp_path / "media"
    return site


def upload(site, product, data: bytes, name="photo.png", **form):
    return site.client.post(f"/api/products/{product['id']}/images", headers=site.staff,
                            data={"file": (io.BytesIO(data), name), **form}, content_type="multipart/form-data")


def image_rows(site) -> int:
    with site.app.app_context():
        count = db.session.query(metadata.tables["product_images"]).count()
        db.session.rollback()
        return count


def test_an_uploaded_png_gets_its_renditions_after_the_job_and_is_served_for_a_year(media_site):
    site = media_site
    mug = site.product("Mug")
    answer = upload(site, mug, picture(), alt="A red mug", position="1")
    assert answer.status_code == 201, answer.json
    assert (answer.json["alt"], answer.json["width"], answer.json["height"], answer.json["urls"]) == (
        "A red mug", 900, 600, {})  # the job runs after the commit
    detail = site.client.get(f"/api/products/{mug['slug']}").json
    [image] = detail["images"]
    assert set(image["urls"]) == {"thumbnail", "card", "full"}
    sides = {}
    for rendition, url in image["urls"].items():
        served = site.client.get(url)
        assert served.status_code == 200 and served.mimetype == "image/webp"
        assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        sides[rendition] = Pillow.open(io.BytesIO(served.data)).size
    assert sides == {"thumbnail": (200, 133), "card": (600, 400), "full": (900, 600)}  # never enlarged
    assert site.listing()["items"][0]["imageUrls"] == image["urls"]


def test_exif_is_stripped_and_the_name_is_the_contents_hash(media_site):
    site = media_site
    mug = site.product("Mug")
    exif = Pillow.Exif()
    exif[0x010F] = "SecretCam"  # Make
    data = picture("JPEG", exif=exif.tobytes())
    assert b"SecretCam" in data
    assert upload(site, mug, data, name="photo.jpg").status_code == 201
    [original] = [path for path in site.media.rglob("*-original.jpg")]
    assert b"SecretCam" not in original.read_bytes()
    assert Pillow.open(original).getexif() == {}
    assert upload(site, mug, data, name="again.jpg").status_code == 201
    assert len(list(site.media.rglob("*-original.jpg"))) == 1  # same content, same file


@pytest.mark.parametrize("data, name, status", [
    (b"GIF89a" + b"\0" * 100, "photo.png", 422),  # not an image by content, whatever its name
    (b"%PDF-1.4 not a picture", "photo.jpg", 422),
    (b"", "empty.png", 422),
    (picture("GIF"), "anim.gif", 422),  # an image, but not an accepted format
    (picture("BMP", (400, 400)), "photo.png", 413),  # over max_image_bytes (200 kB)
])
def test_a_bad_or_oversized_upload_is_a_problem_naming_the_file_and_stores_nothing(media_site, data, name, status):
    site = media_site
    mug = site.product("Mug")
    answer = upload(site, mug, data, name=name)
    assert answer.status_code == status and answer.mimetype == "application/problem+json", answer.json
    assert "file" in answer.json["errors"]
    assert image_rows(site) == 0 and not site.media.exists()


def test_an_upload_without_a_file_or_with_a_foreign_variant_is_a_422(media_site):
    site = media_site
    mug, cup = site.product("Mug"), site.product("Cup")
    missing = site.client.post(f"/api/products/{mug['id']}/images", headers=site.staff, data={"alt": "x"},
                               content_type="multipart/form-data")
    assert missing.status_code == 422 and "file" in missing.json["errors"]
    foreign = upload(site, mug, picture(), variantId=cup["id"])
    assert foreign.status_code == 422 and "variantId" in foreign.json["errors"]
    assert image_rows(site) == 0


def test_only_staff_upload_and_delete_images(media_site):
    site = media_site
    mug = site.product("Mug")
    refused = site.client.post(f"/api/products/{mug['id']}/images", headers=site.customer,
                               data={"file": (io.BytesIO(picture()), "p.png")}, content_type="multipart/form-data")
    assert refused.status_code == 403
    image = upload(site, mug, picture()).json
    assert site.client.delete(f"/api/products/{mug['id']}/images/{image['id']}", headers=site.customer).status_code == 403
    assert site.client.delete(f"/api/products/{mug['id']}/images/{image['id']}", headers=site.staff).status_code == 204
    assert site.client.get(f"/api/products/{mug['id']}").json["images"] == []
