"""API tokens: django-rest-knox's token (only its hash is kept) with a name and its last use."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS


class ApiToken(AbstractAuthToken):
    """An API token of one user, for one script or integration (its `name`).

    django-rest-knox makes, hashes and checks it: the secret is shown once when issued and
    never stored; `digest` is its hash and `token_key` its first characters, by which it is
    looked up and which the lists show. It stops working `API_TOKEN_IDLE` after its last use and
    `API_TOKEN_MAX_AGE` after it was issued, however often used (`expiry` holds the earlier of
    the two); revoking deletes it (accounts.services)."""

    id = models.BigAutoField(primary_key=True)
    # Knox makes the hash the primary key; a number is the id the API and pages name instead,
    # so that no list shows even the hash.
    digest = models.CharField(_("hash"), max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    token_key = models.CharField(
        _("begins with"),
        max_length=CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH + CONSTANTS.TOKEN_KEY_LENGTH,
        db_index=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="auth_token_set",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=64)
    created = models.DateTimeField(_("issued"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    expiry = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="apitoken_one_name_per_user")
        ]

    def __str__(self):
        return f"{self.user} · {self.name} ({self.token_key}…)"
