"""Person.name_initials: the initials of the name's pinyin (resettle.cleaning.name_initials),
filled for the members already recorded, and indexed for prefix searches on both databases."""

from django.db import migrations, models

from resettle.cleaning import name_initials

BATCH = 2000


def fill_initials(apps, schema_editor):
    Person = apps.get_model("households", "Person")
    changed = []
    for person in Person.objects.only("id", "name").iterator(chunk_size=BATCH):
        person.name_initials = name_initials(person.name)
        changed.append(person)
        if len(changed) == BATCH:
            Person.objects.bulk_update(changed, ["name_initials"])
            changed.clear()
    Person.objects.bulk_update(changed, ["name_initials"])


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
