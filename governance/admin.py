"""Governance's models in the admin: site governance registers its own (governance.sitegov)."""

from governance.sitegov import admin  # noqa: F401
