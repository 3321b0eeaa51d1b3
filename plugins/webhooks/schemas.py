"""Marshmallow schemas of the webhook API and of ``[plugins.webhooks]``."""

from __future__ import annotations

import marshmallow as ma

from kernel.domain.events import EVENT_TYPES
from kernel.web.schemas import CamelSchema, PageQuerySchema, UtcDateTime, page_schema, text


class WebhookSettings(ma.Schema):
    """``[plugins.webhooks]`` in a site's TOML. ``allow_private_addresses`` lets endpoints on private,
    loopback and link-local addresses through (receivers on the site's own network; tests)."""

    allow_private_addresses = ma.fields.Boolean(load_default=False)
    timeout_seconds = ma.fields.Float(load_default=10, validate=ma.validate.Range(min=0.1, max=60))
    disable_after_failures = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=10_000))
    staff_email = ma.fields.Email(load_default=None)


def _event_types(required: bool) -> ma.fields.List:
    return ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(EVENT_TYPES)), required=required,
                          validate=ma.validate.Length(min=1, max=len(EVENT_TYPES)),
                          metadata={"description": "The event types this endpoint receives."})


def _url(required: bool) -> ma.fields.Url:
    return ma.fields.Url(required=required, schemes={"http", "https"}, require_tld=False,
                         validate=ma.validate.Length(max=2000),
                         metadata={"description": "Where deliveries are POSTed; private addresses are refused."})


class WebhookEndpointCreateSchema(CamelSchema):
    url = _url(True)
    event_types = _event_types(True)
    description = text(200, load_default="")


class WebhookEndpointUpdateSchema(CamelSchema):
    url = _url(False)
    event_types = _event_types(False)
    description = text(200)
    enabled = ma.fields.Boolean()


class WebhookEndpointSchema(CamelSchema):
    id = ma.fields.UUID(required=True)
    url = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    event_types = ma.fields.List(ma.fields.String(), required=True)
    enabled = ma.fields.Boolean(required=True)
    consecutive_failures = ma.fields.Integer(required=True)
    disabled_reason = ma.fields.String(allow_none=True, required=True)
    created_at = UtcDateTime(required=True)


class WebhookEndpointCreatedSchema(WebhookEndpointSchema):
    secret = ma.fields.String(required=True, metadata={
        "description": "Verifies the signatures (Standard Webhooks). Shown only in this answer."})


class WebhookEndpointListSchema(CamelSchema):
    items = ma.fields.List(ma.fields.Nested(WebhookEndpointSchema), required=True)


class WebhookDeliverySchema(CamelSchema):
    id = ma.fields.UUID(required=True)
    event_id = ma.fields.Integer(required=True)
    event_type = ma.fields.String(required=True)
    state = ma.fields.String(required=True, validate=ma.validate.OneOf(["pending", "succeeded", "failed"]))
    attempts = ma.fields.Integer(required=True)
    response_status = ma.fields.Integer(allow_none=True, required=True)
    duration_ms = ma.fields.Integer(allow_none=True, required=True)
    error = ma.fields.String(allow_none=True, required=True)
    created_at = UtcDateTime(required=True)
    last_attempt_at = UtcDateTime(allow_none=True, required=True)
    delivered_at = UtcDateTime(allow_none=True, required=True)


WebhookDeliveryPageSchema = page_schema(WebhookDeliverySchema, "WebhookDeliveryPage")


class WebhookDeliveriesQuerySchema(PageQuerySchema):
    pass


class WebhookReplaySchema(CamelSchema):
    delivery_id = ma.fields.UUID(required=True)
    state = ma.fields.String(required=True)
