"""The account mails: a link into the storefront carrying a token, sent by the ``mail.send`` job
after the request's transaction commits (templates ``mail/account/<kind>.txt``)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request

from kernel.context import commerce

# the storefront page each mail links to (storefront/src/app/account/account.routes.ts)
PAGES = {"reset": "account/reset-password", "verify": "account/verify-email", "change": "account/confirm-email"}
SUBJECTS = {"reset": "Reset your password at {{ shop }}", "verify": "Confirm your email address at {{ shop }}",
            "change": "Confirm your new email address at {{ shop }}"}


def link(kind: str, token: str) -> str:
    base = commerce().site.sections["site"]["public_url"] or request.url_root
    return f"{base.rstrip('/')}/{PAGES[kind]}?{urlencode({'token': token})}"


def queue(kind: str, to: str, token: str) -> None:
    site = commerce().site
    commerce().jobs.enqueue("mail.send", [to], f"account/{kind}", SUBJECTS[kind],
                            {"shop": site.name, "link": link(kind, token)})
