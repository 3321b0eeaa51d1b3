"""The flask-smorest ``Api`` of a site, answering every error as problem+json and documenting it so."""

from __future__ import annotations

import http

import marshmallow as ma
from apispec import BasePlugin
from flask import request
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
from webargs.flaskparser import FlaskParser

from kernel.domain.errors import DomainError
from kernel.web import problems
from kernel.web.auth import no_store_unless_shared, public
from kernel.web.docs_assets import REDOC_URL, SWAGGER_UI_URL
from kernel.web.input_policy import install_input_policy
from kernel.web.schemas import MAX_MONEY, Money, ProblemSchema

BEARER = "bearerAuth"
MAX_QUERY_BYTES = 4096  # deploy/gunicorn.conf.py lets longer request lines through, so this 414 is the API's



class SchemaBuiltOnce(FlaskParser):
    """webargs builds a schema *class* given to ``@blp.arguments`` anew for every request, with
    each of its nested schemas: eight schemas per checkout, about a fifth of its CPU time. This
    parser builds it once, when the view is decorated (loading keeps no state in a schema).

    ``unknown=None`` lets each schema's ``Meta.unknown`` decide (CamelSchema refuses unknown
    fields), where webargs would ignore unknown query parameters whatever a schema says: the
    API refuses what its document does not describe."""

    def use_args(self, argmap, *args, **kwargs):
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            argmap = argmap()
        return super().use_args(argmap, *args, **kwargs)


# Views are decorated when their plugin's blueprint module is imported, after this module.
Blueprint.ARGUMENTS_PARSER = SchemaBuiltOnce(unknown=None)


def error_response(status: int) -> str:
    """The component name of the documented problem answer for ``status`` (``"NOT_FOUND"``, ...)."""
    return http.HTTPStatus(status).name


class ProblemResponsesPlugin(BasePlugin):
    """Documents the errors every operation can answer, so plugins need not repeat them:
    400 and 413 where there is a body (not JSON, over ``[site] max_body_bytes``), 401 where a
    bearer token is read, 404 where the path names something, 414, 429 and 503 everywhere (a
    query string over ``MAX_QUERY_BYTES``, rate limits, PostgreSQL or Redis unreachable)."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            responses = {str(status): response for status, response in operation.get("responses", {}).items()}
            wanted = [414, 429, 503]
            if "requestBody" in operation:
                wanted += [400, 413]
            if any(BEARER in requirement for requirement in operation.get("security") or ()):
                wanted.append(401)
            if "{" in (path or ""):
                wanted.append(404)
            for status in wanted:
                responses.setdefault(str(status), error_response(status))
            operation["responses"] = dict(sorted(responses.items()))  # by status; "default" last


def decimal_properties(converter, field, ret, **kwargs) -> dict:
    """apispec documents every ``Decimal`` as a JSON number; ours travel as strings (money and
    other exact decimals), with the rules :class:`Money` enforces on input."""
    if not isinstance(field, ma.fields.Decimal) or not field.as_string:
        return {}
    for key in ("type", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        ret.pop(key, None)
    if not isinstance(field, Money):
        return {"type": "string", "format": "decimal", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
    number = {"type": "number", "minimum": 0, "maximum": float(MAX_MONEY), "multipleOf": 0.01}
    if field.positive:
        number["exclusiveMinimum"] = True
    return {"anyOf": [{"type": "string", "format": "decimal", "pattern": field.pattern}, number]}


def query_too_long(query_string: bytes) -> bool:
    """Refused with 414 (here, and left to the app by ``kernel.web.cached_reads``)."""
    return len(query_string) > MAX_QUERY_BYTES


def refuse_long_query_strings():
    if query_too_long(request.query_string):
        return problems.problem(414, "URI Too Long", f"The query string is over {MAX_QUERY_BYTES} bytes.")
    return None


def document_site_rule(app, schema: str, field: str, **keywords) -> None:
    """State a rule that depends on the site's settings in its OpenAPI document, e.g. the accepted
    values of a field (``enum=[...]``) or its ``maximum``: schema classes are shared by every site.
    Call it from ``commerce_app_created``; ``schema`` is the component name, ``field`` the wire name."""
    app.extensions["commerce"].api.spec.components.schemas[schema]["properties"][field].update(keywords)


class CommerceApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app=None, *, spec_kwargs=None, **kwargs):
        spec_kwargs = dict(spec_kwargs or {})
        spec_kwargs["extra_plugins"] = [*spec_kwargs.get("extra_plugins", ()), ProblemResponsesPlugin()]
        super().__init__(app, spec_kwargs=spec_kwargs, **kwargs)

    def init_app(self, app, *args, **kwargs):
        super().init_app(app, *args, **kwargs)
        app.before_request(refuse_long_query_strings)
        install_input_policy(app)  # after the 414: a query string is only decoded once it is short enough
        app.after_request(no_store_unless_shared)
        self.ma_plugin.converter.add_attribute_function(decimal_properties)
        for endpoint, view in app.view_functions.items():
            if endpoint.startswith("api-docs."):
                public(view)  # the OpenAPI document and its browsers are for everyone

    def _register_error_handlers(self):
        super()._register_error_handlers()
        self._app.register_error_handler(DomainError, problems.from_domain_error)
        self._app.register_error_handler(Exception, problems.from_unexpected)
        for unavailable in problems.UNAVAILABLE:
            self._app.register_error_handler(unavailable, problems.from_unavailable)

    def _register_responses(self):
        """Like flask-smorest's, but errors are documented as ``application/problem+json``."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            content_type = self.DEFAULT_RESPONSE_CONTENT_TYPE
            if status >= 400:
                response["schema"], content_type = self.ERROR_SCHEMA, problems.MEDIA_TYPE
            if status == 429:
                response["headers"] = {"Retry-After": {"description": "Seconds to wait before trying again",
                                                       "schema": {"type": "integer"}}}
            prepare_response(response, self.spec, content_type)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Any other error", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, problems.MEDIA_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

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
        "OPENAPI_SWAGGER_UI_URL": SWAGGER_UI_URL,  # served by the site (kernel.web.docs_assets)
        "OPENAPI_REDOC_PATH": "/redoc",
        "OPENAPI_REDOC_URL": REDOC_URL,
        "API_SPEC_OPTIONS": {
            "components": {
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
            }
        },
    }
