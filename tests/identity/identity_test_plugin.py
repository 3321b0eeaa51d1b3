"""A plugin as plugin authors write one: it declares permissions and guards its views with them."""

from flask import jsonify
from flask_smorest import Blueprint

from kernel.plugins import hookimpl
from kernel.web.auth import current_user_id, has_permission, login_required, permission_required, require_owner

blp = Blueprint("guarded", __name__, url_prefix="/api/guarded")


@blp.route("/whoami")
def whoami():
    user_id = current_user_id()
    return jsonify(userId=str(user_id) if user_id else None, canWrite=has_permission("widgets:write"))


@blp.route("/members")
@login_required
def members():
    return jsonify(ok=True)


@blp.route("/widgets", methods=["POST"])
@permission_required("widgets:write")
def write_widget():
    return jsonify(ok=True), 201


@blp.route("/reports")
@permission_required("reports:read", "widgets:write")
def reports():
    return jsonify(ok=True)


@blp.route("/owned/<uuid:owner_id>")
@login_required
def owned(owner_id):
    require_owner(owner_id, unless_permission="widgets:write", what="widget")
    return jsonify(ok=True)


@hookimpl
def commerce_permissions():
    return {"widgets:write": ["staff"], "reports:read": []}


@hookimpl
def commerce_blueprints(site):
    return [blp]
