"""Demo data: a realistic category tree, a few hundred products (apparel in sizes and colours)
and drawn pictures of them, the same on every run."""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from itertools import product as combinations
from uuid import UUID, uuid4

from plugins.catalog.domain import CategoryData, ProductData, slugify
from plugins.catalog.images import Image
from plugins.catalog.variants import ProductOption, VariantData

TREE = {
    "Electronics": {
        "Phones": ["Smartphone", "Phone Case", "Charger", "Screen Protector"],
        "Laptops": ["Ultrabook", "Gaming Laptop", "Laptop Sleeve", "Docking Station"],
        "Audio": ["Wireless Headphones", "Bluetooth Speaker", "Earbuds", "Soundbar"],
    },
    "Home & Kitchen": {
        "Cookware": ["Frying Pan", "Stock Pot", "Dutch Oven", "Saucepan"],
        "Coffee & Tea": ["Coffee Grinder", "French Press", "Espresso Machine", "Tea Kettle"],
        "Furniture": ["Desk Chair", "Bookshelf", "Side Table", "Floor Lamp"],
    },
    "Books": {
        "Fiction": ["Mystery Novel", "Fantasy Saga", "Science Fiction Novel", "Short Stories"],
        "Non-fiction": ["Cookbook", "Travel Guide", "Biography", "History of Science"],
    },
    "Sports & Outdoors": {
        "Camping": ["Tent", "Sleeping Bag", "Camping Stove", "Headlamp"],
        "Fitness": ["Yoga Mat", "Dumbbell Set", "Jump Rope", "Resistance Bands"],
        "Cycling": ["Bike Helmet", "Bike Light", "Water Bottle Cage", "Cycling Gloves"],
        "Apparel": ["Running T-Shirt", "Hoodie"],
    },
}
APPAREL = {"Running T-Shirt", "Hoodie"}
SIZES = ("S", "M", "L")
APPAREL_COLOURS = ("Red", "Blue")
RGB = {"Black": (40, 40, 48), "White": (200, 200, 196), "Blue": (52, 101, 164), "Red": (192, 57, 43),
       "Green": (39, 140, 90), "Grey": (120, 124, 130), "Sand": (194, 164, 120), "Navy": (30, 50, 90)}
ADJECTIVES = ["Classic", "Pro", "Compact", "Deluxe", "Eco", "Ultra", "Essential", "Premium", "Travel", "Smart"]
COLOURS = ["Black", "White", "Blue", "Red", "Green", "Grey", "Sand", "Navy"]
PRICE_RANGES = {"Electronics": (15, 1500), "Home & Kitchen": (9, 600), "Books": (6, 45), "Sports & Outdoors": (8, 400)}


def demo_categories() -> list[CategoryData]:
    """Parents first, so each parent exists before its children."""
    categories = []
    for top, children in TREE.items():
        categories.append(CategoryData(name=top, description=f"Everything in {top.lower()}."))
        categories += [CategoryData(name=child, parent=slugify(top), description=f"{child} in {top.lower()}.")
                       for child in children]
    return categories


def demo_products(per_kind: int = 6, seed: int = 5) -> list[ProductData]:
    """``per_kind`` products of each of the 46 kinds (276 by default); apparel comes in three
    sizes and two colours (six variants, the large ones a little dearer)."""
    rng = random.Random(seed)
    products = []
    for top, children in TREE.items():
        low, high = PRICE_RANGES[top]
        for child, kinds in children.items():
            for kind in kinds:
                for number in range(1, per_kind + 1):
                    name = f"{rng.choice(ADJECTIVES)} {kind} {rng.choice(COLOURS)} {number}"
                    price = Decimal(rng.randint(low * 100, high * 100)) / 100 - Decimal("0.01") * (number % 2)
                    sku = f"{slugify(kind)[:12].upper()}-{len(products) + 1:05d}"
                    options, variants = (), ()
                    if kind in APPAREL:
                        options = (ProductOption("Size", SIZES), ProductOption("Colour", APPAREL_COLOURS))
                        variants = tuple(
                            VariantData(sku=f"{sku}-{size}-{colour[:3].upper()}", options={"Size": size, "Colour": colour},
                                        price=price + 2 if size == "L" else None,
                                        stock_quantity=rng.choice([0, 3, 12, 40]))
                            for size, colour in combinations(SIZES, APPAREL_COLOURS))
                    products.append(ProductData(
                        name=name, sku=sku, price=max(price, Decimal("0.99")),
                        description=f"{name}: a {rng.choice(['reliable', 'popular', 'well-made', 'lightweight'])} "
                                    f"{kind.lower()} from our {child.lower()} range.",
                        stock_quantity=rng.choice([0, 2, 5, 12, 25, 40, 80, 150]), low_stock_threshold=5,
                        category=slugify(child), options=options, variants=variants))
    return products


def demo_pictures(store: Callable[[str, tuple[int, int, int]], tuple[str, int, int, dict[str, str]]]
                  ) -> Callable[[UUID, ProductData], list[Image]]:
    """For each product: a picture of its kind; for apparel, one per variant in the variant's
    colour. ``store(title, colour)`` draws, stores and renders one picture and returns its
    (original name, width, height, renditions); equal pictures are drawn once."""
    drawn: dict[tuple[str, tuple[int, int, int]], tuple[str, int, int, dict[str, str]]] = {}

    def picture(product_id: UUID, variant_id: UUID | None, title: str, colour_name: str, position: int) -> Image:
        colour = RGB.get(colour_name, RGB["Grey"])
        if (title, colour) not in drawn:
            drawn[title, colour] = store(title, colour)
        original, width, height, renditions = drawn[title, colour]
        return Image(id=uuid4(), product_id=product_id, variant_id=variant_id, alt=f"{title} in {colour_name.lower()}",
                     position=position, original=original, width=width, height=height, renditions=renditions)

    def pictures(product_id: UUID, data: ProductData) -> list[Image]:
        kind = next(kind for kind in (k for kinds in TREE.values() for ks in kinds.values() for k in ks)
                    if kind in data.name)
        images = [picture(product_id, None, kind, "Navy" if data.variants else "Sand", 0)]
        images += [picture(product_id, variant.id, kind, variant.options["Colour"], position)
                   for position, variant in enumerate(data.variants, start=1)]
        return images

    return pictures
