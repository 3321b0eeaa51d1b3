"""Every way a plugin extends the platform.

A plugin is a module with a ``manifest`` (see :class:`kernel.plugins.PluginManifest`) and
functions marked ``@hookimpl`` whose names match the specs below. An implementation may
accept any subset of a spec's arguments, so specs can grow without breaking plugins.
Set ``COMMERCE_TRACE_HOOKS=1`` to log every hook call.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("commerce")


# --- building a site's app -------------------------------------------------


@hookspec
def commerce_blueprints(site):
    """Return a list of ``flask_smorest.Blueprint`` objects to register on the site's API.

    ``site`` is the :class:`kernel.site.SiteConfig`. Routes live under ``/api``.
    """


@hookspec
def commerce_tables():
    """Return the SQLAlchemy ``Table`` objects this plugin owns.

    A site creates, migrates and compares only the kernel's tables and those of its
    enabled plugins, so a plugin a site does not enable has no tables there.
    """


@hookspec
def commerce_migration_dirs():
    """Return a list of folders holding this plugin's Alembic versions.

    The plugin's revisions form their own branch, labelled with the plugin's name: the first
    has ``down_revision=None``, ``branch_labels=("<name>",)`` and ``depends_on`` the kernel
    revision it builds on (``commerce db revision <name> -m ...`` writes it so). New revisions
    go to the first folder; a site upgrades only the branches of the plugins it enables.
    """


@hookspec
def commerce_permissions():
    """Return the permission names this plugin checks, e.g. ``["catalog:write"]``.

    Return a dict ``{permission: [role, ...]}`` to also grant them to roles by default
    (``admin`` always holds every permission).
    """


@hookspec
def commerce_tasks(site):
    """Return a list of :class:`kernel.jobs.TaskSpec` (background and periodic jobs).

    Each task runs in its site's app context and its own unit of work.
    """


@hookspec
def commerce_cli_commands():
    """Return ``click`` commands or groups to add under the ``commerce`` command."""


@hookspec
def commerce_app_created(app, site):
    """Called once the site's Flask ``app`` is built and every blueprint is registered.

    For plugin set-up that needs the app (extensions, request hooks). Keep it cheap.
    """


@hookspec
def commerce_cached_reads(app, site):
    """Return ``{endpoint: kernel.web.cached_reads.CachedRead}``: reads this plugin can answer from
    its cache before the request reaches Flask.

    ``read(view_args, query)`` gets the matched route's arguments and the parsed query string and
    returns the cached answer (``body`` bytes and unquoted ``etag``) only when the view would send
    exactly that with a 200; anything else (a miss, a query it does not accept) returns ``None``
    and the app answers. Only plain anonymous GETs are offered (see the module's docstring).
    """


# --- ports that one plugin provides to others ------------------------------


@hookspec(firstresult=True)
def commerce_catalog_port(site):
    """Return the site's :class:`kernel.domain.ports.catalog.CatalogPort` implementation."""


@hookspec(firstresult=True)
def commerce_cart_port(site):
    """Return the site's :class:`kernel.domain.ports.cart.CartPort` implementation."""


@hookspec
def commerce_pricing_steps(site):
    """Return :class:`kernel.domain.pricing.PricingStep` objects: this plugin's part in pricing
    carts and orders (discounts, shipping charges, taxes).

    The kernel runs every site's steps in stage order (promotions, shipping, tax) for
    ``GET /api/cart`` and again at checkout, where each step's ``redeem`` records what the
    order used up. A step returns adjustments, never totals. See ``docs/pricing.md``.
    """


@hookspec
def commerce_payment_providers(site):
    """Return payment provider instances (the kernel's payment port) this plugin offers."""


# --- identity events --------------------------------------------------------


@hookspec
def commerce_user_signed_in(user_id, guest_cart_token):
    """A user registered or logged in. ``guest_cart_token`` is the ``X-Cart-Token`` header
    of that request or ``None``, so that a guest cart can be merged into the user's cart.
    Runs inside the request's transaction.
    """


@hookspec
def commerce_email_verified(user_id, email):
    """A user proved they read ``email`` (a verification or email-change link was opened): it is
    now their verified address. Runs inside that request's transaction, so that work done here
    (guest orders of that address joining the account) is kept exactly when the change is.
    """


# --- domain events (delivered after the transaction that raised them commits) ---


@hookspec
def commerce_order_placed(event):
    """An order was created (:class:`kernel.domain.events.OrderPlaced`)."""


@hookspec
def commerce_order_paid(event):
    """An order's payment was confirmed by its provider (:class:`kernel.domain.events.OrderPaid`)."""


@hookspec
def commerce_order_cancelled(event):
    """An order was cancelled (:class:`kernel.domain.events.OrderCancelled`)."""


@hookspec
def commerce_order_refunded(event):
    """An order was refunded in full or in part (:class:`kernel.domain.events.OrderRefunded`)."""


@hookspec
def commerce_order_status_changed(event):
    """An order moved from one status to another (:class:`kernel.domain.events.OrderStatusChanged`),
    with who and when recorded in its history; fired for every transition, next to the specific
    placed/paid/cancelled/refunded events."""


@hookspec
def commerce_stock_low(event):
    """A product's stock fell to or below its threshold (:class:`kernel.domain.events.StockLow`).

    Fired once per crossing, not on every later sale.
    """


@hookspec
def commerce_events_stored(events):
    """Domain events were just written to the event outbox, inside the transaction that raised
    them (a list of :class:`kernel.events.domain.StoredEvent`, each numbered by ``id``).

    Runs before that transaction commits: work stored here (a job enqueued, a row written) is
    kept exactly when the events are. Keep it cheap, it runs on the write path of every commit
    that raised events.
    """
