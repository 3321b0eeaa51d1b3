"""``/api/admin/jobs``: the job runs of the site, for staff (``jobs:read``, ``jobs:manage``)."""

from __future__ import annotations

import uuid

from flask_smorest import Blueprint

from kernel.jobs.platform import jobs_platform
from kernel.jobs.schemas import JobRunDetailSchema, JobRunPageSchema, JobRunQuerySchema, JobStateCountsSchema
from kernel.jobs.services import JobMonitor
from kernel.web.auth import permission_required

blp = Blueprint("jobs_admin", __name__, url_prefix="/api/admin/jobs",
                description="Background jobs: every run, its state, attempts and error; retry a failed one.")


def monitor() -> JobMonitor:
    platform = jobs_platform()
    return JobMonitor(platform.repository, platform.dispatcher)


@blp.route("", methods=["GET"])
@permission_required("jobs:read")
@blp.arguments(JobRunQuerySchema, location="query")
@blp.response(200, JobRunPageSchema)
def list_jobs(query):
    """Job runs, newest first; filter by ``state`` and ``task``."""
    items, total = monitor().list(state=query.get("state"), task=query.get("task"), page=query["page"],
                                  page_size=query["page_size"])
    return {"items": items, "total_count": total, "page": query["page"], "page_size": query["page_size"]}


@blp.route("/counts", methods=["GET"])
@permission_required("jobs:read")
@blp.response(200, JobStateCountsSchema)
def count_jobs():
    """How many job runs are in each state (every state is listed, zero included)."""
    return monitor().counts()


@blp.route("/<uuid:job_id>", methods=["GET"])
@permission_required("jobs:read")
@blp.response(200, JobRunDetailSchema)
def get_job(job_id: uuid.UUID):
    """One job run with its arguments, last error and traceback."""
    return monitor().get(job_id)


@blp.route("/<uuid:job_id>/retry", methods=["POST"])
@permission_required("jobs:manage")
@blp.response(202, JobRunDetailSchema)
@blp.alt_response(409, description="The job has not failed (only a failed job can be retried).")
def retry_job(job_id: uuid.UUID):
    """Queue a failed job again with a fresh set of attempts."""
    return monitor().retry(job_id)
