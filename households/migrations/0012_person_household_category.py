"""Person.household_category: the household's relocation category kept on each member, as the
site is (households.services.members_follow), filled for the members already recorded in one
statement."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_categories(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    Person = apps.get_model("households", "Person")
    category = Household.objects.filter(pk=OuterRef("household_id")).values("category")[:1]
    Person.objects.update(household_category=Subquery(category))


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0011_person_name_initials"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="household_category",
            field=models.CharField(
                blank=True,
                choices=[
                    ("registered_poor", "Registered poor relocated household"),
                    ("concurrent", "Concurrently relocated household"),
                ],
                default="",
                editable=False,
                max_length=16,
                verbose_name="relocation category",
            ),
        ),
        migrations.RunPython(fill_categories, migrations.RunPython.noop),
    ]
