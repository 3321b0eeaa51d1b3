"""Marshmallow base schemas: camelCase JSON on the wire, snake_case in Python."""

from __future__ import annotations

import marshmallow as ma


def camelize(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class CamelSchema(ma.Schema):
    """Every field is read and written under its camelCase name; unknown input is refused."""

    class Meta:
        unknown = ma.RAISE

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field) -> None:
        field_obj.data_key = camelize(field_obj.data_key or field_name)


class PageQuerySchema(CamelSchema):
    """``?page=1&pageSize=10``; page sizes above 100 are refused."""

    class Meta:
        unknown = ma.EXCLUDE

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    page_size = ma.fields.Integer(load_default=10, validate=ma.validate.Range(min=1, max=100))


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """The design's page envelope ``{items, totalCount, page, pageSize}`` around an item schema."""
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
    """RFC 9457 problem details (documentation only)."""

    type = ma.fields.String()
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    instance = ma.fields.String()
    errors = ma.fields.Dict()
