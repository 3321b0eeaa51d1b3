"""``GET /api/admin/tax/rates``: the site's tax rates for staff (``tax:read``). They are set in
the site file (decision 0029), so there is nothing to write."""

from __future__ import annotations

from flask_smorest import Blueprint

from kernel.context import commerce
from kernel.web.auth import permission_required
from plugins.tax.schemas import TaxConfigurationSchema

READ = "tax:read"

blp = Blueprint("tax_admin", __name__, url_prefix="/api/admin/tax",
                description="The site's tax rates, as its site file sets them (tax:read).")


@blp.route("/rates", methods=["GET"])
@permission_required(READ)
@blp.response(200, TaxConfigurationSchema)
def rates():
    """Every rate by country, region and tax class, and whether prices and shipping include or bear tax."""
    settings = commerce().site.settings("tax")
    ordered = sorted(settings["rates"], key=lambda rate: (rate.country, rate.region or "", rate.tax_class, rate.code))
    return {**settings, "rates": ordered}
