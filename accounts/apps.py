"""A user's own account: the API tokens they hold."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # A password change and a deactivation revoke the user's API tokens.
        from accounts import signals  # noqa: F401
