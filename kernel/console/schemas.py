"""Wire shape of ``GET /api/admin/site`` (camelCase)."""

from __future__ import annotations

import marshmallow as ma

from kernel.web.schemas import CamelSchema


class ConsoleSiteSchema(CamelSchema):
    name = ma.fields.String(required=True)
    currency = ma.fields.String(required=True)
    plugins = ma.fields.List(ma.fields.String(), required=True,
                             metadata={"description": "The plugins this site enables, in load order."})
    permissions = ma.fields.List(ma.fields.String(), required=True,
                                 metadata={"description": "Every permission the caller holds on this site."})
