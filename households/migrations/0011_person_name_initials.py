"""Person.name_initials: the initials of the name's pinyin (resettle.cleaning.name_initials),
filled for the members already recorded, and indexed for prefix searches on both databases."""

from django.db import migrations, models
from django.db.models import Case, Value, When

from resettle.cleaning import name_initials

# Distinct names per statement: few enough that each row's CASE stays short.
BATCH = 200


def _write(Person, initials: dict[str, str]) -> None:
    Person.objects.filter(name_key__in=list(initials)).update(
        name_initials=Case(
            *(When(name_key=key, then=Value(value)) for key, value in initials.items()),
            default=Value(""),
        )
    )


def fill_initials(apps, schema_editor):
    # By name_key (indexed, and what the initials are made from): names repeat, so a province's
    # two million members take one statement per BATCH distinct names, not per member.
    Person = apps.get_model("households", "Person")
    initials: dict[str, str] = {}
    keys = list(Person.objects.order_by().values_list("name_key", flat=True).distinct())
    for key in keys:
        initials[key] = name_initials(key)
        if len(initials) == BATCH:
            _write(Person, initials)
            initials.clear()
    if initials:
        _write(Person, initials)


def index_for_like_on_sqlite(apps, schema_editor):
    # As for name_key (0010): SQLite's LIKE takes an index only when the index ignores case.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE INDEX households_person_name_initials_nocase "
            "ON households_person (name_initials COLLATE NOCASE)"
        )


def drop_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS households_person_name_initials_nocase")


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0010_person_name_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="name_initials",
            field=models.CharField(
                db_index=True,
                default="",
                editable=False,
                max_length=64,
                verbose_name="initials as searched",
            ),
        ),
        migrations.RunPython(fill_initials, migrations.RunPython.noop),
        migrations.RunPython(index_for_like_on_sqlite, drop_sqlite_index),
    ]
