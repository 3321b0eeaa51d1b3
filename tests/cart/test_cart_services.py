"""Cart use cases against in-memory ports: the rules a shopper meets, without Flask or a database."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from kernel.domain.errors import Conflict, NotFound, ValidationFailed
from kernel.testing.fakes import FakeCatalog, FakeIdempotencyStore, FakeUnitOfWork, product
from plugins.cart.domain import Availability, CartRules, GuestToken, NotEnoughStock
from plugins.cart.services import CartForCheckout, CartService, Shopper
from tests.cart.cart_fakes import FakeCartRepository


def as_is(answer):
    """Renders a change's answer as the answer itself, for assertions on the priced cart."""
    return answer


class Clock:
    def __init__(self):
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self):
        return self.now


@pytest.fixture
def mug():
    return product("Mug", "12.50", stock=5)


@pytest.fixture
def catalog(mug):
    return FakeCatalog(mug, product("Tea", "3.99", stock=100))


@pytest.fixture
def carts():
    return FakeCartRepository()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def service(carts, catalog, clock):
    replies = FakeIdempotencyStore()
    return CartService(FakeUnitOfWork(carts, replies), carts, catalog,
                       CartRules(max_quantity_per_line=10, max_lines=3), "USD", replies, clock=clock)


@pytest.fixture
def user():
    return Shopper(user_id=uuid4())


def test_a_guest_gets_a_token_on_the_first_add_and_the_cart_is_priced_exactly(service, mug):
    answer = service.add_item(Shopper(), mug.id, 3, render=as_is).body
    assert answer.new_cart_token
    [line] = answer.cart.lines
    assert (line.item.quantity, line.unit_price.amount, line.line_total.amount) == (3, Decimal("12.50"), Decimal("37.50"))
    assert answer.cart.subtotal.amount == Decimal("37.50")
    again = service.get_cart(Shopper(cart_token=answer.new_cart_token))
    assert [(line.item.product_id, line.item.quantity) for line in again.lines] == [(mug.id, 3)]


def test_adding_a_product_again_increases_its_line(service, user, mug):
    service.add_item(user, mug.id, 2, render=as_is)
    cart = service.add_item(user, mug.id, 1, render=as_is).body.cart
    assert [(line.item.product_id, line.item.quantity) for line in cart.lines] == [(mug.id, 3)]
    assert service.add_item(user, mug.id, 1, render=as_is).body.new_cart_token is None


def test_stock_limit_names_the_available_quantity(service, user, mug):
    service.add_item(user, mug.id, 4, render=as_is)
    with pytest.raises(NotEnoughStock) as refused:
        service.add_item(user, mug.id, 2, render=as_is)
    assert refused.value.status == 409 and refused.value.extra["availableQuantity"] == 5
    assert service.get_cart(user).lines[0].item.quantity == 4


def test_quantity_and_line_limits(service, user, catalog, mug):
    with pytest.raises(ValidationFailed) as too_many:
        service.add_item(user, mug.id, 11, render=as_is)
    assert "quantity" in too_many.value.errors
    with pytest.raises(ValidationFailed):
        service.add_item(user, mug.id, 0, render=as_is)
    others = [product(f"P{i}", stock=50) for i in range(3)]
    for other in others:
        catalog.put(other)
        service.add_item(user, other.id, 1, render=as_is)
    with pytest.raises(Conflict) as full:
        service.add_item(user, mug.id, 1, render=as_is)
    assert full.value.extra == {"maxLines": 3}
    service.add_item(user, others[0].id, 9, render=as_is)  # an existing line still grows up to the per-line limit
    with pytest.raises(ValidationFailed):
        service.add_item(user, others[0].id, 1, render=as_is)


def test_unknown_and_inactive_products_are_refused(service, user, catalog):
    with pytest.raises(NotFound):
        service.add_item(user, uuid4(), 1, render=as_is)
    retired = product("Old", active=False)
    catalog.put(retired)
    with pytest.raises(ValidationFailed) as refused:
        service.add_item(user, retired.id, 1, render=as_is)
    assert "productId" in refused.value.errors


def test_change_quantity_zero_removes_and_other_values_obey_the_rules(service, user, mug):
    service.add_item(user, mug.id, 1, render=as_is)
    assert service.change_quantity(user, mug.id, 5, render=as_is).body.cart.lines[0].item.quantity == 5
    with pytest.raises(NotEnoughStock):
        service.change_quantity(user, mug.id, 6, render=as_is)
    assert service.change_quantity(user, mug.id, 0, render=as_is).body.cart.lines == []
    with pytest.raises(NotFound):
        service.change_quantity(user, mug.id, 1, render=as_is)


def test_remove_and_clear(service, user, catalog, mug):
    tea = next(p for p in catalog.items.values() if p.name == "Tea")
    service.add_item(user, mug.id, 1, render=as_is)
    service.add_item(user, tea.id, 2, render=as_is)
    service.remove_item(user, mug.id)
    assert [line.item.product_id for line in service.get_cart(user).lines] == [tea.id]
    with pytest.raises(NotFound):
        service.remove_item(user, mug.id)
    service.clear(user)
    assert service.get_cart(user).lines == []


