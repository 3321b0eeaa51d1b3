"""The cart's periodic cleanup, its port for checkout, and its site settings."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
import sqlalchemy as sa

from kernel.context import commerce
from kernel.domain.ports.cart import CartLine
from kernel.infrastructure.db import SqlAlchemyUnitOfWork, db
from kernel.site import SiteError
from plugins.cart.orm import cart_items, shopping_carts
from plugins.cart.tasks import CLEANUP_TASK

from .cart_http import TOKEN, add


def age_guest_carts(app, days: int) -> None:
    with app.app_context():
        db.session.execute(sa.update(shopping_carts).values(updated_at=datetime.now(UTC) - timedelta(days=days)))
        db.session.commit()


def test_the_cleanup_job_deletes_only_abandoned_guest_carts(cart_site, auth_headers):
    site = cart_site(guest_cart_max_age_days=7)
    mug = site.shop.product("Mug")
    shopper = auth_headers(site.app)
    abandoned = add(site, mug, 1).json["cartToken"]
    add(site, mug, 1, headers=shopper)
    age_guest_carts(site.app, days=8)
    recent = add(site, mug, 1).json["cartToken"]

    with site.app.app_context():
        with SqlAlchemyUnitOfWork() as uow:
            commerce().jobs.enqueue(CLEANUP_TASK)
            uow.commit()

    assert site.client.get("/api/cart", headers={TOKEN: abandoned}).status_code == 404
    assert site.client.get("/api/cart", headers={TOKEN: recent}).json["itemCount"] == 1
    assert site.client.get("/api/cart", headers=shopper).json["itemCount"] == 1  # users' carts are kept
    with site.app.app_context():
        assert db.session.execute(sa.select(sa.func.count()).select_from(cart_items)).scalar_one() == 2


def test_the_cleanup_job_is_periodic_on_the_configured_schedule(cart_site):
    site = cart_site(cleanup_schedule="*/30 * * * *")
    specs = {spec.name: spec for specs in site.app.extensions["commerce"].pm.hook.commerce_tasks(
        site=site.app.extensions["commerce"].site) for spec in specs}
    assert specs[CLEANUP_TASK].schedule == "*/30 * * * *"


def test_the_checkout_port_reads_and_clears_a_shoppers_cart(cart_site, auth_headers):
    site = cart_site()
    mug, tea = site.shop.product("Mug"), site.shop.product("Tea")
    shopper = auth_headers(site.app)
    add(site, mug, 2, headers=shopper)
    add(site, tea, 1, headers=shopper)
    with site.app.app_context():
        port = commerce().cart
        # a product without options is its own variant (the same id)
        assert port.lines_for_user(shopper.user_id) == [CartLine(UUID(mug), 2, UUID(mug)), CartLine(UUID(tea), 1, UUID(tea))]
        port.clear_for_user(shopper.user_id)
        db.session.commit()  # the checkout's transaction
    assert site.client.get("/api/cart", headers=shopper).json["lines"] == []


@pytest.mark.parametrize("settings, message", [
    ({"max_quantity_per_line": 0}, "max_quantity_per_line"),
    ({"max_lines": "many"}, "max_lines"),
    ({"cleanup_schedule": "daily"}, "five-field cron"),
    ({"max_items": 3}, "max_items"),
])
def test_bad_settings_stop_the_site_with_one_line(cart_site, settings, message):
    with pytest.raises(SiteError, match=message):
        cart_site(**settings)
