"""`commerce serve` (and gunicorn's app) serve the built storefront at `/`: files as they are,
client routes falling back to index.html, hashed files cached for a year, index.html never
without revalidation, and `/api` untouched."""

from __future__ import annotations

import pytest


@pytest.fixture
def client(make_app, tmp_path, monkeypatch):
    build = tmp_path / "browser"
    build.mkdir()
    (build / "index.html").write_text("<!doctype html><title>Shop</title><app-root></app-root>")
    (build / "main-ABCD1234.js").write_text("console.log('app')")
    (build / "favicon.svg").write_text("<svg/>")
    monkeypatch.setenv("COMMERCE_STOREFRONT_DIR", str(build))
    return make_app(["catalog"], backend="sqlite").test_client()


@pytest.mark.parametrize("path", ["/", "/products?category=books", "/products/travel-earbuds", "/account/orders/42",
                                  "/checkout/return/9b2e", "/index.html"])
def test_every_client_route_is_the_app_and_revalidated(client, path):
    answer = client.get(path)
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    assert b"<app-root>" in answer.data
    assert answer.headers["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]


def test_hashed_files_are_cached_for_a_year_and_others_for_an_hour(client):
    script = client.get("/main-ABCD1234.js")
    assert script.status_code == 200 and script.data == b"console.log('app')"
    assert script.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/favicon.svg").headers["Cache-Control"] == "public, max-age=3600"


def test_the_api_keeps_its_own_answers(client):
    missing = client.get("/api/no-such-thing")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert client.get("/media/nothing.webp").status_code == 404
    assert client.get("/api/categories").status_code == 200


def test_no_file_outside_the_build_is_served(client):
    assert client.get("/../../etc/passwd").status_code in (200, 404)
    assert b"root:" not in client.get("/../../etc/passwd").data
    assert b"root:" not in client.get("/%2e%2e/%2e%2e/etc/passwd").data


def test_without_a_build_the_root_is_a_404_problem(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("COMMERCE_STOREFRONT_DIR", str(tmp_path / "not-built"))
    answer = make_app(["catalog"], backend="sqlite").test_client().get("/")
    assert answer.status_code == 404 and answer.mimetype == "application/problem+json"


def test_text_files_go_out_gzipped_to_clients_that_accept_it(client):
    import gzip

    zipped = client.get("/main-ABCD1234.js", headers={"Accept-Encoding": "gzip, br"})
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == b"console.log('app')"
    assert zipped.mimetype in ("text/javascript", "application/javascript")
    page = client.get("/products", headers={"Accept-Encoding": "gzip"})
    assert b"<app-root>" in gzip.decompress(page.data) and page.headers["Cache-Control"] == "no-cache"
    assert "Content-Encoding" not in client.get("/main-ABCD1234.js").headers


def test_api_paths_do_not_advertise_the_storefronts_get(client):
    answer = client.options("/api/products/lamp/images")  # POST only
    assert "GET" not in answer.headers["Allow"] and "POST" in answer.headers["Allow"]
    assert client.get("/api/products/lamp/images").status_code == 405
