"""The ``Idempotency-Key`` header at the HTTP boundary: read it, document it, answer with it.

A key belongs to whoever sent it: the signed-in user, or a guest — named by the cart token
they hold, or, before they have one (a guest's first cart write), by the key alone, which is
why a key must be a random value (a UUID v4, say) and not a counter.
"""

from __future__ import annotations

import re
from uuid import UUID, uuid5

from flask import jsonify, request

from kernel.domain.errors import ValidationFailed
from kernel.idempotency.domain import IdempotentRequest, Reply
from kernel.web.auth import current_user_id

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[!-~]([ -~]*[!-~])?$")  # printable ASCII, no white space around
DOC = {"parameters": [{
    "in": "header", "name": HEADER, "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": KEY_PATTERN.pattern},
    "description": "A retry with the same key and body returns the first answer (for 24 hours); "
                   "the same key with another body is refused with 422. Use a random value.",
}]}
GUEST_KEYS = UUID("6c1f0d0e-2f4b-4e8a-9a57-5d1c0b7f3a11")  # guests' keys live beside users' under this


def guest_owner(cart_token: str | None) -> UUID:
    """The owner of a guest's keys: derived from their cart token (none yet: one shared owner)."""
    return uuid5(GUEST_KEYS, cart_token or "")


def idempotent_request(owner: UUID | None = None) -> IdempotentRequest | None:
    """The request's Idempotency-Key, owned by ``owner`` (by default the signed-in user)."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if len(key) > 255 or not KEY_PATTERN.match(key):
        raise ValidationFailed("The Idempotency-Key header must be 1 to 255 printable characters.",
                               errors={HEADER: ["1 to 255 printable characters."]})
    body = request.get_json(silent=True)
    return IdempotentRequest(owner or current_user_id(), key,
                             IdempotentRequest.fingerprint_of(request.method, request.path, body))


def respond(reply: Reply, **headers):
    """The Flask answer of a reply; a stored one says so in ``Idempotent-Replayed``."""
    if reply.replayed:
        headers["Idempotent-Replayed"] = "true"
    return jsonify(reply.body), reply.status, headers
