"""``[plugins.shipping]``: the site's shipping methods, checked when the site starts."""

from __future__ import annotations

import marshmallow as ma

from plugins.shipping.domain import EVERYWHERE, RateBand, ShippingMethod

_amount = {"places": 2, "validate": ma.validate.Range(min=0)}


class RateBandSettings(ma.Schema):
    below = ma.fields.Decimal(load_default=None, **_amount)
    amount = ma.fields.Decimal(required=True, **_amount)

    @ma.post_load
    def band(self, data, **kwargs) -> RateBand:
        return RateBand(**data)


class ShippingMethodSettings(ma.Schema):
    """``flat``: ``amount``; ``bands``: ``[{below, amount}, ..., {amount}]`` in rising order."""

    code = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[a-z0-9_-]{1,64}$"))
    label = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    countries = ma.fields.List(ma.fields.String(validate=ma.validate.Regexp(rf"^([A-Z]{{2}}|\{EVERYWHERE})$")),
                               required=True, validate=ma.validate.Length(min=1))
    rate = ma.fields.String(required=True, validate=ma.validate.OneOf(["flat", "bands"]))
    amount = ma.fields.Decimal(load_default=None, **_amount)
    bands = ma.fields.List(ma.fields.Nested(RateBandSettings), load_default=list)
    free_above = ma.fields.Decimal(load_default=None, **_amount)

    @ma.validates_schema
    def rate_is_complete(self, data, **kwargs):
        if data["rate"] == "flat" and data.get("amount") is None:
            raise ma.ValidationError("A flat rate needs an amount.", "amount")
        if data["rate"] == "bands":
            bands = data.get("bands") or []
            limits = [band.below for band in bands]
            if not bands or limits[-1] is not None or None in limits[:-1] or limits[:-1] != sorted(limits[:-1]):
                raise ma.ValidationError("Bands rise by 'below' and the last one has none.", "bands")

    @ma.post_load
    def method(self, data, **kwargs) -> ShippingMethod:
        bands = tuple(data["bands"]) if data["rate"] == "bands" else (RateBand(data["amount"]),)
        return ShippingMethod(data["code"], data["label"], frozenset(data["countries"]), bands, data["free_above"])


class ShippingSettings(ma.Schema):
    methods = ma.fields.List(ma.fields.Nested(ShippingMethodSettings), required=True,
                             validate=ma.validate.Length(min=1))
