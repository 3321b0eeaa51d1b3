"""The payments' wire format (camelCase JSON)."""

from __future__ import annotations

import marshmallow as ma

from kernel.web.schemas import CamelSchema


class PaymentStartedSchema(CamelSchema):
    payment_id = ma.fields.UUID(dump_only=True)
    provider = ma.fields.String(dump_only=True)
    reference = ma.fields.String(dump_only=True)
    status = ma.fields.String(dump_only=True)
    amount = ma.fields.Decimal(as_string=True, places=2, dump_only=True)
    currency = ma.fields.String(dump_only=True)
    client_secret = ma.fields.String(dump_only=True, allow_none=True)
    approval_url = ma.fields.String(dump_only=True, allow_none=True)


class StartPaymentSchema(CamelSchema):
    return_url = ma.fields.Url(require_tld=False, schemes={"http", "https"}, validate=ma.validate.Length(max=2000),
                               metadata={"description": "Where a redirecting provider sends the shopper back "
                                                        "(the site's own origin or one of `[payments] return_origins`)."})
    cancel_url = ma.fields.Url(require_tld=False, schemes={"http", "https"}, validate=ma.validate.Length(max=2000),
                               metadata={"description": "Where the shopper goes after cancelling at the provider "
                                                        "(same origins; default: returnUrl)."})


class WebhookReceivedSchema(CamelSchema):
    result = ma.fields.String(dump_only=True, metadata={"description": "applied, duplicate, ignored, or held (its payment is not known yet)"})


class PaymentEventRecordSchema(CamelSchema):
    kind = ma.fields.String(dump_only=True, metadata={"description": "authorized, succeeded, failed, cancelled, "
                                                                     "requires_action or refunded"})
    event_id = ma.fields.String(dump_only=True)
    amount = ma.fields.Decimal(as_string=True, places=2, dump_only=True, allow_none=True,
                               metadata={"description": "A refund's cumulative amount; else the event's, if any"})
    occurred_at = ma.fields.DateTime(dump_only=True)
    received_at = ma.fields.DateTime(dump_only=True)


class PaymentRecordSchema(CamelSchema):
    """One payment attempt at a provider, with what the provider said about it."""

    payment_id = ma.fields.UUID(dump_only=True, attribute="payment.id")
    provider = ma.fields.String(dump_only=True, attribute="payment.provider")
    reference = ma.fields.String(dump_only=True, allow_none=True, attribute="payment.reference")
    status = ma.fields.String(dump_only=True, attribute="payment.status")
    amount = ma.fields.Decimal(as_string=True, places=2, dump_only=True, attribute="payment.amount")
    refunded_amount = ma.fields.Decimal(as_string=True, places=2, dump_only=True, attribute="payment.refunded_amount")
    currency = ma.fields.String(dump_only=True, attribute="payment.currency")
    created_at = ma.fields.DateTime(dump_only=True, attribute="payment.created_at")
    updated_at = ma.fields.DateTime(dump_only=True)
    events = ma.fields.List(ma.fields.Nested(PaymentEventRecordSchema), dump_only=True)
