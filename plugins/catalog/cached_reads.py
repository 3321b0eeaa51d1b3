"""The shopper reads answered from the cache before a request reaches Flask: listing pages and
product detail (``kernel.web.cached_reads``). The query is parsed by the very parser and schema
the view uses, so a query the view would refuse is left to the view; parsing is pure, so each
distinct query string is parsed once (shoppers send the same few again and again)."""

from __future__ import annotations

from functools import lru_cache

from flask import Flask
from flask_smorest import Blueprint
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from kernel.domain.errors import DomainError
from kernel.web.cached_reads import CachedRead
from plugins.catalog.api import CACHE_CONTROL, PRODUCT_QUERY, product_ref
from plugins.catalog.domain import ProductQuery
from plugins.catalog.services import CatalogCache


class _Query:
    """What webargs reads a query from."""

    def __init__(self, args):
        self.args = args


@lru_cache(maxsize=1024)
def listing_query(args: tuple[tuple[str, str], ...]) -> ProductQuery | None:
    """The listing's query for these query parameters, or ``None`` when the view would refuse them."""
    try:
        query = Blueprint.ARGUMENTS_PARSER.parse(PRODUCT_QUERY, _Query(MultiDict(args)), location="query")
        return ProductQuery(**query).validated()
    except (HTTPException, ValidationError, DomainError):
        return None


def cached_reads(app: Flask) -> dict[str, CachedRead]:
    cache = CatalogCache(app.extensions["commerce"].cache)

    def listing(_view_args, args):
        query = listing_query(tuple(args.items(multi=True)))
        return None if query is None else cache.cached_listing(query)

    def product(view_args, args):
        return None if args else cache.cached_product(product_ref(view_args["ref"]))

    return {"catalog.list_products": CachedRead(listing, CACHE_CONTROL),
            "catalog.get_product": CachedRead(product, CACHE_CONTROL)}
