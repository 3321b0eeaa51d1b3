"""The cache port on real Redis: values, generations, per-site key prefixes, and a dead cache as a miss."""

from decimal import Decimal

import redis

from kernel.context import commerce


def cache_of(app):
    with app.app_context():
        return commerce().cache


def test_values_are_stored_in_redis_under_the_sites_prefix(make_app, redis_server_url, site_name):
    app = make_app(site={"name": site_name}, cache={"url": redis_server_url}, backend="sqlite")
    cache = cache_of(app)
    cache.set("product:1", {"name": "Lamp", "price": Decimal("19.99")})
    assert cache.get("product:1") == {"name": "Lamp", "price": Decimal("19.99")}
    assert redis.Redis.from_url(redis_server_url).exists(f"commerce:{site_name}:product:1")
    cache.delete("product:1", "product:2")
    assert cache.get("product:1") is None


def test_get_many_answers_values_and_misses_in_order(make_app, redis_server_url, site_name):
    cache = cache_of(make_app(site={"name": site_name}, cache={"url": redis_server_url}, backend="sqlite"))
    cache.set("product:1", {"name": "Lamp"})
    cache.bump("products")
    assert cache.get_many(cache.generation_key("products"), "product:2", "product:1") == [1, None, {"name": "Lamp"}]


def test_a_generation_bump_is_seen_by_every_worker_of_the_site(make_app, redis_server_url, site_name):
    worker_a = cache_of(make_app(site={"name": site_name}, cache={"url": redis_server_url}, backend="sqlite"))
    worker_b = cache_of(make_app(site={"name": site_name}, cache={"url": redis_server_url}, backend="sqlite"))
    assert worker_a.generation("products") == 0
    worker_a.bump("products")
    worker_b.bump("products")
    assert worker_a.generation("products") == worker_b.generation("products") == 2
    assert worker_b.generation("orders") == 0


def test_two_sites_on_one_redis_never_see_each_others_keys(make_app, redis_server_url, site_name):
    other_name = f"{site_name}o"
    shop = cache_of(make_app(site={"name": site_name}, cache={"url": redis_server_url}, backend="sqlite"))
    other = cache_of(make_app(site={"name": other_name}, cache={"url": redis_server_url}, backend="sqlite"))
    try:
        shop.set("product:1", "shop's lamp")
        other.set("product:1", "other's lamp")
        shop.bump("products")
        assert shop.get("product:1") == "shop's lamp"
        assert other.get("product:1") == "other's lamp"
        assert (shop.generation("products"), other.generation("products")) == (1, 0)
        other.delete("product:1")
        assert shop.get("product:1") == "shop's lamp"
    finally:
        client = redis.Redis.from_url(redis_server_url)
        for key in client.scan_iter(f"commerce:{other_name}:*"):
            client.delete(key)


def test_an_unreachable_cache_answers_misses_and_never_raises(make_app, log_lines):
    cache = cache_of(make_app(cache={"url": "redis://127.0.0.1:1/0"}, backend="sqlite"))
    cache.set("product:1", "lamp")
    assert cache.get("product:1") is None
    cache.delete("product:1")
    cache.bump("products")
    assert cache.generation("products") == 0
    failures = [line for line in log_lines if "cache" in line and "failed" in line]
    assert len(failures) == 1 and "cache set failed: ConnectionError" in failures[0]  # once per outage


def test_get_many_on_an_unreachable_cache_answers_one_miss_per_key(make_app, log_lines):
    cache = cache_of(make_app(cache={"url": "redis://127.0.0.1:1/0"}, backend="sqlite"))
    assert cache.get_many("product:1", "product:2") == [None, None]
    assert any("cache get failed: ConnectionError" in line for line in log_lines)
