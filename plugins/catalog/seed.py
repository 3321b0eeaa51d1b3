"""Demo data: a realistic category tree and a few hundred products, the same on every run."""

from __future__ import annotations

import random
from decimal import Decimal

from plugins.catalog.domain import CategoryData, ProductData, slugify

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
    },
}
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
    """``per_kind`` variants of each of the 44 kinds of product (264 by default)."""
    rng = random.Random(seed)
    products = []
    for top, children in TREE.items():
        low, high = PRICE_RANGES[top]
        for child, kinds in children.items():
            for kind in kinds:
                for number in range(1, per_kind + 1):
                    name = f"{rng.choice(ADJECTIVES)} {kind} {rng.choice(COLOURS)} {number}"
                    price = Decimal(rng.randint(low * 100, high * 100)) / 100 - Decimal("0.01") * (number % 2)
                    products.append(ProductData(
                        name=name, sku=f"{slugify(kind)[:12].upper()}-{len(products) + 1:05d}",
                        price=max(price, Decimal("0.99")),
                        description=f"{name}: a {rng.choice(['reliable', 'popular', 'well-made', 'lightweight'])} "
                                    f"{kind.lower()} from our {child.lower()} range.",
                        stock_quantity=rng.choice([0, 2, 5, 12, 25, 40, 80, 150]), low_stock_threshold=5,
                        category=slugify(child)))
    return products
