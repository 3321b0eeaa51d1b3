"""Password reset, email verification and changing the email, as a user meets them: through the
mails in the site's mail folder, on PostgreSQL and Redis."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from tests.identity.accounts_site import NEW_PASSWORD, PASSWORD, bearer, make_accounts_site, problem_fields

__all__ = ["make_accounts_site"]
EMAIL = "ada@example.com"


@pytest.fixture
def site(make_accounts_site):
    site = make_accounts_site()
    assert site.register(EMAIL).status_code == 201
    return site


def forgot(site, email, client_address="10.0.0.1"):
    return site.client.post("/api/auth/password/forgot", json={"email": email},
                            environ_base={"REMOTE_ADDR": client_address})


def reset(site, token, password=NEW_PASSWORD):
    return site.client.post("/api/auth/password/reset", json={"token": token, "password": password})


def test_forgot_password_answers_the_same_whether_or_not_the_account_exists(site):
    known, unknown = forgot(site, EMAIL), forgot(site, "nobody@example.com")
    assert known.status_code == unknown.status_code == 202
    assert known.json == unknown.json
    assert site.mails("nobody@example.com") == []
    page, _token = site.last_link(EMAIL)
    assert page == "http://localhost/account/reset-password"
    assert "Subject: Reset your password" in site.mails(EMAIL)[-1]


def test_a_reset_link_sets_the_password_once_and_every_old_token_stops_working(site):
    old = site.sign_in(EMAIL)
    forgot(site, EMAIL)
    _page, token = site.last_link(EMAIL)

    assert reset(site, token).status_code == 204

    assert site.client.get("/api/users/me", headers=bearer(old)).status_code == 401
    assert site.client.post("/api/users/refresh", json={"refreshToken": old["refresh"]}).status_code == 401
    assert site.client.post("/api/users/login", json={"email": EMAIL, "password": PASSWORD}).status_code == 401
    assert site.client.get("/api/users/me", headers=bearer(site.sign_in(EMAIL, NEW_PASSWORD))).status_code == 200
    again = reset(site, token, "yet another long passphrase")
    assert again.status_code == 422 and problem_fields(again) == {"token"}
    site.sign_in(EMAIL, NEW_PASSWORD)  # the second try changed nothing


def test_requests_racing_with_one_reset_link_let_one_through(site):
    forgot(site, EMAIL)
    _page, token = site.last_link(EMAIL)
    barrier, results = threading.Barrier(4), []

    def attempt(n):
        client = site.app.test_client()
        barrier.wait()
        results.append(client.post("/api/auth/password/reset",
                                   json={"token": token, "password": f"racing passphrase {n}"}).status_code)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [204, 422, 422, 422]
    winners = [n for n in range(4) if site.client.post(
        "/api/users/login", json={"email": EMAIL, "password": f"racing passphrase {n}"}).status_code == 200]
    assert len(winners) == 1


def test_a_refused_password_keeps_the_link_usable_and_follows_the_registration_policy(site):
    forgot(site, EMAIL)
    _page, token = site.last_link(EMAIL)
    for weak in ("short", "password1234", EMAIL):
        refused = reset(site, token, weak)
        assert refused.status_code == 422 and problem_fields(refused) == {"password"}, refused.json
    assert reset(site, token).status_code == 204


@pytest.mark.parametrize("token", ["garbled", "", "x" * 5000])
def test_a_garbled_reset_token_is_a_problem_naming_token_and_changes_nothing(site, token):
    refused = reset(site, token)
    assert refused.status_code == 422 and problem_fields(refused) == {"token"}
    site.sign_in(EMAIL)


def test_an_expired_reset_link_is_refused(site):
    forgot(site, EMAIL)
    _page, token = site.last_link(EMAIL)
    site.app.config["SECURITY_RESET_PASSWORD_WITHIN"] = timedelta(seconds=-1)  # as if the hour had passed
    refused = reset(site, token)
    assert refused.status_code == 422 and problem_fields(refused) == {"token"}
    assert "expired" in refused.json["detail"]
    site.sign_in(EMAIL)


def test_an_address_gets_a_few_reset_mails_an_hour_whoever_asks_and_a_client_is_limited(site):
    before = len(site.mails(EMAIL))
    answers = [forgot(site, EMAIL, f"10.0.1.{n}") for n in range(5)]
    assert [answer.status_code for answer in answers] == [202] * 5
    assert len(site.mails(EMAIL)) - before == 3  # [rate_limits] mails_per_account, 3/hour
    from_one_client = [forgot(site, f"someone{n}@example.com", "10.0.2.1").status_code for n in range(6)]
    assert from_one_client == [202] * 5 + [429]


def test_registration_mails_a_verification_link_that_verifies_the_address(site):
    signed_in = bearer(site.sign_in(EMAIL))
    assert site.client.get("/api/users/me", headers=signed_in).json["emailVerified"] is False
    page, token = site.last_link(EMAIL)
    assert page == "http://localhost/account/verify-email"

    verified = site.client.post("/api/auth/email/verify", json={"token": token})

    assert verified.status_code == 200 and verified.json["emailVerified"] is True
    assert site.client.get("/api/users/me", headers=signed_in).json["emailVerified"] is True
    assert site.client.post("/api/auth/email/resend", headers=signed_in).status_code == 409


def test_resending_the_verification_mail_is_limited(site):
    signed_in = bearer(site.sign_in(EMAIL))
    answers = [site.client.post("/api/auth/email/resend", headers=signed_in).status_code for _ in range(6)]
    assert answers == [202] * 5 + [429]
    assert len(site.mails(EMAIL)) == 1 + 3  # the registration's mail, and 3 an hour per address


def test_a_garbled_verification_token_is_refused(site):
    refused = site.client.post("/api/auth/email/verify", json={"token": "not-a-token"})
    assert refused.status_code == 422 and problem_fields(refused) == {"token"}
    reset_token_is_no_verification = site.client.post("/api/auth/email/verify", json={"token": _reset_token(site)})
    assert reset_token_is_no_verification.status_code == 422


def _reset_token(site):
    forgot(site, EMAIL)
    return site.last_link(EMAIL)[1]


def test_the_email_changes_only_once_the_new_address_confirms_it(site):
    signed_in = bearer(site.sign_in(EMAIL))
    asked = site.client.post("/api/users/me/email", headers=signed_in,
                             json={"newEmail": "Ada.New@Example.com", "password": PASSWORD})
    assert asked.status_code == 202
    assert site.client.get("/api/users/me", headers=signed_in).json["email"] == EMAIL
    page, token = site.last_link("ada.new@example.com")
    assert page == "http://localhost/account/confirm-email"

    confirmed = site.client.post("/api/auth/email/change/confirm", json={"token": token})

    assert confirmed.status_code == 200
    assert (confirmed.json["email"], confirmed.json["emailVerified"]) == ("ada.new@example.com", True)
    site.sign_in("ada.new@example.com")
    assert site.client.post("/api/users/login", json={"email": EMAIL, "password": PASSWORD}).status_code == 401
    again = site.client.post("/api/auth/email/change/confirm", json={"token": token})
    assert again.status_code == 422 and problem_fields(again) == {"token"}  # it names the old address


@pytest.mark.parametrize("body, status, field", [
    ({"newEmail": "taken@example.com", "password": PASSWORD}, 409, "newEmail"),
    ({"newEmail": "fresh@example.com", "password": "wrong password!"}, 422, "password"),
    ({"newEmail": "not an address", "password": PASSWORD}, 422, "newEmail"),
])
def test_an_email_change_that_cannot_be_is_refused_naming_the_field(site, body, status, field):
    assert site.register("taken@example.com").status_code == 201
    signed_in = bearer(site.sign_in(EMAIL))
    refused = site.client.post("/api/users/me/email", headers=signed_in, json=body)
    assert refused.status_code == status and problem_fields(refused) == {field}, refused.json
    assert not [mail for mail in site.mails(body["newEmail"]) if "Subject: Confirm your new email" in mail]


def test_an_address_taken_after_the_link_was_mailed_is_not_given_to_the_account(site):
    signed_in = bearer(site.sign_in(EMAIL))
    site.client.post("/api/users/me/email", headers=signed_in, json={"newEmail": "late@example.com", "password": PASSWORD})
    _page, token = site.last_link("late@example.com")
    assert site.register("late@example.com").status_code == 201
    refused = site.client.post("/api/auth/email/change/confirm", json={"token": token})
    assert refused.status_code == 409 and problem_fields(refused) == {"token"}
    assert site.client.get("/api/users/me", headers=signed_in).json["email"] == EMAIL
