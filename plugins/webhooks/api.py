"""``/api/admin/webhooks``: staff holding ``webhooks:manage`` register endpoints, read their
delivery log and replay a delivery. Views parse, call one use case, answer."""

from __future__ import annotations

from uuid import UUID

from flask_smorest import Blueprint

from kernel.web.auth import permission_required
from plugins.webhooks import bootstrap
from plugins.webhooks.schemas import (
    WebhookDeliveriesQuerySchema,
    WebhookDeliveryPageSchema,
    WebhookEndpointCreatedSchema,
    WebhookEndpointCreateSchema,
    WebhookEndpointListSchema,
    WebhookEndpointSchema,
    WebhookEndpointUpdateSchema,
    WebhookReplaySchema,
)

MANAGE = "webhooks:manage"

blp = Blueprint("webhooks", __name__, url_prefix="/api/admin/webhooks",
                description="Outgoing webhooks: endpoints, their delivery log, replays (webhooks:manage).")


@blp.route("", methods=["POST"])
@permission_required(MANAGE)
@blp.arguments(WebhookEndpointCreateSchema)
@blp.response(201, WebhookEndpointCreatedSchema)
def create_endpoint(body):
    """Register an endpoint; the answer holds its signing secret, shown this once."""
    return bootstrap.endpoints().create(body["url"], body["event_types"], body["description"])


@blp.route("", methods=["GET"])
@permission_required(MANAGE)
@blp.response(200, WebhookEndpointListSchema)
def list_endpoints():
    """Every endpoint (without secrets)."""
    return {"items": bootstrap.endpoints().list()}


@blp.route("/<uuid:endpoint_id>", methods=["GET"])
@permission_required(MANAGE)
@blp.response(200, WebhookEndpointSchema)
def get_endpoint(endpoint_id: UUID):
    """One endpoint (without its secret)."""
    return bootstrap.endpoints().get(endpoint_id)


@blp.route("/<uuid:endpoint_id>", methods=["PATCH"])
@permission_required(MANAGE)
@blp.arguments(WebhookEndpointUpdateSchema)
@blp.response(200, WebhookEndpointSchema)
def update_endpoint(changes, endpoint_id: UUID):
    """Change an endpoint; ``enabled: true`` turns a disabled one on again."""
    return bootstrap.endpoints().update(endpoint_id, changes)


@blp.route("/<uuid:endpoint_id>", methods=["DELETE"])
@permission_required(MANAGE)
@blp.response(204)
def delete_endpoint(endpoint_id: UUID):
    """Remove an endpoint and its delivery log."""
    bootstrap.endpoints().delete(endpoint_id)


@blp.route("/<uuid:endpoint_id>/deliveries", methods=["GET"])
@permission_required(MANAGE)
@blp.arguments(WebhookDeliveriesQuerySchema, location="query")
@blp.response(200, WebhookDeliveryPageSchema)
def list_deliveries(query, endpoint_id: UUID):
    """The endpoint's delivery log, newest first: state, attempts, answer code, duration."""
    items, total = bootstrap.endpoints().deliveries(endpoint_id, query["page"], query["page_size"])
    return {"items": items, "total_count": total, "page": query["page"], "page_size": query["page_size"]}


@blp.route("/<uuid:endpoint_id>/deliveries/<uuid:delivery_id>/replay", methods=["POST"])
@permission_required(MANAGE)
@blp.response(202, WebhookReplaySchema)
def replay_delivery(endpoint_id: UUID, delivery_id: UUID):
    """Send a delivery again (a new round of attempts)."""
    return bootstrap.endpoints().replay(endpoint_id, delivery_id)
