"""The database's ceiling for the two writes: add to cart and check out, hand-written on psycopg2.

Each endpoint runs the statements the shop runs for the same request (``tests/catalog`` and
``benchmarks/shopper.py`` count them), in one transaction on a pooled connection, with the same
row locks, and answers JSON of the same shape and size. What it leaves out is what the ceiling
measures: token signature and revocation checks, rate-limit counters, request validation, the
domain model, SQLAlchemy and marshmallow. The caller is the access token's subject, read from the
token without checking it. ``BENCH_DSN`` is a libpq URL.
"""

import base64
import json
import os
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from flask import Flask, Response, request
from psycopg2.extras import Json, register_uuid
from psycopg2.pool import ThreadedConnectionPool

register_uuid()
pool = ThreadedConnectionPool(1, int(os.environ.get("GUNICORN_THREADS", "4")), os.environ["BENCH_DSN"])
app = Flask(__name__)
SITE = os.environ.get("BENCH_SITE", "bench")

USER = "SELECT id, email FROM users WHERE fs_uniquifier = %s AND is_active IS true"
CART = "SELECT id, updated_at FROM shopping_carts WHERE user_id = %s FOR UPDATE"
NEW_CART = ("INSERT INTO shopping_carts (id, user_id, created_at, updated_at) VALUES (%s, %s, now(), now()) "
            "ON CONFLICT (user_id) DO NOTHING")
LINES = ("SELECT variant_id, product_id, quantity, price_when_added, added_at FROM cart_items WHERE cart_id = %s "
         "ORDER BY added_at, variant_id")
SNAPSHOTS = ("SELECT v.id, v.sku, coalesce(v.price, p.price), v.stock_quantity, v.options, v.product_id, "
             "v.is_active AND p.is_active, p.name, p.slug FROM product_variants v JOIN products p ON p.id = v.product_id "
             "WHERE v.id = ANY(%s)")
TOUCH_CART = "UPDATE shopping_carts SET updated_at = %s, pricing_inputs = '{}' WHERE id = %s"
PUT_LINE = ("INSERT INTO cart_items (id, cart_id, product_id, variant_id, quantity, price_when_added, added_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (cart_id, variant_id) DO UPDATE "
            "SET quantity = excluded.quantity, price_when_added = excluded.price_when_added")
LOCK_STOCK = ("SELECT v.id, v.stock_quantity FROM product_variants v JOIN products p ON p.id = v.product_id "
              "WHERE v.id = ANY(%s) ORDER BY v.id FOR UPDATE OF v")
TAKE_STOCK = "UPDATE product_variants SET stock_quantity = stock_quantity + %s, updated_at = now() WHERE id = %s"
MOVEMENT = ("INSERT INTO stock_movements (id, product_id, variant_id, delta, stock_after, reason) "
            "VALUES (%s, %s, %s, %s, %s, 'reserved')")
ORDER = ("INSERT INTO orders (id, user_id, customer_email, order_date, status, payment_status, payment_method, "
         "currency, total_amount, refunded_amount, shipping_address, billing_address, tracking_number, "
         "stock_reserved, updated_at) VALUES (%s, %s, %s, %s, 'Pending', 'Pending', %s, 'USD', %s, 0, %s, 'null', "
         "NULL, true, %s)")
ORDER_LINE = ("INSERT INTO order_items (id, order_id, product_id, variant_id, sku, product_name, quantity, unit_price, "
              "discount, position) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 0, %s)")
HISTORY = ("INSERT INTO order_status_history (order_id, from_status, to_status, actor_kind, actor_id, note, "
           "occurred_at) VALUES (%s, NULL, 'Pending', 'customer', %s, '', %s) RETURNING id")
JOB = ("INSERT INTO job_runs (id, task, arguments, state, attempts, max_attempts, retry_delay, request_id, created_at, "
       "run_after, dispatched_at) VALUES (%s, 'orders.send_confirmation', %s, 'queued', 0, 6, 10, %s, %s, %s, %s)")
EVENTS = ("INSERT INTO event_outbox (site, type, payload, created_at) VALUES "
          "(%(site)s, 'order.status_changed', %(changed)s, %(at)s), (%(site)s, 'order.placed', %(placed)s, %(at)s) "
          "RETURNING id")
PUBLISHED = "UPDATE event_outbox SET published_at = now() WHERE id = ANY(%s) AND published_at IS NULL"


