"""Change history (django-simple-history) as people read it: which field, from what to what;
choice labels instead of codes, sensitive values masked unless revealed. And the values a row
held before its first recorded change, for rows loaded without a history (the demo seed, a
database loaded before the imports kept one)."""

from collections.abc import Callable, Iterable

from django.db import connection, models

from resettle.masking import SENSITIVE_FIELDS

Display = Callable[..., str]


def display_value(model: type[models.Model], field_name: str, value, *, reveal: bool) -> str:
    if value is None or value == "":
        return ""
    field = model._meta.get_field(field_name)
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    if field_name in SENSITIVE_FIELDS and not reveal:
        value = SENSITIVE_FIELDS[field_name](str(value))
    return str(value)


def record_changes(
    model: type[models.Model], older, newer, *, reveal: bool, display: Display = display_value
) -> list[dict]:
    """The fields that differ between two historical records of `model`."""
    delta = newer.diff_against(older, excluded_fields=["version"])
    return [
        {
            "field": change.field,
            "label": str(model._meta.get_field(change.field).verbose_name),
            "old": display(model, change.field, change.old, reveal=reveal),
            "new": display(model, change.field, change.new, reveal=reveal),
        }
        for change in delta.changes
    ]


def keeps_history(model: type[models.Model]) -> bool:
    """Whether `model` has a change history (django-simple-history's HistoricalRecords)."""
    return hasattr(model._meta, "simple_history_manager_attribute")


def record_previous_values(model: type[models.Model], pks: Iterable) -> int:
    """Before the rows `pks` of `model` (which keeps a history) change or go: a creation record
    ("+") of the values each holds now, for those with no record yet (rows loaded in bulk without
    one, as the demo seed does), dated when the row was created (its `created`, which every
    model with a history has from TimeStampedModel) and attributed to nobody; the change then
    shows what it changed from. Returns how many were written: none for rows written through the
    services or the imports, which have their records (then one query reads that). Inside the
    caller's transaction."""
    history = model.history.model
    name = model._meta.pk.attname
    pks = set(pks)
    if pks:
        # Which already have a record: a read by the history's index on the key (a NOT EXISTS
        # in the INSERT was planned as a scan of the whole history).
        recorded = history.objects.filter(**{f"{name}__in": pks}).order_by()
        pks -= set(recorded.values_list(name, flat=True).distinct())
    if not pks:
        return 0
    quote = connection.ops.quote_name
    tracked = [
        f.column for f in history._meta.concrete_fields if not f.attname.startswith("history_")
    ]
    stamps = ("history_date", "history_type", "history_user_id", "history_change_reason")
    columns = ", ".join(quote(c) for c in (*tracked, *stamps))
    values = ", ".join(quote(c) for c in tracked)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({columns})"
            f" SELECT {values}, {quote('created')}, '+', NULL, NULL"
            f" FROM {quote(model._meta.db_table)}"
            f" WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(pks))})",
            sorted(pks),
        )
        return cursor.rowcount


def keep_previous_values(sender, instance, raw: bool = False, **kwargs) -> None:
    """pre_save and pre_delete of the models that keep a history: record the values the row
    holds before it changes, if it has no record yet (`record_previous_values`). Not for new
    rows, nor for fixtures being loaded (raw), which simple-history does not record either."""
    if raw or instance._state.adding or instance.pk is None:
        return
    record_previous_values(sender, [instance.pk])
