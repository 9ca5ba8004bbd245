"""Optimistic locking of versioned records (resettle.models.VersionedModel)."""

import itertools

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from resettle.exceptions import VersionConflict
from resettle.history import record_changes


def changes_since(instance: models.Model, version: int) -> list[dict]:
    """What was changed after `version`, by whom and when, read from the record's history;
    sensitive values masked."""
    history = getattr(instance, "history", None)
    if history is None:
        return []
    records = list(
        history.filter(version__gte=version)
        .select_related("history_user")
        .order_by("version", "history_id")
    )
    model = type(instance)
    return [
        {
            "user": newer.history_user.get_username() if newer.history_user else "",
            "at": newer.history_date,
            **change,
        }
        for older, newer in itertools.pairwise(records)
        for change in record_changes(model, older, newer, reveal=False)
    ]


def versioned_update(instance: models.Model, *, changes: dict, version: int, actor=None):
    """Apply `changes` to `instance` if nobody saved it since `version`; raise VersionConflict
    otherwise. Must run inside a transaction: the row is locked until it ends."""
    model = type(instance)
    if version is None:
        raise ValidationError(
            {"version": _("The page is out of date: reload it and make your edit again.")}
        )
    current = model._default_manager.select_for_update().get(pk=instance.pk)
    if current.version != version:
        raise VersionConflict(
            model=model._meta.label_lower,
            label=f"{model._meta.verbose_name} {current}",
            pk=current.pk,
            current_version=current.version,
            given_version=version,
            changes=changes_since(current, version),
        )
    for name, value in changes.items():
        setattr(current, name, value)
    current.version = version + 1
    current._history_user = actor
    return current
