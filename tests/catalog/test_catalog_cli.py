"""``commerce catalog import`` and ``commerce catalog seed`` as an operator runs them."""

from click.testing import CliRunner

from kernel.cli import cli
from kernel.infrastructure.migrations import upgrade_database

CSV = """sku,name,price,stockQuantity,category,description
MUG-1,Blue Mug,9.99,10,kitchen,A blue mug
MUG-2,Red Mug,-1,10,kitchen,
MUG-3,Green Mug,4.50,3,nowhere,
MUG-1,Blue Mug Again,8.00,1,kitchen,
MUG-4,Plain Mug,abc,1,,
TAKEN-SLUG,Existing,5.00,1,,
MUG-5,,5.00,1,,
MUG-6,Black Mug,5.5,2,,
"""


def run(app, *args):
    return CliRunner().invoke(cli, list(args), obj={"app": app})


def test_import_keeps_valid_rows_and_reports_each_bad_one(catalog_site, tmp_path):
    site = catalog_site()
    site.category("Kitchen")
    site.product("Existing", sku="OTHER")  # slug "existing" is taken by another SKU
    path = tmp_path / "products.csv"
    path.write_text(CSV)
    result = run(site.app, "catalog", "import", str(path))
    assert result.exit_code == 1
    assert "2 created, 0 updated, 6 row(s) rejected" in result.output
    for expected in ("line 3: price", "line 4: category", "line 5: sku", "line 6: price", "line 7: slug",
                     "line 8: name"):
        assert expected in result.output, result.output
    assert sorted(site.names()) == ["Black Mug", "Blue Mug", "Existing"]
    assert site.client.get("/api/products/black-mug").json["price"] == "5.50"


def test_import_updates_by_sku_and_moves_stock_through_an_adjustment(catalog_site, tmp_path, stock_low_events):
    site = catalog_site()
    events = stock_low_events(site.app)
    site.product("Mug", sku="MUG-1", stockQuantity=10)
    path = tmp_path / "update.csv"
    path.write_text("sku,name,price,stockQuantity,lowStockThreshold\nMUG-1,Mug,12.00,3,5\n")
    result = run(site.app, "catalog", "import", str(path))
    assert result.exit_code == 0 and "0 created, 1 updated" in result.output
    mug = site.client.get("/api/products/mug").json
    assert (mug["price"], mug["stockQuantity"]) == ("12.00", 3)
    assert [e.stock_quantity for e in events] == [3]


def test_import_refuses_a_file_with_unknown_or_missing_columns(catalog_site, tmp_path):
    site = catalog_site()
    path = tmp_path / "bad.csv"
    path.write_text("sku,title,price\nA,B,1\n")
    result = run(site.app, "catalog", "import", str(path))
    assert result.exit_code != 0 and "unknown column(s) title" in result.output
    assert site.listing()["totalCount"] == 0


def test_seed_fills_a_freshly_migrated_sqlite_demo_once(make_app, tmp_path):
    app = make_app(["catalog"], backend="sqlite", create_tables=False,
                   settings={"catalog": {"media_url": f"file:{tmp_path}/media"}})
    upgrade_database(app)
    first = run(app, "catalog", "seed")
    assert first.exit_code == 0 and "16 categories, 276 products" in first.output, first.output
    client = app.test_client()
    assert client.get("/api/products?category=electronics").json["totalCount"] == 72
    assert client.get("/api/products?q=headphones&pageSize=1").json["totalCount"] == 6
    assert [c["slug"] for c in client.get("/api/categories").json][0] == "books"
    again = run(app, "catalog", "seed")
    assert "nothing seeded" in again.output
    assert client.get("/api/products").json["totalCount"] == 276
    tee = client.get("/api/products?q=t-shirt&pageSize=1").json["items"][0]
    assert [o["name"] for o in tee["options"]] == ["Size", "Colour"] and tee["imageUrls"]["card"].startswith("/media/")
    detail = client.get(f"/api/products/{tee['slug']}").json
    assert len(detail["variants"]) == 6 and all(v["images"][0]["urls"]["thumbnail"] for v in detail["variants"])
    picture = client.get(detail["images"][0]["urls"]["card"])
    assert picture.status_code == 200 and picture.mimetype == "image/webp"
    assert picture.headers["Cache-Control"] == "public, max-age=31536000, immutable"


VARIANT_CSV = """sku,name,price,stockQuantity,variantSku,options,variantPrice,imageUrls
TEE,Tee,20.00,4,TEE-S-R,Size=S;Colour=Red,,https://cdn.example.com/tee-red.jpg
TEE,Tee,20.00,0,TEE-L-R,Size=L;Colour=Red,22.00,https://cdn.example.com/tee-red.jpg
TEE,Tee,20.00,6,TEE-S-B,Size=S;Colour=Blue,,https://cdn.example.com/tee-blue.jpg
TEE,Tee,20.00,1,TEE-S-B,Size=S;Colour=Blue,,
MUG,Mug,9.00,3,,,,
BAD,Bad,5.00,1,BAD-1,Size,,
URL,Url,5.00,1,,,,ftp://example.com/x.jpg
"""


def test_import_creates_variants_and_images_by_url_and_reports_progress(catalog_site, tmp_path):
    site = catalog_site()
    path = tmp_path / "variants.csv"
    path.write_text(VARIANT_CSV)
    result = run(site.app, "catalog", "import", str(path))
    assert result.exit_code == 1
    output = result.output  # stdout and stderr (the progress bar, the rejected rows)
    assert "4 created, 0 updated, 3 row(s) rejected" in output and "rows/s" in output, output
    assert "Importing variants.csv" in output and "rejected=3" in output  # the progress bar
    for expected in ("line 5: sku: 'TEE-S-B' is already on line 4", "line 7: options", "line 8: imageUrls"):
        assert expected in output, output
    tee = site.client.get("/api/products/tee").json
    assert tee["options"] == [{"name": "Size", "values": ["S", "L"]}, {"name": "Colour", "values": ["Red", "Blue"]}]
    assert [(v["sku"], v["price"], v["stockQuantity"]) for v in tee["variants"]] == [
        ("TEE-L-R", "22.00", 0), ("TEE-S-B", "20.00", 6), ("TEE-S-R", "20.00", 4)]
    assert [image["urls"]["card"] for image in tee["images"]] == ["https://cdn.example.com/tee-red.jpg",
                                                                 "https://cdn.example.com/tee-blue.jpg"]
    assert site.client.get("/api/products/mug").json["variants"][0]["sku"] == "MUG"
    path.write_text("sku,name,price,stockQuantity,variantSku,options\nTEE,Tee,21.00,9,TEE-S-R,Size=S;Colour=Red\n")
    again = run(site.app, "catalog", "import", "--no-progress", str(path))
    assert again.exit_code == 0 and "0 created, 1 updated" in again.output, again.output
    tee = site.client.get("/api/products/tee").json
    assert (tee["price"], tee["stockQuantity"], len(tee["variants"])) == ("21.00", 15, 3)
