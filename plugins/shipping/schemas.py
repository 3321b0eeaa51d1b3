"""``[plugins.shipping]``: the site's zones and shipping methods, checked when the site starts."""

from __future__ import annotations

from dataclasses import replace

import marshmallow as ma

from kernel.web.schemas import CamelSchema, PlainDecimal
from plugins.shipping.domain import EVERYWHERE, Basis, RateBand, ShippingMethod

_amount = {"places": 2, "validate": ma.validate.Range(min=0)}
_COUNTRY = ma.fields.String(validate=ma.validate.Regexp(r"^[A-Z]{2}$"))
ZONE_NAME = r"^[a-z0-9_-]{1,64}$"


class RateBandSettings(ma.Schema):
    below = ma.fields.Decimal(load_default=None, places=3, validate=ma.validate.Range(min=0))
    amount = ma.fields.Decimal(required=True, **_amount)

    @ma.post_load
    def band(self, data, **kwargs) -> RateBand:
        return RateBand(**data)


class ShippingMethodSettings(ma.Schema):
    """``flat``: ``amount``; ``bands`` (by the goods' amount) and ``weight`` (by the parcel's kg):
    ``[{below, amount}, ..., {amount}]`` in rising order. Ships to ``countries`` and the
    countries of ``zones`` (at least one of them)."""

    code = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[a-z0-9_-]{1,64}$"))
    label = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    countries = ma.fields.List(ma.fields.String(validate=ma.validate.Regexp(rf"^([A-Z]{{2}}|\{EVERYWHERE})$")),
                               load_default=list)
    zones = ma.fields.List(ma.fields.String(validate=ma.validate.Regexp(ZONE_NAME)), load_default=list)
    rate = ma.fields.String(required=True, validate=ma.validate.OneOf(["flat", "bands", "weight"]))
    amount = ma.fields.Decimal(load_default=None, **_amount)
    bands = ma.fields.List(ma.fields.Nested(RateBandSettings), load_default=list)
    free_above = ma.fields.Decimal(load_default=None, **_amount)

    @ma.validates_schema
    def rate_is_complete(self, data, **kwargs):
        if data["rate"] == "flat" and data.get("amount") is None:
            raise ma.ValidationError("A flat rate needs an amount.", "amount")
        if not data["countries"] and not data["zones"]:
            raise ma.ValidationError("Name the countries or zones it ships to.", "countries")
        if data["rate"] in ("bands", "weight"):
            bands = data.get("bands") or []
            limits = [band.below for band in bands]
            if not bands or limits[-1] is not None or None in limits[:-1] or limits[:-1] != sorted(limits[:-1]):
                raise ma.ValidationError("Bands rise by 'below' and the last one has none.", "bands")

    @ma.post_load
    def method(self, data, **kwargs) -> tuple[ShippingMethod, list[str]]:
        """The method (its zones' countries are added by the settings) and its zone names."""
        bands = tuple(data["bands"]) if data["rate"] != "flat" else (RateBand(data["amount"]),)
        basis = Basis.WEIGHT if data["rate"] == "weight" else Basis.GOODS
        return ShippingMethod(data["code"], data["label"], frozenset(data["countries"]), bands, data["free_above"],
                              basis), data["zones"]


class ShippingSettings(ma.Schema):
    """``zones``: named lists of countries (``eu = ["DE", "AT", ...]``) that methods ship to by name."""

    zones = ma.fields.Dict(keys=ma.fields.String(validate=ma.validate.Regexp(ZONE_NAME)),
                           values=ma.fields.List(_COUNTRY, validate=ma.validate.Length(min=1)), load_default=dict)
    methods = ma.fields.List(ma.fields.Nested(ShippingMethodSettings), required=True,
                             validate=ma.validate.Length(min=1))

    @ma.validates_schema
    def zones_exist(self, data, **kwargs):
        for index, (_, zones) in enumerate(data.get("methods", [])):
            if unknown := sorted(set(zones) - set(data.get("zones", {}))):
                raise ma.ValidationError(f"methods[{index}]: no zone {', '.join(unknown)}.", "zones")

    @ma.post_load
    def with_zones(self, data, **kwargs) -> dict:
        zones = data["zones"]
        methods = [replace(method, countries=method.countries.union(*(zones[name] for name in names)),
                           zones=tuple(names)) for method, names in data["methods"]]
        return {**data, "methods": methods}


class ShippingConfiguredBandSchema(CamelSchema):
    below = PlainDecimal(required=True, allow_none=True, metadata={
        "description": "The band's upper limit, excluded: the goods' amount (rate bands) or the parcel's kg "
                       "(rate weight); null: everything from the previous band on."})
    amount = ma.fields.Decimal(as_string=True, places=2, required=True)


class ShippingConfiguredMethodSchema(CamelSchema):
    code = ma.fields.String(required=True)
    label = ma.fields.String(required=True)
    countries = ma.fields.Function(lambda method: sorted(method.countries), required=True,
                                   metadata={"type": "array", "items": {"type": "string"},
                                             "description": "Every country it ships to, its zones' included; "
                                                            "\"*\": everywhere."})
    zones = ma.fields.List(ma.fields.String(), required=True, metadata={"description": "The zones it names."})
    rate = ma.fields.String(required=True, validate=ma.validate.OneOf(["flat", "bands", "weight"]))
    bands = ma.fields.List(ma.fields.Nested(ShippingConfiguredBandSchema), required=True,
                           metadata={"description": "In rising order; a flat rate is one band without a limit."})
    free_above = ma.fields.Decimal(as_string=True, places=2, required=True, allow_none=True,
                                   metadata={"description": "Nothing to pay from this amount of goods on."})


class ShippingConfigurationSchema(CamelSchema):
    """``[plugins.shipping]`` as the site runs it (set in the site file, decision 0029)."""

    zones = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()), required=True)
    methods = ma.fields.List(ma.fields.Nested(ShippingConfiguredMethodSchema), required=True)
