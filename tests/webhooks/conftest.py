"""Webhook sites are event sites: one PostgreSQL schema and one Redis per test."""

from tests.events.conftest import make_site  # noqa: F401 - the fixture, for this folder's tests
