"""The headers every answer carries, given by Flask and by the cached reads in front of it."""

from __future__ import annotations

from flask import Flask, request

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def security_headers(*, https: bool, secure_request: bool) -> dict[str, str]:
    """The headers every answer carries (also those given outside Flask: ``kernel.web.cached_reads``)."""
    if https or secure_request:
        return {**SECURITY_HEADERS, "Strict-Transport-Security": "max-age=31536000; includeSubDomains"}
    return SECURITY_HEADERS


def install_security_headers(app: Flask, https: bool) -> None:
    @app.after_request
    def add_security_headers(response):
        for name, value in security_headers(https=https, secure_request=request.is_secure).items():
            response.headers.setdefault(name, value)
        return response
