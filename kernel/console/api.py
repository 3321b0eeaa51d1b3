"""``GET /api/admin/site``: what the staff console needs to know before it draws a page."""

from __future__ import annotations

from flask_smorest import Blueprint

from kernel.console.domain import CONSOLE_OPEN, ConsoleSite
from kernel.console.schemas import ConsoleSiteSchema
from kernel.context import commerce
from kernel.web.auth import has_permission, permission_required

blp = Blueprint("console", __name__, url_prefix="/api/admin", description="The staff console's view of the site.")


@blp.route("/site", methods=["GET"])
@permission_required(CONSOLE_OPEN)
@blp.response(200, ConsoleSiteSchema)
def site():
    """The site's plugins and the caller's permissions: the console shows a page only when its
    plugin is enabled and the caller may use it."""
    running = commerce()
    declared = running.identity.grants.declared
    return ConsoleSite.describe(running.site.name, running.site.currency, running.site.plugins,
                                (name for name in declared if has_permission(name)))
