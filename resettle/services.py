"""What every service that writes a ledger record does."""

from resettle.scoping import check_editable


def save_checked(obj, *, actor, exclude_unique: bool = False):
    """Validate `obj` (field rules and the model's `clean`), save it with `actor` as the author
    of its history, and check inside the caller's transaction that `actor` may write it."""
    obj._history_user = actor
    obj.full_clean(validate_unique=not exclude_unique, validate_constraints=False)
    obj.save()
    check_editable(actor, obj)
    return obj
