"""Domain errors. The web layer maps each class to one HTTP status and a problem+json body."""

from __future__ import annotations


class DomainError(Exception):
    """Base class of errors that a use case raises on purpose."""

    status = 400
    title = "Bad Request"  # the HTTP status phrase, as RFC 9457 asks for type about:blank

    def __init__(self, detail: str, *, errors: dict | None = None, extra: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}
        self.extra = extra or {}

    @property
    def headers(self) -> dict[str, str]:
        """Headers the answer carries besides the problem body."""
        return {}


class ValidationFailed(DomainError):
    """Input that is well-formed but breaks a rule; ``errors`` maps field names to messages."""

    status = 422
    title = "Unprocessable Entity"


class NotFound(DomainError):
    """The resource does not exist, or belongs to somebody else (never leak existence)."""

    status = 404
    title = "Not Found"


class Conflict(DomainError):
    """The request clashes with the current state (stock, state machine, duplicates)."""

    status = 409
    title = "Conflict"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"


class TooManyRequests(DomainError):
    status = 429
    title = "Too Many Requests"

    def __init__(self, detail: str, *, retry_after: int):
        super().__init__(detail)
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}
class TooLarge(DomainError):
    """An upload over its size limit; ``errors`` names the field."""

    status = 413
    title = "Payload too large"
