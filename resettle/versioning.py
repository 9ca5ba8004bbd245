"""Optimistic locking of versioned records (resettle.models.VersionedModel)."""

import itertools

from django.db import models

from resettle.exceptions import VersionConflict


def fields_changed_since(instance: models.Model, version: int) -> list[str]:
    """Names of the fields changed after `version`, read from the record's change history."""
    history = getattr(instance, "history", None)
    if history is None:
        return []
    records = list(history.filter(version__gte=version).order_by("version", "history_id"))
    changed: list[str] = []
    for older, newer in itertools.pairwise(records):
        for change in newer.diff_against(older, excluded_fields=["version"]).changes:
            label = str(type(instance)._meta.get_field(change.field).verbose_name)
            if label not in changed:
                changed.append(label)
    return changed


def versioned_update(instance: models.Model, *, changes: dict, version: int, actor=None):
    """Apply `changes` to `instance` if nobody saved it since `version`; raise VersionConflict
    otherwise. Must run inside a transaction: the row is locked until it ends."""
    model = type(instance)
    current = model._default_manager.select_for_update().get(pk=instance.pk)
    if current.version != version:
        raise VersionConflict(
            current_version=current.version,
            given_version=version,
            changed_fields=fields_changed_since(current, version),
        )
    for name, value in changes.items():
        setattr(current, name, value)
    current.version = version + 1
    current._history_user = actor
    return current
