"""A user's API tokens end with their password and with their account: changing the password
(the admin, the password change page, `manage.py changepassword`, any `set_password` then
`save`) or deactivating the account revokes every token they hold."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from accounts.services import Revoked, api_tokens_revoke

User = get_user_model()
WATCHED = {"password", "is_active"}


@receiver(pre_save, sender=User, dispatch_uid="accounts.remember_account_before")
def remember_account_before(sender, instance, raw=False, update_fields=None, **kwargs):
    """Keep the stored password hash and active flag, to compare after the save."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not WATCHED & set(update_fields):
        return  # a sign-in's last_login, say
    instance._account_before = (
        User.objects.filter(pk=instance.pk).values_list("password", "is_active").first()
    )


@receiver(post_save, sender=User, dispatch_uid="accounts.revoke_tokens_on_change")
def revoke_tokens_on_change(sender, instance, created, update_fields=None, **kwargs):
    """Revoke the user's tokens when the save changed their password or deactivated them.

    Django re-hashes a password with a newer hasher when its user signs in
    (AbstractBaseUser.check_password: it clears `_password` and saves the password field
    alone, "hash upgrades shouldn't be considered password changes"): the same password, so
    the tokens stay."""
    before = instance.__dict__.pop("_account_before", None)
    if created or before is None:
        return
    password_before, active_before = before
    rehashed = (
        update_fields is not None
        and set(update_fields) == {"password"}
        and getattr(instance, "_password", None) is None
    )
    if instance.password != password_before and not rehashed:
        api_tokens_revoke(user=instance, reason=Revoked.PASSWORD_CHANGED)
    elif active_before and not instance.is_active:
        api_tokens_revoke(user=instance, reason=Revoked.DEACTIVATED)
