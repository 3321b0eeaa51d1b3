"""``POST /api/imports/products``: the CSV import of ``commerce catalog import``, for the console."""

import io

import sqlalchemy as sa

from kernel.infrastructure.db import db

CSV = """sku,name,price,stockQuantity,category
LAMP-1,Brass lamp,49.50,4,lighting
LAMP-2,Paper lamp,-1,2,lighting
LAMP-3,Glass lamp,30.00,1,nowhere
LAMP-1,Brass lamp again,45.00,1,lighting
LAMP-4,Steel lamp,25.00,6,
"""


def upload(site, body: bytes, headers=None, name="products.csv"):
    return site.client.post("/api/imports/products", headers=headers if headers is not None else site.staff,
                            data={"file": (io.BytesIO(body), name)}, content_type="multipart/form-data")


def test_good_rows_are_written_and_each_bad_one_reported_by_line(catalog_site):
    site = catalog_site()
    site.category("Lighting")
    answer = upload(site, CSV.encode())
    assert answer.status_code == 200, answer.json
    assert (answer.json["created"], answer.json["updated"]) == (2, 0)
    lines = [error.split(":")[0] for error in answer.json["errors"]]
    assert sorted(lines) == ["line 3", "line 4", "line 5"]  # bad price, unknown category, a repeated SKU
    assert site.client.get("/api/products/brass-lamp").json["stockQuantity"] == 4
    assert site.client.get("/api/products/steel-lamp").status_code == 200


def test_a_wrong_file_is_refused_naming_the_file_and_writes_nothing(catalog_site):
    site = catalog_site()
    for body in (b"sku,name,colour\nX,Y,red\n", "sku,name,price\nX,Caf\u00e9,1\n".encode("latin-1"), b""):
        answer = upload(site, body)
        assert answer.status_code == 422 and answer.mimetype == "application/problem+json", body
        assert "file" in answer.json["errors"], body
    missing = site.client.post("/api/imports/products", headers=site.staff, data={}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "file" in missing.json["errors"]
    assert site.client.get("/api/products").json["totalCount"] == 0


def test_only_catalog_staff_import(catalog_site):
    site = catalog_site()
    assert upload(site, CSV.encode(), headers=site.customer).status_code == 403
    assert upload(site, CSV.encode(), headers={}).status_code == 401


def start(site, body: bytes, headers=None):
    return site.client.post("/api/admin/imports/products", headers=headers if headers is not None else site.staff,
                            data={"file": (io.BytesIO(body), "products.csv")}, content_type="multipart/form-data")


def test_a_background_import_reports_its_progress_and_each_rejected_row(catalog_site):
    site = catalog_site()
    site.category("Lighting")
    started = start(site, CSV.encode())
    assert started.status_code == 202, started.json
    assert (started.json["state"], started.json["totalRows"], started.json["rowsDone"]) == ("queued", 5, 0)
    run = site.client.get(started.headers["Location"], headers=site.staff)  # the job ran after the commit
    assert run.status_code == 200 and run.headers["Cache-Control"] == "no-store"
    run = run.json
    assert (run["state"], run["rowsDone"], run["created"], run["updated"], run["rejected"]) == ("done", 5, 2, 0, 3)
    assert sorted(error.split(":")[0] for error in run["errors"]) == ["line 3", "line 4", "line 5"]
    assert "line 3: price:" in " ".join(run["errors"])
    assert site.client.get("/api/products/brass-lamp").json["stockQuantity"] == 4
    with site.app.app_context():  # the file is not kept once it is imported
        assert db.session.execute(sa.text("SELECT content FROM product_imports")).scalar_one() is None


def test_a_background_import_of_a_wrong_file_is_refused_at_once_and_stores_nothing(catalog_site):
    site = catalog_site()
    for body in (b"sku,name,colour\nX,Y,red\n", "sku,name,price\nX,Caf\u00e9,1\n".encode("latin-1"), b""):
        answer = start(site, body)
        assert answer.status_code == 422 and "file" in answer.json["errors"], body
    missing = site.client.post("/api/admin/imports/products", headers=site.staff, data={},
                               content_type="multipart/form-data")
    assert missing.status_code == 422 and "file" in missing.json["errors"]
    with site.app.app_context():
        assert db.session.execute(sa.text("SELECT count(*) FROM product_imports")).scalar_one() == 0


def test_only_catalog_staff_start_or_follow_a_background_import(catalog_site):
    site = catalog_site()
    run_id = start(site, CSV.encode()).json["id"]
    assert start(site, CSV.encode(), headers=site.customer).status_code == 403
    assert site.client.get(f"/api/admin/imports/products/{run_id}", headers=site.customer).status_code == 403
    assert site.client.get(f"/api/admin/imports/products/{run_id}").status_code == 401
    unknown = site.client.get("/api/admin/imports/products/00000000-0000-0000-0000-000000000000", headers=site.staff)
    assert unknown.status_code == 404 and unknown.mimetype == "application/problem+json"
