"""The address book over HTTP on PostgreSQL: CRUD, one default of each kind, the cap, the same
address rule as checkout, and nobody else's addresses."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from kernel.identity.addresses import MAX_ADDRESSES
from kernel.infrastructure.db import db
from tests.identity.accounts_site import make_accounts_site, problem_fields

__all__ = ["make_accounts_site"]
HOME = {"name": "Ada Lovelace", "street": "12 St James's Square", "city": "London", "zipCode": "SW1Y 4JH",
        "country": "GB"}
WORK = {"street": "1 Analytical Way", "city": "Cambridge", "zipCode": "CB2 1TN", "country": "GB"}
BOOK = "/api/users/me/addresses"


@pytest.fixture
def site(make_accounts_site):
    return make_accounts_site()


@pytest.fixture
def ada(site, auth_headers):
    return auth_headers(site.app)


def add(site, headers, address, **flags):
    return site.client.post(BOOK, headers=headers, json={**address, **flags})


def test_a_saved_address_is_listed_read_replaced_and_deleted(site, ada):
    created = add(site, ada, HOME)
    assert created.status_code == 201
    saved = created.json
    assert {key: saved[key] for key in HOME} == HOME
    assert (saved["isDefaultShipping"], saved["isDefaultBilling"]) == (False, False)
    assert site.client.get(BOOK, headers=ada).json == [saved]
    assert site.client.get(f"{BOOK}/{saved['id']}", headers=ada).json == saved

    replaced = site.client.put(f"{BOOK}/{saved['id']}", headers=ada, json=WORK)

    assert replaced.status_code == 200
    assert "name" not in replaced.json or replaced.json["name"] is None  # a line left out is cleared
    assert replaced.json["street"] == WORK["street"]
    assert site.client.delete(f"{BOOK}/{saved['id']}", headers=ada).status_code == 204
    assert site.client.get(BOOK, headers=ada).json == []
    assert site.client.get(BOOK, headers=ada).headers["Cache-Control"] == "no-store"


def test_one_default_of_each_kind_moves_to_the_address_that_takes_it(site, ada):
    home = add(site, ada, HOME, isDefaultShipping=True, isDefaultBilling=True).json
    work = add(site, ada, WORK, isDefaultShipping=True).json
    book = {entry["id"]: entry for entry in site.client.get(BOOK, headers=ada).json}
    assert (book[home["id"]]["isDefaultShipping"], book[work["id"]]["isDefaultShipping"]) == (False, True)
    assert book[home["id"]]["isDefaultBilling"] is True

    site.client.put(f"{BOOK}/{home['id']}", headers=ada, json={**HOME, "isDefaultShipping": True})

    book = {entry["id"]: entry for entry in site.client.get(BOOK, headers=ada).json}
    assert (book[home["id"]]["isDefaultShipping"], book[work["id"]]["isDefaultShipping"]) == (True, False)


def test_the_database_refuses_a_second_default_whatever_the_code_does(site, ada):
    add(site, ada, HOME, isDefaultShipping=True)
    with site.app.app_context(), pytest.raises(IntegrityError):
        db.session.execute(sa.text(
            "INSERT INTO user_addresses (id, user_id, street, city, zip_code, is_default_shipping) "
            "VALUES (gen_random_uuid(), :user, 's', 'c', 'z', true)"), {"user": ada.user_id})
        db.session.commit()


def test_the_book_holds_a_bounded_number_of_addresses(site, ada):
    for n in range(MAX_ADDRESSES):
        assert add(site, ada, {**WORK, "street": f"{n} Analytical Way"}).status_code == 201
    refused = add(site, ada, HOME)
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    assert len(site.client.get(BOOK, headers=ada).json) == MAX_ADDRESSES


@pytest.mark.parametrize("body, field", [
    ({**HOME, "zipCode": ""}, "zipCode"),
    ({key: value for key, value in HOME.items() if key != "street"}, "street"),
    ({**HOME, "city": "x" * 101}, "city"),
    ({**HOME, "isDefaultShipping": "yes"}, "isDefaultShipping"),
    ({**HOME, "userId": "00000000-0000-0000-0000-000000000000"}, "userId"),
])
def test_an_address_checkout_would_refuse_is_refused_naming_the_field_and_nothing_is_stored(site, ada, body, field):
    refused = site.client.post(BOOK, headers=ada, json=body)
    assert refused.status_code == 422 and problem_fields(refused) == {field}, refused.json
    assert site.client.get(BOOK, headers=ada).json == []


def test_another_users_address_is_not_found_for_any_verb(site, ada, auth_headers):
    theirs = add(site, auth_headers(site.app), HOME).json["id"]
    assert site.client.get(f"{BOOK}/{theirs}", headers=ada).status_code == 404
    assert site.client.put(f"{BOOK}/{theirs}", headers=ada, json=WORK).status_code == 404
    assert site.client.delete(f"{BOOK}/{theirs}", headers=ada).status_code == 404
    assert site.client.get(BOOK, headers=ada).json == []


def test_the_book_needs_a_signed_in_caller(site):
    assert site.client.get(BOOK).status_code == 401
    assert site.client.post(BOOK, json=HOME).status_code == 401
