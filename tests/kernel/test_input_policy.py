"""The input policy: hostile JSON bodies and query strings get a 400 problem naming the field,
before any view runs, and nothing is stored (one regression test per kind)."""

from __future__ import annotations

import pytest

from kernel.web.input_policy import MAX_DEPTH, MAX_NUMBER_CHARS

PASSWORD = "Correct-Horse-42"


def register(client, data: str):
    return client.post("/api/users/register", data=data, content_type="application/json")


def assert_refused(response, field: str):
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"], response.json


def assert_nobody_registered(client, auth_headers, app):
    users = client.get("/api/users", headers=auth_headers(app, "admin")).json
    assert [user["email"] for user in users["items"]] == [users["items"][0]["email"]]  # the admin alone


@pytest.mark.parametrize("field, body", [
    ("firstName", '{"email": "a@example.com", "password": "%s", "firstName": "a\\u0000b"}' % PASSWORD),
    ("firstName", '{"email": "a@example.com", "password": "%s", "firstName": "\\ud800"}' % PASSWORD),
    ("email", '{"email": "a\\udfffb@example.com", "password": "%s"}' % PASSWORD),
])
def test_nul_and_lone_surrogates_in_any_string_are_refused(app, client, auth_headers, log_lines, field, body):
    assert_refused(register(client, body), field)
    assert_nobody_registered(client, auth_headers, app)
    assert not [line for line in log_lines if "Traceback" in line or line.startswith("ERROR")]


def test_a_nul_in_a_key_is_refused(client):
    assert_refused(register(client, '{"email\\u0000": 1}'), "json")


def test_json_nested_ten_thousand_deep_is_refused(client, log_lines):
    deep = "[" * 10_000 + "]" * 10_000
    assert_refused(register(client, deep), "json")
    assert not [line for line in log_lines if "Traceback" in line]


def test_nesting_beyond_the_cap_names_where(client):
    shallow_enough = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert register(client, shallow_enough).status_code == 422  # reaches the schema: not an object
    answer = register(client, '{"firstName": ' + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "}")
    assert_refused(answer, "firstName." + ".".join(["0"] * MAX_DEPTH))


def test_over_long_numbers_and_non_numbers_are_refused(client):
    assert_refused(register(client, '{"email": %s}' % ("9" * 5000)), "email")
    assert_refused(register(client, '{"email": 1.%s}' % ("5" * MAX_NUMBER_CHARS)), "email")
    assert_refused(register(client, '{"email": NaN}'), "email")
    assert_refused(register(client, '{"email": -Infinity}'), "email")


def test_duplicate_keys_are_refused_naming_the_key(app, client, auth_headers):
    register(client, '{"email": "b@example.com", "password": "%s"}' % PASSWORD)
    login = client.post("/api/users/login", content_type="application/json",
                        data='{"email": "a@example.com", "email": "b@example.com", "password": "%s"}' % PASSWORD)
    assert_refused(login, "email")
    nested = register(client, '{"email": "c@example.com", "password": "x", "x": {"y": 1, "y": 2}}')
    assert_refused(nested, "x.y")


@pytest.mark.parametrize("query", ["email=a%00b", "email=%ED%A0%80", "email=%FF", "a%00=1"])
def test_query_strings_with_nul_or_invalid_utf8_are_refused(app, client, auth_headers, query):
    answer = client.get(f"/api/users?{query}", headers=auth_headers(app, "admin"))
    assert answer.status_code == 400 and answer.mimetype == "application/problem+json", answer.json


def test_a_nul_in_the_path_is_refused(client):
    assert_refused(client.get("/api/users/a%00b"), "path")


def test_ordinary_unicode_passes(client):
    answer = register(client, '{"email": "zoë@example.com", "password": "%s", "firstName": "Zoë 🛒"}' % PASSWORD)
    assert answer.status_code == 201, answer.json
    assert answer.json["firstName"] == "Zoë 🛒"
