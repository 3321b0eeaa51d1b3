"""``GET /api/admin/shipping/methods``: the site's shipping methods and zones for staff
(``shipping:read``). They are set in the site file (decision 0029), so there is nothing to write."""

from __future__ import annotations

from flask_smorest import Blueprint

from kernel.context import commerce
from kernel.web.auth import permission_required
from plugins.shipping.schemas import ShippingConfigurationSchema

READ = "shipping:read"

blp = Blueprint("shipping_admin", __name__, url_prefix="/api/admin/shipping",
                description="The site's shipping methods and zones, as its site file sets them (shipping:read).")


@blp.route("/methods", methods=["GET"])
@permission_required(READ)
@blp.response(200, ShippingConfigurationSchema)
def methods():
    """Every method with the countries and zones it ships to, its rate and bands and its free limit;
    the zones with their countries."""
    settings = commerce().site.settings("shipping")
    return {"zones": settings["zones"], "methods": settings["methods"]}
