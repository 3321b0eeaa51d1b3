"""Options and variants (plain Python): a T-shirt in sizes and colours.

A product has options (``Size: S/M/L``) and one variant per combination it sells, each with
its own SKU, price (or the product's), stock, low-stock threshold and active flag. A product
without options has exactly one variant, its *implicit variant*, whose id is the product's
id and whose SKU is the product's: everything that names a product by id (cart lines,
order lines, stock reservations) names that variant too, so such a product keeps the API
it had before variants existed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from uuid import UUID, uuid4

from kernel.domain.errors import ValidationFailed
from kernel.domain.pricing import STANDARD_TAX_CLASS
from plugins.catalog.domain import price_errors

MAX_OPTIONS = 3
MAX_VALUES = 50
MAX_VARIANTS = 200
MAX_NAME = 50


@dataclass(frozen=True)
class ProductOption:
    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class VariantData:
    """What a merchant writes about one variant; ``price`` None means the product's price."""

    sku: str
    options: Mapping[str, str] = field(default_factory=dict)
    price: Decimal | None = None
    stock_quantity: int = 0
    low_stock_threshold: int = 5
    is_active: bool = True
    id: UUID | None = None
    weight: Decimal | None = None  # kg per unit; None: not given
    tax_class: str = STANDARD_TAX_CLASS


@dataclass(frozen=True)
class Variant:
    id: UUID
    product_id: UUID
    sku: str
    price: Decimal  # what it sells at: its own price or the product's
    own_price: Decimal | None
    stock_quantity: int
    low_stock_threshold: int
    is_active: bool
    options: Mapping[str, str]
    position: int = 0
    weight: Decimal | None = None
    tax_class: str = STANDARD_TAX_CLASS

    @property
    def available(self) -> bool:
        return self.is_active and self.stock_quantity > 0


def option_key(options: Mapping[str, str]) -> str:
    """``{"Size": "M", "Colour": "Red"}`` -> ``"|colour=red|size=m|"``: what option filters and
    search match (case-insensitively) with ``LIKE '%|size=m|%'`` on any database."""
    pairs = sorted(f"{name.strip().lower()}={value.strip().lower()}" for name, value in options.items())
    return "|" + "|".join(pairs) + "|" if pairs else ""


def variant_label(options: Mapping[str, str]) -> str:
    """``"M / Red"``: the values in the product's option order, for order lines and the cart."""
    return " / ".join(options.values())


def _name_errors(value: str) -> list[str]:
    if not value.strip():
        return ["Must not be blank."]
    if len(value) > MAX_NAME:
        return [f"Longer than {MAX_NAME} characters."]
    if "|" in value or "=" in value or ";" in value:
        return ["Must not contain '|', '=' or ';'."]
    return []


def validated_options(options: Sequence[ProductOption]) -> list[ProductOption]:
    errors: dict[str, list[str]] = {}
    if len(options) > MAX_OPTIONS:
        errors["options"] = [f"At most {MAX_OPTIONS} options."]
    seen: set[str] = set()
    for index, option in enumerate(options):
        where = f"options[{index}]"
        if problems := _name_errors(option.name):
            errors[f"{where}.name"] = problems
        elif option.name.strip().lower() in seen:
            errors[f"{where}.name"] = ["Another option has this name."]
        seen.add(option.name.strip().lower())
        values = [value.strip().lower() for value in option.values]
        if not option.values or len(option.values) > MAX_VALUES:
            errors[f"{where}.values"] = [f"Between 1 and {MAX_VALUES} values."]
        elif len(set(values)) != len(values):
            errors[f"{where}.values"] = ["Every value must be different."]
        elif bad := next((problems for value in option.values if (problems := _name_errors(value))), None):
            errors[f"{where}.values"] = bad
    if errors:
        raise ValidationFailed("The options are not valid: " + ", ".join(sorted(errors)), errors=errors)
    return [ProductOption(o.name.strip(), tuple(v.strip() for v in o.values)) for o in options]


def validated_variants(product_id: UUID, product_sku: str, options: Sequence[ProductOption],
                       variants: Sequence[VariantData]) -> list[VariantData]:
    """The variants with ids and their option values in the options' order, or
    :class:`ValidationFailed` naming each broken field (``variants[1].options``).

    Without options there is exactly one variant, the implicit one (id and SKU the product's).
    With options every variant names one value of each option, and no two the same combination.
    """
    if not options:
        if len(variants) > 1:
            raise ValidationFailed("A product without options has one variant.",
                                   errors={"variants": ["Give options to sell more than one variant."]})
        base = variants[0] if variants else VariantData(sku=product_sku)
        return [VariantData(sku=product_sku, price=base.price, stock_quantity=base.stock_quantity,
                            low_stock_threshold=base.low_stock_threshold, is_active=True, id=product_id,
                            weight=base.weight, tax_class=base.tax_class)]
    errors: dict[str, list[str]] = {}
    if not 1 <= len(variants) <= MAX_VARIANTS:
        errors["variants"] = [f"Between 1 and {MAX_VARIANTS} variants for a product with options."]
    by_name = {option.name.lower(): option for option in options}
    skus: set[str] = set()
    combinations: set[str] = set()
    result = []
    for index, variant in enumerate(variants):
        where = f"variants[{index}]"
        sku = variant.sku.strip()
        if not sku or len(sku) > 100:
            errors[f"{where}.sku"] = ["Between 1 and 100 characters."]
        elif sku in skus:
            errors[f"{where}.sku"] = ["Another variant has this SKU."]
        skus.add(sku)
        if variant.price is not None and (problems := price_errors(variant.price)):
            errors[f"{where}.price"] = problems
        for name, value in (("stockQuantity", variant.stock_quantity), ("lowStockThreshold", variant.low_stock_threshold)):
            if value < 0:
                errors[f"{where}.{name}"] = ["Must not be negative."]
        given = {name.strip().lower(): value.strip() for name, value in variant.options.items()}
        values: dict[str, str] = {}
        if set(given) != set(by_name):
            errors[f"{where}.options"] = [f"Name a value of each option: {', '.join(o.name for o in options)}."]
        else:
            for option in options:
                value = next((v for v in option.values if v.lower() == given[option.name.lower()].lower()), None)
                if value is None:
                    errors[f"{where}.options"] = [f"{option.name} must be one of: {', '.join(option.values)}."]
                    break
                values[option.name] = value
            key = option_key(values)
            if key in combinations:
                errors[f"{where}.options"] = ["Another variant has these option values."]
            combinations.add(key)
        result.append(replace(variant, sku=sku, options=values, id=variant.id or uuid4()))
    if errors:
        raise ValidationFailed("The variants are not valid: " + ", ".join(sorted(errors)), errors=errors)
    return result


def price_range(variants: Sequence[Variant]) -> tuple[Decimal, Decimal] | None:
    """The lowest and highest price of the active variants (None when none is active)."""
    prices = [variant.price for variant in variants if variant.is_active]
    return (min(prices), max(prices)) if prices else None
