"""Authentication and authorization for every plugin's views (bearer JWT, permissions by name).

Use them below the flask-smorest route decorators::

    @blp.route("/products", methods=["POST"])
    @permission_required("catalog:write")
    def create_product(...): ...

- ``public``: anyone may call the view (a presented token is still checked where the view reads it).
- ``login_required``: 401 problem+json without a valid access token.
- ``permission_required(*names)``: 401 as above; 403 unless the user holds every permission named.
- ``current_user_id()``: the caller's id, or None for an anonymous request (the token is
  optional; a token that is presented but invalid, expired or revoked still gives 401).
- ``has_permission(name)``: for views that show more to staff.
- ``require_owner(owner_id, unless_permission=...)``: 404 when the resource is somebody else's.

Each of the three records an :class:`AccessRule` on the view (``access_rule(view)``): every route
of a site declares who may call it, and ``tests/quality`` fails for a route that does not.

A token is refused once revoked (logout, refresh reuse, password change) and once its user is
deactivated or deleted. Flask-Login's ``current_user`` is never set by a token: use these.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import wraps

from flask import Response, current_app, g, has_request_context, request
from flask_jwt_extended import get_current_user, verify_jwt_in_request
from flask_smorest import Blueprint

from kernel.domain.errors import Forbidden, NotFound

BEARER_DOC = Blueprint.doc(security=[{"bearerAuth": []}])
PERMISSION_DOC = Blueprint.doc(responses={"403": "FORBIDDEN"})
_NO_USER = object()
_ACCESS_ATTRIBUTE = "commerce_access"


@dataclass(frozen=True)
class AccessRule:
    """Who may call a view: anyone, any signed-in user, or a user holding every permission named."""

    signed_in: bool
    permissions: tuple[str, ...] = ()

    def answer_for(self, signed_in: bool, held: Collection[str]) -> int | None:
        """The refusal (401 or 403) a caller gets, or None when the view lets them in."""
        if self.signed_in and not signed_in:
            return 401
        if any(name not in held for name in self.permissions):
            return 403
        return None


PUBLIC = AccessRule(signed_in=False)
SIGNED_IN = AccessRule(signed_in=True)


def access_rule(view: Callable) -> AccessRule | None:
    """The rule ``public``, ``login_required`` or ``permission_required`` recorded on ``view``."""
    view = getattr(view, "__func__", view)  # a bound method (flask-smorest's own document views)
    return getattr(view, _ACCESS_ATTRIBUTE, None)


def _declare(view: Callable, rule: AccessRule) -> Callable:
    setattr(getattr(view, "__func__", view), _ACCESS_ATTRIBUTE, rule)
    return view


def public(view: Callable) -> Callable:
    """Declare that anyone may call ``view`` (it changes nothing else)."""
    return _declare(view, PUBLIC)


def current_user():
    """The signed-in :class:`kernel.identity.orm.User`, or None (anonymous or outside a request)."""
    if not has_request_context():
        return None
    cached = g.get("commerce_user", _NO_USER)
    if cached is _NO_USER:
        verify_jwt_in_request(optional=True)
        cached = g.commerce_user = get_current_user()
    return cached


def current_user_id() -> uuid.UUID | None:
    user = current_user()
    return user.id if user is not None else None


def has_permission(name: str) -> bool:
    """Whether the caller holds permission ``name`` (admin holds every permission)."""
    user = current_user()
    if user is None:
        return False
    grants = current_app.extensions["commerce"].identity.grants
    return grants.allows({role.name: role.permissions or () for role in user.roles}, name)


def _require_user():
    verify_jwt_in_request()  # raises the errors flask-jwt-extended turns into our 401 problem
    g.commerce_user = get_current_user()  # loaded once: ``current_user`` answers from here
    return g.commerce_user


def login_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args, **kwargs):
        _require_user()
        return view(*args, **kwargs)

    return BEARER_DOC(_declare(wrapper, SIGNED_IN))


def permission_required(*names: str) -> Callable[[Callable], Callable]:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            _require_user()
            missing = [name for name in names if not has_permission(name)]
            if missing:
                raise Forbidden(f"This needs the permission {missing[0]!r}.")
            return view(*args, **kwargs)

        return PERMISSION_DOC(BEARER_DOC(_declare(wrapper, AccessRule(signed_in=True, permissions=names))))

    return decorator


def depends_on_caller() -> bool:
    """Whether this request's answer may differ by caller: its view needs a signed-in caller, or
    it asked who is calling (``current_user`` and the helpers built on it)."""
    rule = access_rule(current_app.view_functions[request.endpoint]) if request.endpoint else None
    return "commerce_user" in g or bool(rule and rule.signed_in)


def no_store_unless_shared(response: Response) -> Response:
    """The caching rule of every answer (an ``after_request`` hook): ``no-store`` unless the
    view said how it may be cached and the answer is the same for every caller, so a view
    that forgets is private, never cached by a proxy or a browser."""
    if depends_on_caller() or "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response


def require_owner(owner_id: uuid.UUID | None, *, unless_permission: str | None = None,
                  what: str = "resource") -> None:
    """Raise :class:`NotFound` unless the caller owns the resource (or holds ``unless_permission``),
    so a shopper cannot even learn that another shopper's resource exists."""
    user_id = current_user_id()
    if user_id is not None and owner_id == user_id:
        return
    if unless_permission and has_permission(unless_permission):
        return
    raise NotFound(f"No such {what}.")
