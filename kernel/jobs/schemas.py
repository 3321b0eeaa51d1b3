"""Wire shapes of the jobs admin API (camelCase)."""

from __future__ import annotations

import marshmallow as ma

from kernel.jobs import domain
from kernel.web.schemas import CamelSchema, PageQuerySchema, page_schema


class JobRunQuerySchema(PageQuerySchema):
    state = ma.fields.String(validate=ma.validate.OneOf(domain.STATES))
    task = ma.fields.String(validate=ma.validate.Length(min=1, max=200))


class JobRunSchema(CamelSchema):
    id = ma.fields.UUID(required=True)
    task = ma.fields.String(required=True)
    state = ma.fields.String(required=True, metadata={"enum": list(domain.STATES)})
    attempts = ma.fields.Integer(required=True)
    max_attempts = ma.fields.Integer(required=True)
    arguments_summary = ma.fields.String(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    run_after = ma.fields.AwareDateTime(required=True)
    started_at = ma.fields.AwareDateTime(allow_none=True)
    finished_at = ma.fields.AwareDateTime(allow_none=True)
    error = ma.fields.String(allow_none=True)


class JobArgumentsSchema(CamelSchema):
    args = ma.fields.List(ma.fields.Raw(), required=True)
    kwargs = ma.fields.Dict(keys=ma.fields.String(), required=True)


class JobRunDetailSchema(JobRunSchema):
    arguments = ma.fields.Nested(JobArgumentsSchema, required=True)
    traceback = ma.fields.String(allow_none=True)
    request_id = ma.fields.String(allow_none=True)
    dispatched_at = ma.fields.AwareDateTime(allow_none=True)
    lease_expires_at = ma.fields.AwareDateTime(allow_none=True)


# The number of job runs in each state, every state listed (zero included).
JobStateCountsSchema = CamelSchema.from_dict({state: ma.fields.Integer(required=True) for state in domain.STATES},
                                             name="JobStateCountsSchema")


JobRunPageSchema = page_schema(JobRunSchema, "JobRunPageSchema")
