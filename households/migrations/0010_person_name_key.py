"""Person.name_key: the name as a search compares it (resettle.cleaning.name_key), filled for
the members already recorded, and indexed for prefix searches on both databases."""

from django.db import migrations, models

from resettle.cleaning import name_key

BATCH = 2000


def fill_name_keys(apps, schema_editor):
    Person = apps.get_model("households", "Person")
    changed = []
    for person in Person.objects.only("id", "name").iterator(chunk_size=BATCH):
        person.name_key = name_key(person.name)
        changed.append(person)
        if len(changed) == BATCH:
            Person.objects.bulk_update(changed, ["name_key"])
            changed.clear()
    Person.objects.bulk_update(changed, ["name_key"])


def index_for_like_on_sqlite(apps, schema_editor):
    # A search is `name_key LIKE 'key%'`. PostgreSQL answers it from the varchar_pattern_ops
    # index Django makes beside db_index; SQLite's LIKE ignores case, so it takes an index only
    # when the index ignores case too (the keys are lower case already).
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE INDEX households_person_name_key_nocase "
            "ON households_person (name_key COLLATE NOCASE)"
        )


def drop_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS households_person_name_key_nocase")


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0009_disability_grade_blank_is_unknown"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="name_key",
            field=models.CharField(
                db_index=True,
                default="",
                editable=False,
                max_length=64,
                verbose_name="name as searched",
            ),
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
        migrations.RunPython(index_for_like_on_sqlite, drop_sqlite_index),
    ]
