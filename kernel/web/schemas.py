"""Marshmallow base schemas: camelCase JSON on the wire, snake_case in Python."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import marshmallow as ma

MONEY_PATTERN = r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$"
POSITIVE_MONEY_PATTERN = r"^([1-9][0-9]{0,9}(\.[0-9]{1,2})?|0\.(0[1-9]|[1-9][0-9]?))$"
MAX_MONEY = Decimal("9999999999.99")  # NUMERIC(12, 2)


def camelize(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class _JsonBools(frozenset):
    """``true``/``false`` only: a plain set would take ``0`` and ``1`` too (``0 == False``)."""

    def __contains__(self, value) -> bool:
        return isinstance(value, bool) and super().__contains__(value)


class CamelSchema(ma.Schema):
    """Every field is read and written under its camelCase name; unknown input is refused.

    JSON types are strict: ``"3"`` is not an integer and ``1`` is not a boolean. Schemas that
    read text (query strings, CSV rows) set ``text_input = True`` to read ``"3"`` and ``"true"``.
    """

    text_input = False

    class Meta:
        unknown = ma.RAISE

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field) -> None:
        field_obj.data_key = camelize(field_obj.data_key or field_name)
        if self.text_input:
            return
        if isinstance(field_obj, ma.fields.Integer):
            field_obj.strict = True
        elif isinstance(field_obj, ma.fields.Boolean):
            field_obj.truthy, field_obj.falsy = _JsonBools({True}), _JsonBools({False})


class Money(ma.fields.Decimal):
    """An amount of the site's currency, ``NUMERIC(12, 2)``: a decimal string on the wire (``"599.99"``).

    Input may also be a JSON number; either way it is refused (never rounded) unless it has at
    most 2 decimals and 10 digits before the point and is not negative (``positive=True``: above
    zero). The OpenAPI document states exactly that, so generated clients and fuzzers agree.
    """

    default_error_messages = {"invalid": "Not an amount: at most 10 digits, a point and 2 decimals, e.g. 599.99.",
                              "positive": "Must be more than 0."}

    def __init__(self, *, positive: bool = False, **kwargs):
        super().__init__(places=2, as_string=True, **kwargs)
        self.positive = positive

    @property
    def pattern(self) -> str:
        return POSITIVE_MONEY_PATTERN if self.positive else MONEY_PATTERN

    def _deserialize(self, value, attr, data, **kwargs) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.make_error("invalid")
        text = value if isinstance(value, str) else str(value)
        if not re.match(MONEY_PATTERN, text):
            raise self.make_error("invalid")
        if not re.match(self.pattern, text):
            raise self.make_error("positive")
        return Decimal(text)


class PlainDecimal(ma.fields.Decimal):
    """A decimal written as the shortest string with its value (``"19"``, ``"8.875"``, ``"0.5"``):
    rates and limits read from a site file, where trailing zeros would be noise."""

    def __init__(self, **kwargs):
        super().__init__(as_string=True, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else format(Decimal(value).normalize(), "f")


NOT_BLANK = r"^[\s\S]*\S"  # some character that is not white space (JSON Schema and Python alike)


def text(max_length: int, *, required: bool = False, blank: bool = True, **kwargs) -> ma.fields.String:
    """A string of at most ``max_length`` characters; ``blank=False`` also refuses "" and white space."""
    rules = [ma.validate.Length(max=max_length)]
    if not blank:
        rules = [ma.validate.Length(min=1, max=max_length), ma.validate.Regexp(NOT_BLANK, error="Must not be blank.")]
    return ma.fields.String(required=required, validate=rules, **kwargs)


def _line(max_length: int, required: bool = False) -> ma.fields.String:
    return ma.fields.String(required=required, validate=ma.validate.Length(min=1, max=max_length))


class AddressSchema(CamelSchema):
    """A postal address, the one rule for checkout and the address book: ``street``, ``city`` and
    ``zipCode`` are required; the other lines are optional."""

    name = _line(200)
    street = _line(200, required=True)
    street2 = _line(200)
    city = _line(100, required=True)
    state = _line(100)
    zip_code = _line(20, required=True)
    country = _line(100)
    phone = _line(40)


class UtcDateTime(ma.fields.AwareDateTime):
    """A time with a UTC offset, read as UTC (PostgreSQL refuses offsets beyond ±15:59)."""

    def __init__(self, **kwargs):
        super().__init__(default_timezone=None, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            return moment.astimezone(UTC)
        except OverflowError:  # 0001-01-01T00:00+01:00 is before the first UTC time Python has
            return (datetime.min if moment.year == datetime.min.year else datetime.max).replace(tzinfo=UTC)


class PageQuerySchema(CamelSchema):
    """``?page=1&pageSize=10``; page sizes above 100 are refused, and so are unknown parameters."""

    text_input = True

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    page_size = ma.fields.Integer(load_default=10, validate=ma.validate.Range(min=1, max=100))


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """The page envelope ``{items, totalCount, page, pageSize}`` around an item schema."""
    return type(
        name,
        (CamelSchema,),
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "total_count": ma.fields.Integer(required=True),
            "page": ma.fields.Integer(required=True),
            "page_size": ma.fields.Integer(required=True),
        },
    )


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details (documentation only); extra members add context (``shortages``, ...)."""

    class Meta:
        unknown = ma.INCLUDE

    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String()
    instance = ma.fields.String()
    errors = ma.fields.Dict()


class FlatLoader:
    """``schema.load`` for a flat schema (no nesting needed, no hooks, no schema validators), field by
    field: the same values, defaults and error messages at about half the cost, for bulk input such as
    a CSV import where the per-row overhead of ``Schema.load`` is most of the work."""

    def __init__(self, schema: ma.Schema):
        if any(schema._hooks.values()):
            raise TypeError(f"{type(schema).__name__} has hooks: load it with Schema.load")
        self._fields = [(field.data_key or name, field.attribute or name, field)
                        for name, field in schema.load_fields.items()]
        self._known = {key for key, _, _ in self._fields}

    def load(self, data: dict) -> dict:
        values, errors = {}, {}
        for key in data.keys() - self._known:
            errors[key] = ["Unknown field."]
        for key, attribute, field in self._fields:
            try:
                value = field.deserialize(data.get(key, ma.missing), key, data)
            except ma.ValidationError as exc:
                errors[key] = exc.messages
                continue
            if value is not ma.missing:
                values[attribute] = value
        if errors:
            raise ma.ValidationError(errors)
        return values
