"""``POST /api/imports/products``: the CSV import of ``commerce catalog import``, for the console."""

import io

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
