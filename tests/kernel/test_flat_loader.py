"""``FlatLoader`` answers what ``Schema.load`` answers for a flat schema: the bulk importer relies
on it to keep its per-row messages while parsing at twice the speed."""

from __future__ import annotations

import marshmallow as ma
import pytest

from kernel.web.schemas import FlatLoader


class Row(ma.Schema):
    sku = ma.fields.String(required=True, validate=ma.validate.Length(max=5))
    price = ma.fields.Decimal(required=True, as_string=True)
    stock = ma.fields.Integer(data_key="stockQuantity", load_default=0)
    active = ma.fields.Boolean(data_key="isActive", attribute="is_active")


def outcome(load, data):
    try:
        return load(data)
    except ma.ValidationError as exc:
        return exc.messages


@pytest.mark.parametrize("data", [
    {"sku": "A1", "price": "9.50"},
    {"sku": "A1", "price": "9.50", "stockQuantity": "7", "isActive": "false"},
    {"sku": "TOO-LONG", "price": "x"},
    {"price": "1"},
    {"sku": "A1", "price": "1", "colour": "red"},
    {"sku": "A1", "price": "1", "stockQuantity": "many"},
])
def test_same_values_defaults_and_messages_as_schema_load(data):
    assert outcome(FlatLoader(Row()).load, data) == outcome(Row().load, data)


def test_a_schema_with_hooks_is_refused():
    class Hooked(Row):
        @ma.post_load
        def upper(self, data, **kwargs):
            return data

    with pytest.raises(TypeError, match="hooks"):
        FlatLoader(Hooked())
