"""``[plugins.tax]``: the site's tax rates, checked when the site starts."""

from __future__ import annotations

import marshmallow as ma

from kernel.domain.pricing import STANDARD_TAX_CLASS, TAX_CLASS_RE
from kernel.web.schemas import CamelSchema, PlainDecimal
from plugins.tax.domain import TaxRate


class TaxRateSettings(ma.Schema):
    code = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[A-Za-z0-9_-]{1,64}$"))
    label = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    country = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[A-Z]{2}$"))
    region = ma.fields.String(load_default=None, validate=ma.validate.Regexp(r"^[A-Z0-9]{1,10}$"))
    percent = ma.fields.Decimal(required=True, places=4, validate=ma.validate.Range(min=0, max=100))
    tax_class = ma.fields.String(load_default=STANDARD_TAX_CLASS, validate=ma.validate.Regexp(TAX_CLASS_RE),
                                 metadata={"description": "The products' tax class it applies to"})

    @ma.post_load
    def rate(self, data, **kwargs) -> TaxRate:
        return TaxRate(**data)


class TaxSettings(ma.Schema):
    rates = ma.fields.List(ma.fields.Nested(TaxRateSettings), required=True)
    shipping_taxable = ma.fields.Boolean(load_default=True)  # at the standard class's rates
    prices_include_tax = ma.fields.Boolean(load_default=False)  # prices entered with tax: extracted, not added


class TaxConfiguredRateSchema(CamelSchema):
    code = ma.fields.String(required=True)
    label = ma.fields.String(required=True)
    country = ma.fields.String(required=True)
    region = ma.fields.String(required=True, allow_none=True, metadata={"description": "null: the whole country"})
    tax_class = ma.fields.String(required=True, metadata={"description": "The products' tax class it applies to"})
    percent = PlainDecimal(required=True)


class TaxConfigurationSchema(CamelSchema):
    """``[plugins.tax]`` as the site runs it (set in the site file, decision 0029)."""

    rates = ma.fields.List(ma.fields.Nested(TaxConfiguredRateSchema), required=True,
                           metadata={"description": "By country, region and tax class."})
    shipping_taxable = ma.fields.Boolean(required=True, metadata={
        "description": "The shipping charge is taxed at the standard class's rates."})
    prices_include_tax = ma.fields.Boolean(required=True, metadata={
        "description": "Prices (and the shipping charge) contain the tax: it is extracted, not added."})
