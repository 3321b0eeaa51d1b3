"""The flask-smorest ``Api`` of a site, answering every error as problem+json."""

from __future__ import annotations

from flask_smorest import Api

from kernel.domain.errors import DomainError
from kernel.web import problems
from kernel.web.schemas import ProblemSchema


class CommerceApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        super()._register_error_handlers()
        self._app.register_error_handler(DomainError, problems.from_domain_error)
        self._app.register_error_handler(Exception, problems.from_unexpected)

    def handle_http_exception(self, error):
        if error.code is None or error.code >= 500:
            return problems.from_unexpected(error)
        return problems.from_http_exception(error)


def api_config(site_name: str) -> dict:
    return {
        "API_TITLE": f"Commerce API ({site_name})",
        "API_VERSION": "1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        "OPENAPI_SWAGGER_UI_URL": "https://cdn.jsdelivr.net/npm/swagger-ui-dist/",
        "OPENAPI_REDOC_PATH": "/redoc",
        "OPENAPI_REDOC_URL": "https://cdn.jsdelivr.net/npm/redoc/bundles/redoc.standalone.js",
        "API_SPEC_OPTIONS": {
            "components": {
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
            }
        },
    }
