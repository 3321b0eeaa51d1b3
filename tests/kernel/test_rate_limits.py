"""Rate limits as a client behind several workers and proxies meets them."""

import uuid


def workers(make_app, count, **sections):
    """``count`` app instances of one site, as gunicorn's worker processes would each build it."""
    return [make_app(backend="sqlite", **sections).test_client() for _ in range(count)]


def test_a_redis_backed_limit_is_shared_by_every_worker_of_the_site(make_app, redis_server_url, site_name):
    first, second = workers(make_app, 2, site={"name": site_name},
                            rate_limits={"default": "3/minute", "storage_url": redis_server_url})
    statuses = [client.get("/api/openapi.json").status_code for client in (first, second, first, second)]
    assert statuses == [200, 200, 200, 429]
    assert second.get("/api/openapi.json").headers["X-RateLimit-Remaining"] == "0"


def test_in_memory_limits_are_counted_per_worker(make_app):
    first, second = workers(make_app, 2, site={"name": f"t{uuid.uuid4().hex[:10]}"},
                            rate_limits={"default": "2/minute", "storage_url": "memory://"})
    statuses = [client.get("/api/openapi.json").status_code for client in (first, second, first, second)]
    assert statuses == [200, 200, 200, 200]


def test_two_sites_on_one_redis_count_separately(make_app, redis_server_url, site_name):
    limits = {"default": "1/minute", "storage_url": redis_server_url}
    shop = make_app(backend="sqlite", site={"name": site_name}, rate_limits=limits).test_client()
    other = make_app(backend="sqlite", rate_limits=limits).test_client()
    assert shop.get("/api/openapi.json").status_code == 200
    assert other.get("/api/openapi.json").status_code == 200
    assert shop.get("/api/openapi.json").status_code == 429


def get_as(client, forwarded_for):
    return client.get("/api/openapi.json", headers={"X-Forwarded-For": forwarded_for}).status_code


def test_behind_one_trusted_proxy_each_forwarded_client_has_its_own_limit(make_app):
    client = make_app(backend="sqlite", security={"trusted_proxies": 1},
                      rate_limits={"default": "2/minute"}).test_client()
    assert [get_as(client, "203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert get_as(client, "198.51.100.9") == 200
    # a client cannot escape by prepending a made-up address: the proxy's own entry is the last
    assert get_as(client, "192.0.2.1, 203.0.113.7") == 429


def test_without_trusted_proxies_the_forwarded_header_is_ignored(make_app):
    client = make_app(backend="sqlite", rate_limits={"default": "2/minute"}).test_client()
    assert [get_as(client, f"203.0.113.{n}") for n in range(3)] == [200, 200, 429]


def test_each_answer_counts_every_worker_s_hits_up_to_its_own(make_app, redis_server_url, site_name):
    first, second = workers(make_app, 2, site={"name": site_name},
                            rate_limits={"default": "10/minute", "storage_url": redis_server_url})

    def remaining(client):
        return int(client.get("/api/openapi.json").headers["X-RateLimit-Remaining"])

    assert [remaining(first), remaining(second), remaining(second), remaining(first)] == [9, 8, 7, 6]