def test_prices_are_current_and_a_changed_price_is_flagged(service, user, catalog, mug):
    service.add_item(user, mug.id, 2, render=as_is)
    catalog.put(replace(mug, unit_price=Decimal("9.99")))
    [line] = service.get_cart(user).lines
    assert line.unit_price.amount == Decimal("9.99") and line.line_total.amount == Decimal("19.98")
    assert line.price_changed and line.item.price_when_added == Decimal("12.50")
    # adding again shows the shopper today's price: the line no longer reports a change
    [line] = service.add_item(user, mug.id, 1, render=as_is).body.cart.lines
    assert not line.price_changed


def test_availability_follows_the_catalog(service, user, catalog, mug):
    service.add_item(user, mug.id, 4, render=as_is)
    catalog.put(replace(mug, stock_quantity=2))
    cart = service.get_cart(user)
    assert cart.lines[0].availability is Availability.INSUFFICIENT_STOCK and cart.lines[0].available_quantity == 2
    catalog.put(replace(mug, is_active=False))
    cart = service.get_cart(user)
    assert cart.lines[0].availability is Availability.UNAVAILABLE and cart.subtotal.amount == 0
    del catalog.items[mug.id]
    [line] = service.get_cart(user).lines
    assert line.product is None and line.unit_price is None and line.available_quantity == 0


def test_a_cart_is_priced_with_one_catalog_call_whatever_its_size(service, user, catalog):
    for i in range(3):
        catalog.put(p := product(f"P{i}"))
        service.add_item(user, p.id, 1, render=as_is)
    catalog.calls = 0
    service.get_cart(user)
    service.add_item(user, p.id, 1, render=as_is)
    assert catalog.calls == 2


def test_a_guest_cannot_open_another_cart(service, mug):
    token = service.add_item(Shopper(), mug.id, 1, render=as_is).body.new_cart_token
    parsed = GuestToken.parse(token)
    forged = GuestToken(parsed.cart_id, "guessed-secret").value
    for bad in (forged, "not-a-token", f"{uuid4().hex}.x"):
        with pytest.raises(NotFound):
            service.get_cart(Shopper(cart_token=bad))
        with pytest.raises(NotFound):
            service.add_item(Shopper(cart_token=bad), mug.id, 1, render=as_is)


def test_only_a_hash_of_the_token_is_stored(service, carts, mug):
    token = service.add_item(Shopper(), mug.id, 1, render=as_is).body.new_cart_token
    [cart] = service.uow.committed_state(carts).values()
    assert GuestToken.parse(token).secret not in repr(cart)


def test_a_refused_change_stores_nothing(service, user, carts, mug):
    service.add_item(user, mug.id, 5, render=as_is)
    before = service.uow.committed_state(carts)
    with pytest.raises(NotEnoughStock):
        service.add_item(user, mug.id, 1, render=as_is)
    assert carts.staged == before


def test_sign_in_merges_the_guest_cart_capped_by_stock(service, carts, user, catalog, mug):
    tea = next(p for p in catalog.items.values() if p.name == "Tea")
    retired = product("Old", stock=9)
    catalog.put(retired)
    guest_token = service.add_item(Shopper(), mug.id, 4, render=as_is).body.new_cart_token
    guest = Shopper(cart_token=guest_token)
    service.add_item(guest, tea.id, 2, render=as_is)
    service.add_item(guest, retired.id, 1, render=as_is)
    catalog.put(replace(retired, is_active=False))
    service.add_item(user, mug.id, 3, render=as_is)

    service.merge_guest_cart(user.user_id, guest_token)
    service.uow.commit()  # the sign-in request commits

    cart = service.get_cart(user)
    assert {line.item.product_id: line.item.quantity for line in cart.lines} == {mug.id: 5, tea.id: 2}
    with pytest.raises(NotFound):
        service.get_cart(guest)


def test_merge_ignores_an_unknown_token_and_respects_the_line_limit(service, carts, user, catalog):
    service.merge_guest_cart(user.user_id, "nonsense")
    service.merge_guest_cart(user.user_id, None)
    assert carts.staged == {}
    items = [product(f"P{i}") for i in range(4)]
    for p in items:
        catalog.put(p)
    guest_token = service.add_item(Shopper(), items[0].id, 1, render=as_is).body.new_cart_token
    for p in items[1:3]:
        service.add_item(Shopper(cart_token=guest_token), p.id, 1, render=as_is)
    service.add_item(user, items[3].id, 1, render=as_is)
    service.merge_guest_cart(user.user_id, guest_token)
    assert len(service.get_cart(user).lines) == 3


def test_abandoned_guest_carts_are_deleted_after_their_age(service, clock, user, mug):
    old = service.add_item(Shopper(), mug.id, 1, render=as_is).body.new_cart_token
    service.add_item(user, mug.id, 1, render=as_is)
    clock.now += timedelta(days=20)
    recent = service.add_item(Shopper(), mug.id, 1, render=as_is).body.new_cart_token
    clock.now += timedelta(days=11)
    assert service.delete_abandoned_guest_carts(timedelta(days=30)) == 1
    with pytest.raises(NotFound):
        service.get_cart(Shopper(cart_token=old))
    assert service.get_cart(Shopper(cart_token=recent)).lines
    assert service.get_cart(user).lines


def test_checkout_port_reads_and_clears_a_users_cart(service, carts, user, mug):
    port = CartForCheckout(lambda: carts)
    assert port.lines_for_user(user.user_id) == []
    service.add_item(user, mug.id, 2, render=as_is)
    [line] = port.lines_for_user(user.user_id)
    assert (line.product_id, line.quantity) == (mug.id, 2)
    port.clear_for_user(user.user_id)
    assert port.lines_for_user(user.user_id) == []
