"""What every service that writes a ledger record does."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from resettle.scoping import check_editable


def check_not_future(**dates: dt.date | None) -> None:
    """Refuse dates after today, by field name: a ledger records what has happened."""
    today = dt.date.today()
    errors = {
        name: _("The date cannot be in the future.") for name, d in dates.items() if d and d > today
    }
    if errors:
        raise ValidationError(errors)


def save_checked(obj, *, actor, exclude_unique: bool = False, held: tuple[str, ...] = ()):
    """Validate `obj` (field rules and the model's `clean`), save it with `actor` as the author
    of its history, and check inside the caller's transaction that `actor` may write it.
    `held`: relations whose record the caller read and locked in this transaction (the site a
    record is of), which are not read again to see that they exist (nor, as Django does for a
    field left out, in the uniqueness checks: name none that is part of one)."""
    obj._history_user = actor
    obj.full_clean(
        exclude=list(held), validate_unique=not exclude_unique, validate_constraints=False
    )
    obj.save()
    check_editable(actor, obj)
    return obj