def _subject() -> str:
    payload = request.headers["Authorization"].split()[1].split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _json(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _line(variant_id, snapshot, quantity, price_when_added, added_at) -> dict:
    _id, sku, price, stock, options, product_id, on_sale, name, slug = snapshot
    return {"addedAt": added_at.isoformat(), "availability": "in_stock" if on_sale and stock > 0 else "out_of_stock",
            "availableQuantity": stock, "lineTotal": _money(price * quantity), "name": name, "options": options or {},
            "priceChanged": price != price_when_added, "discount": "0.00", "priceWhenAdded": _money(price_when_added),
            "productId": str(product_id), "quantity": quantity, "sku": sku, "slug": slug, "unitPrice": _money(price),
            "variantId": str(variant_id)}


@app.post("/api/cart/items")
def add_to_cart():
    body = request.get_json()
    variant_id, quantity, now = uuid.UUID(body["productId"]), int(body["quantity"]), datetime.now(UTC)
    connection = pool.getconn()
    try:
        with connection.cursor() as cursor:
            cursor.execute(USER, (_subject(),))
            user_id, _email = cursor.fetchone()
            cursor.execute(CART, (user_id,))
            cart = cursor.fetchone()
            if cart is None:
                cursor.execute(NEW_CART, (uuid.uuid4(), user_id))
                cursor.execute(CART, (user_id,))
                cart = cursor.fetchone()
            cart_id = cart[0]
            cursor.execute(LINES, (cart_id,))
            lines = {row[0]: row for row in cursor.fetchall()}
            cursor.execute(SNAPSHOTS, ([*lines, variant_id],))
            snapshots = {row[0]: row for row in cursor.fetchall()}
            before = lines.get(variant_id)
            total = (before[2] if before else 0) + quantity
            price = snapshots[variant_id][2]
            lines[variant_id] = (variant_id, snapshots[variant_id][5], total, price, before[4] if before else now)
            cursor.execute(TOUCH_CART, (now, cart_id))
            cursor.execute(PUT_LINE, (uuid.uuid4(), cart_id, snapshots[variant_id][5], variant_id, total, price,
                                      lines[variant_id][4]))
        connection.commit()
    finally:
        pool.putconn(connection)
    shown = [_line(v, snapshots[v], row[2], row[3], row[4]) for v, row in lines.items()]
    subtotal = _money(sum(Decimal(line["lineTotal"]) for line in shown))
    return _json({"adjustments": [], "choices": [], "currency": "USD", "discountTotal": "0.00",
                  "itemCount": sum(line["quantity"] for line in shown), "lines": shown, "notices": {},
                  "pricingInputs": {}, "shippingTotal": "0.00", "subtotal": subtotal, "taxTotal": "0.00",
                  "total": subtotal, "updatedAt": now.isoformat()})


@app.post("/api/orders")
def check_out():
    body = request.get_json()
    wanted = {uuid.UUID(item["productId"]): int(item["quantity"]) for item in body["items"]}
    now, order_id, job_id = datetime.now(UTC), uuid.uuid4(), uuid.uuid4()
    connection = pool.getconn()
    try:
        with connection.cursor() as cursor:
            cursor.execute(USER, (_subject(),))
            user_id, email = cursor.fetchone()
            cursor.execute(SNAPSHOTS, (list(wanted),))
            snapshots = {row[0]: row for row in cursor.fetchall()}
            cursor.execute(LOCK_STOCK, (sorted(wanted),))
            stock = dict(cursor.fetchall())
            if any(stock[variant] < quantity for variant, quantity in wanted.items()):
                connection.rollback()
                return _json({"title": "Conflict", "status": 409}, 409)
            cursor.executemany(TAKE_STOCK, [(-quantity, variant) for variant, quantity in wanted.items()])
            cursor.executemany(MOVEMENT, [(uuid.uuid4(), snapshots[v][5], v, -q, stock[v] - q) for v, q in wanted.items()])
            total = sum(snapshots[v][2] * q for v, q in wanted.items())
            cursor.execute(ORDER, (order_id, user_id, email, now, body["paymentMethod"], total,
                                   Json(body["shippingAddress"]), now))
            cursor.executemany(ORDER_LINE, [(uuid.uuid4(), order_id, snapshots[v][5], v, snapshots[v][1], snapshots[v][7],
                                             q, snapshots[v][2], n) for n, (v, q) in enumerate(wanted.items())])
            cursor.execute(HISTORY, (order_id, user_id, now))
            cursor.execute(JOB, (job_id, Json({"args": [str(order_id), "placed"], "kwargs": {}}), uuid.uuid4().hex,
                                 now, now + timedelta(minutes=5), now))
            event = {"orderId": str(order_id), "userId": str(user_id), "occurredAt": now.isoformat()}
            cursor.execute(EVENTS, {"site": SITE, "at": now, "placed": Json({**event, "totalAmount": _money(total)}),
                                    "changed": Json({**event, "fromStatus": None, "toStatus": "Pending"})})
            events = [row[0] for row in cursor.fetchall()]
        connection.commit()
        with connection.cursor() as cursor:  # the event outbox: published after the commit
            cursor.execute(PUBLISHED, (events,))
        connection.commit()
    finally:
        pool.putconn(connection)
    items = [{"discount": "0.00", "lineTotal": _money(snapshots[v][2] * q), "name": snapshots[v][7],
              "productId": str(snapshots[v][5]), "quantity": q, "sku": snapshots[v][1],
              "unitPrice": _money(snapshots[v][2]), "variantId": str(v)} for v, q in wanted.items()]
    return _json({"adjustments": [], "billingAddress": None, "currency": "USD", "discountTotal": "0.00",
                  "history": [{"actor": "customer", "fromStatus": None, "note": "", "occurredAt": now.isoformat(),
                               "toStatus": "Pending"}],
                  "itemCount": sum(wanted.values()), "items": items, "orderDate": now.isoformat(),
                  "orderId": str(order_id), "paymentMethod": body["paymentMethod"], "paymentStatus": "Pending",
                  "refundedAmount": "0.00", "shippingAddress": body["shippingAddress"], "shippingMethod": None,
                  "shippingTotal": "0.00", "status": "Pending", "subtotal": _money(total), "taxTotal": "0.00",
                  "totalAmount": _money(total), "trackingNumber": None}, 201)


@app.get("/healthz")
def health():
    return _json({"status": "ok"})
