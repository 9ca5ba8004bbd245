"""Loading many new rows at once: PostgreSQL's binary COPY where we run on it, `bulk_create`
elsewhere. Used by the demo seed and by the Excel imports (with their change history)."""

from __future__ import annotations

import contextlib
import enum
import operator
from collections.abc import Iterable, Iterator, Sequence

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from resettle.excel import CHANGED_MEANWHILE
from resettle.history import record_previous_values


def column_types(cursor, model: type[models.Model], columns: Sequence[str]) -> list[int]:
    """The type OIDs of the columns, which a binary COPY needs."""
    cursor.execute(
        "SELECT attname, atttypid FROM pg_attribute"
        " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        [model._meta.db_table],
    )
    types = dict(cursor.fetchall())
    return [types[column] for column in columns]


def copy_sql(model: type[models.Model], columns: Sequence[str]) -> str:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    return f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN (FORMAT BINARY)"


@contextlib.contextmanager
def bulk_loading(models_: Iterable[type[models.Model]]) -> Iterator[None]:
    """Around filling the tables of `models_` with many rows, inside the caller's transaction.

    This is a loading trick, not schema: the DDL below drops what the migrations made and makes
    exactly the same again before the block's transaction can commit, as the PostgreSQL manual
    advises for populating a database (§14.4, "Remove Indexes", "Remove Foreign Key
    Constraints"): one sort per index and one join per foreign key after the load, instead of an
    index insertion and a key check for each row. On PostgreSQL: lock the tables (nobody else
    takes the primary keys a loader gives), drop their secondary indexes (not those that back a
    primary key or a unique constraint) and their foreign keys; after the block create them
    again from their definitions as read before, then ANALYZE. Elsewhere, or without models:
    nothing. Used by the demo seed (resettle.demo)."""
    tables = [m._meta.db_table for m in models_]
    if connection.vendor != "postgresql" or not tables:
        yield
        return
    with connection.cursor() as cursor:
        # Run foreign-key checks still deferred from earlier writes in this transaction: a table
        # with pending trigger events cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
        cursor.execute(f"LOCK TABLE {quoted} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            """
            SELECT pg_get_indexdef(i.indexrelid), i.indexrelid::regclass::text
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
            FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
            """,
            [tables],
        )
        foreign_keys = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for _definition, name in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for definition, _name in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        cursor.execute(f"ANALYZE {quoted}")


def _copy(cursor, model: type[models.Model], columns: Sequence[str], rows) -> None:
    types = column_types(cursor, model, columns)  # not during the COPY: it holds the line
    with cursor.copy(copy_sql(model, columns)) as copy:
        copy.set_types(types)
        write = copy.write_row
        for row in rows:
            write(row)


def _take_ids(cursor, model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys from the table's sequence, which concurrent inserts will not take."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [model._meta.db_table, count],
    )
    return [row[0] for row in cursor.fetchall()]


def insert_with_history(model: type[models.Model], objs: list[models.Model], *, user) -> None:
    """Insert the unsaved `objs` and a creation record ("+") for each in the model's history,
    attributed to `user`; afterwards each obj has its primary key. Inside the caller's
    transaction."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        bulk_create_with_history(objs, model, batch_size=1000, default_user=user)
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields]
    stamped = {
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    history = model.history.model
    # The COPY goes to the driver's own cursor: its errors are made Django's (a unique key
    # taken meanwhile is an IntegrityError, which the import answers in words), as the cursor
    # Django wraps would make them.
    with connection.cursor() as wrapper, connection.wrap_database_errors:
        cursor = wrapper.cursor
        for obj, pk in zip(objs, _take_ids(cursor, model, len(objs)), strict=True):
            obj.pk = pk
            for name in stamped:
                setattr(obj, name, now)
            obj._state.adding = False
            obj._state.db = connection.alias
        _copy(cursor, model, [f.attname for f in fields], _rows(objs, fields))
        extra = {
            "history_date": now,
            "history_change_reason": None,
            "history_type": "+",
            "history_user_id": user.pk if user is not None else None,
        }
        tracked = [
            f
            for f in history._meta.concrete_fields
            if f.attname not in extra and f.attname != "history_id"
        ]
        values = list(extra.values())
        _copy(
            cursor,
            history,
            [f.attname for f in tracked] + list(extra),
            (row + values for row in _rows(objs, tracked)),
        )


def _rows(objs, fields):
    """The objects' values; choices members (TextChoices) as their value, not an enumeration."""
    get = operator.attrgetter(*(f.attname for f in fields))
    with_choices = [i for i, f in enumerate(fields) if f.choices]
    for obj in objs:
        row = list(get(obj))
        for i in with_choices:
            if isinstance(row[i], enum.Enum):
                row[i] = row[i].value
        yield row


# Rows per UPDATE statement of an import.
UPDATE_BATCH = 1000


def update_with_history(
    model: type[models.Model], objs: list[models.Model], fields, *, user
) -> None:
    """Save `fields` of the changed, versioned `objs` (as read, with their `version`) and a change
    record ("~") for each, attributed to `user`, after what a row loaded without a history held
    (`record_previous_values`); their versions go up by one. Refused with
    CHANGED_MEANWHILE when someone saved one of them since it was read. Inside the caller's
    transaction."""
    if not objs:
        return
    planned = {o.pk: o.version for o in objs}
    for start in range(0, len(objs), 5000):
        part = [o.pk for o in objs[start : start + 5000]]
        rows = model.objects.select_for_update().filter(pk__in=part).values_list("pk", "version")
        if any(planned[pk] != version for pk, version in rows):
            raise ValidationError(str(CHANGED_MEANWHILE))
        # Rows loaded without a history: what they held before this import changes them.
        record_previous_values(model, part)
    now = timezone.now()
    for obj in objs:
        obj.version += 1
        obj.updated = now
    bulk_update_with_history(
        objs,
        model,
        sorted(set(fields) | {"version", "updated"}),
        batch_size=UPDATE_BATCH,
        default_user=user,
    )
