"""The identity API's request and response bodies (camelCase on the wire)."""

from __future__ import annotations

import marshmallow as ma

from kernel.identity.passwords import MAX_LENGTH, MIN_LENGTH
from kernel.web.schemas import AddressSchema, CamelSchema, PageQuerySchema, page_schema

NAME = ma.validate.Length(max=100)
EMAIL = ma.validate.Length(max=255)
NEW_PASSWORD = ma.validate.Length(min=MIN_LENGTH, max=MAX_LENGTH)
PASSWORD = ma.validate.Length(max=MAX_LENGTH)  # a longer one is never right: refused before hashing
TOKEN = ma.validate.Length(max=4096)


class RegisterUserSchema(CamelSchema):
    email = ma.fields.String(required=True, validate=EMAIL)
    password = ma.fields.String(required=True, load_only=True, validate=NEW_PASSWORD)
    first_name = ma.fields.String(load_default=None, allow_none=True, validate=NAME)
    last_name = ma.fields.String(load_default=None, allow_none=True, validate=NAME)


class RegisteredUserSchema(CamelSchema):
    """The answer to a registration: ``id``, ``email``, ``firstName``, ``lastName`` and nothing else."""

    id = ma.fields.UUID(required=True)
    email = ma.fields.String(required=True)
    first_name = ma.fields.String(allow_none=True)
    last_name = ma.fields.String(allow_none=True)


class CurrentUserSchema(RegisteredUserSchema):
    roles = ma.fields.List(ma.fields.String(), attribute="role_names")
    email_verified = ma.fields.Boolean(metadata={"description": "Whether a verification link mailed to "
                                                                "``email`` was opened."})


class AdminUserSchema(CurrentUserSchema):
    is_active = ma.fields.Boolean(attribute="active")
    created_at = ma.fields.DateTime()


UserPageSchema = page_schema(AdminUserSchema, "UserPageSchema")


class UserPageQuerySchema(PageQuerySchema):
    email = ma.fields.String(load_default=None, validate=EMAIL)


class LoginSchema(CamelSchema):
    email = ma.fields.String(required=True, validate=EMAIL)
    password = ma.fields.String(required=True, load_only=True, validate=PASSWORD)


class TokenPairSchema(CamelSchema):
    access_token = ma.fields.String(required=True)
    refresh_token = ma.fields.String(required=True, validate=TOKEN)
    token_type = ma.fields.String(required=True)
    expires_in = ma.fields.Integer(required=True, metadata={"description": "Access token lifetime in seconds"})


class RefreshSchema(CamelSchema):
    refresh_token = ma.fields.String(load_default=None, validate=TOKEN,
                                     metadata={"description": "Default: the commerce_refresh cookie's token"})


class LogoutSchema(CamelSchema):
    refresh_token = ma.fields.String(load_default=None, validate=TOKEN)


class ProfileUpdateSchema(CamelSchema):
    """Names only: any other field (email, roles) is refused."""

    first_name = ma.fields.String(allow_none=True, validate=NAME)
    last_name = ma.fields.String(allow_none=True, validate=NAME)


class PasswordChangeSchema(CamelSchema):
    current_password = ma.fields.String(required=True, load_only=True, validate=PASSWORD)
    new_password = ma.fields.String(required=True, load_only=True, validate=NEW_PASSWORD)


class ForgotPasswordSchema(CamelSchema):
    email = ma.fields.String(required=True, validate=EMAIL)


class ResetPasswordSchema(CamelSchema):
    token = ma.fields.String(required=True, load_only=True, validate=TOKEN,
                             metadata={"description": "The token of the mailed link."})
    password = ma.fields.String(required=True, load_only=True, validate=NEW_PASSWORD)


class MailedTokenSchema(CamelSchema):
    token = ma.fields.String(required=True, load_only=True, validate=TOKEN,
                             metadata={"description": "The token of the mailed link."})


class EmailChangeSchema(CamelSchema):
    new_email = ma.fields.String(required=True, validate=EMAIL)
    password = ma.fields.String(required=True, load_only=True, validate=PASSWORD)


class AcceptedSchema(CamelSchema):
    detail = ma.fields.String(required=True)


class AddressBookEntrySchema(AddressSchema):
    """An address to save; ``isDefaultShipping``/``isDefaultBilling`` make it the default (taking
    that role from the address that had it)."""

    is_default_shipping = ma.fields.Boolean(load_default=False)
    is_default_billing = ma.fields.Boolean(load_default=False)


class SavedAddressSchema(AddressBookEntrySchema):
    id = ma.fields.UUID(dump_only=True)
    created_at = ma.fields.DateTime(dump_only=True)
