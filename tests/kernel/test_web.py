"""The site's HTTP surface: OpenAPI, health probes, problem+json errors, rate limits, request ids."""

import pytest
from flask_smorest import Blueprint

from kernel.domain.errors import Conflict
from kernel.web.auth import current_user_id, public


def test_openapi_document_and_browsable_ui(client):
    spec = client.get("/api/openapi.json")
    assert spec.status_code == 200
    assert spec.json["openapi"].startswith("3.")
    ui = client.get("/api/docs")
    assert ui.status_code == 200 and b"swagger" in ui.data.lower()


def test_health_and_readiness(client):
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json["checks"]["database"] == "ok"


def test_readiness_reports_an_unreachable_redis(make_app):
    app = make_app(cache={"url": "redis://127.0.0.1:1/0"})
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 503
    assert ready.json["checks"]["redis"].startswith("unreachable")


def test_unknown_route_is_a_problem(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 404 and response.json["title"] == "Not Found"


broken = Blueprint("broken", __name__, url_prefix="/api/broken")


@broken.route("/crash")
def crash():
    raise RuntimeError("secret internals")


@broken.route("/conflict")
def conflict():
    raise Conflict("Only 2 left", extra={"available": 2})


@pytest.fixture
def broken_client(app):
    """Routes that fail the ways a plugin's might."""
    app.register_blueprint(broken)
    return app.test_client()


def test_unexpected_error_is_a_500_problem_without_traceback(broken_client, log_lines):
    response = broken_client.get("/api/broken/crash")
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    logged = "".join(log_lines)
    assert "unhandled error on GET /api/broken/crash" in logged
    assert "RuntimeError: secret internals" in logged and "Traceback" in logged


def test_domain_errors_map_to_their_status(broken_client):
    response = broken_client.get("/api/broken/conflict")
    assert response.status_code == 409
    assert response.json["detail"] == "Only 2 left"
    assert response.json["available"] == 2


def test_every_response_carries_a_request_id(client):
    generated = client.get("/healthz").headers["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    assert client.get("/healthz", headers={"X-Request-ID": "bad id!"}).headers["X-Request-ID"] != "bad id!"


def test_default_rate_limit_answers_429_problem_with_retry_after(make_app):
    app = make_app(rate_limits={"default": "3/minute"})
    client = app.test_client()
    statuses = [client.get("/api/openapi.json").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/openapi.json")
    assert limited.mimetype == "application/problem+json"
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.headers["X-RateLimit-Limit"] == "3"


def test_health_probes_are_not_rate_limited(make_app):
    client = make_app(rate_limits={"default": "1/minute"}).test_client()
    assert [client.get("/healthz").status_code for _ in range(3)] == [200, 200, 200]


def test_route_limit_naming_no_route_stops_start_up(make_app):
    from kernel.site import SiteError

    with pytest.raises(SiteError, match="'POST /api/nowhere' names no route"):
        make_app(rate_limits={"POST /api/nowhere": "5/hour"})


def test_an_unreachable_redis_behind_a_request_is_a_503_problem_to_retry(make_app, auth_headers):
    # The limiter storage is the site's first Redis, so token revocation checks go there too.
    app = make_app(rate_limits={"storage_url": "redis://127.0.0.1:1/0"})
    response = app.test_client().get("/api/users/me", headers=auth_headers(app))
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "5"


def test_an_unreachable_database_is_a_503_problem(make_app):
    app = make_app(["catalog"], create_tables=False,
                   database={"url": "postgresql+psycopg2://postgres@127.0.0.1:1/nowhere"})
    response = app.test_client().get("/api/products")
    assert response.status_code == 503
    assert response.get_json()["title"] == "Service Unavailable"


def test_a_missing_table_on_sqlite_stays_a_500(make_app):
    client = make_app(["catalog"], backend="sqlite", create_tables=False).test_client()
    assert client.get("/api/products").status_code == 500


def test_a_teardown_that_loses_the_database_answers_the_503_problem(make_app):
    import json

    import sqlalchemy.exc
    from werkzeug.test import EnvironBuilder

    app = make_app()

    @app.teardown_appcontext
    def database_gone(_exc):  # what Flask-SQLAlchemy's rollback raises once PostgreSQL has gone
        raise sqlalchemy.exc.OperationalError("ROLLBACK", None, Exception("server closed the connection"))

    started = []  # as gunicorn does: a later start_response with exc_info replaces headers not yet sent
    environ = EnvironBuilder("/api/openapi.json", headers={"X-Request-ID": "abc-1"}).get_environ()
    body = b"".join(app(environ, lambda status, headers, exc_info=None: started.append((status, dict(headers)))))
    app.teardown_appcontext_funcs.remove(database_gone)  # the fixture's own clean-up needs a sound teardown
    status, headers = started[-1]
    assert (status, headers["Content-Type"]) == ("503 SERVICE UNAVAILABLE", "application/problem+json")
    assert headers["Retry-After"] == "5" and headers["X-Request-ID"] == "abc-1"
    assert json.loads(body)["title"] == "Service Unavailable"


def test_only_429_and_503_carry_retry_after(make_app, redis_server_url, site_name):
    app = make_app(site={"name": site_name}, rate_limits={"default": "2/minute", "storage_url": redis_server_url})
    client = app.test_client()
    assert "Retry-After" not in client.get("/api/openapi.json").headers  # a 200 under a limit
    client.get("/api/openapi.json")
    limited = client.get("/api/openapi.json")
    assert limited.status_code == 429 and 0 < int(limited.headers["Retry-After"]) <= 60

    hourly = make_app(rate_limits={"default": "10/hour", "storage_url": redis_server_url},
                      database={"url": "postgresql+psycopg2://postgres@127.0.0.1:1/nowhere"}, create_tables=False,
                      plugins=["catalog"])
    unavailable = hourly.test_client().get("/api/products")
    assert unavailable.status_code == 503 and unavailable.headers["Retry-After"] == "5"  # not the hour's window


caching = Blueprint("caching", __name__, url_prefix="/api/caching")


@caching.route("/shared")
@public
def shared():
    return {"same": "for everyone"}, 200, {"Cache-Control": "public, max-age=60"}


@caching.route("/personal")
@public
def personal():
    return {"user": str(current_user_id())}, 200, {"Cache-Control": "public, max-age=60"}


@caching.route("/unsaid")
@public
def unsaid():
    return {"no": "cache header"}


def test_an_answer_is_no_store_unless_it_is_the_same_for_everyone_and_says_so(app, auth_headers):
    app.register_blueprint(caching)
    client = app.test_client()
    headers = auth_headers(app)
    assert client.get("/api/caching/shared", headers=headers).headers["Cache-Control"] == "public, max-age=60"
    assert client.get("/api/caching/personal").headers["Cache-Control"] == "no-store"  # it asked who calls
    assert client.get("/api/caching/unsaid").headers["Cache-Control"] == "no-store"
    for private in (client.get("/api/users/me", headers=headers), client.get("/api/users/me"),
                    client.post("/api/users/login", json={"email": "x@example.com", "password": "x"})):
        assert private.headers["Cache-Control"] == "no-store"
