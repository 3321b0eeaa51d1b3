"""``/admin/jobs``: a small server-rendered page for staff: counts by state, the latest
failures and the latest runs (the Hangfire dashboard's role)."""

from __future__ import annotations

from flask import Blueprint, render_template

from kernel.jobs.api import monitor
from kernel.web.auth import permission_required

dashboard = Blueprint("jobs_dashboard", __name__, url_prefix="/admin/jobs", template_folder="templates")


@dashboard.get("")
@permission_required("jobs:read")
def jobs_page():
    return render_template("jobs/dashboard.html", overview=monitor().overview())
