import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_site(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    Person = apps.get_model("households", "Person")
    Person.objects.update(
        site_id=Subquery(Household.objects.filter(pk=OuterRef("household_id")).values("site_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("households", "0002_person_inactive_has_date")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="site",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="persons",
                to="households.site",
                verbose_name="site",
            ),
        ),
        migrations.RunPython(fill_site, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="person",
            name="site",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="persons",
                to="households.site",
                verbose_name="site",
            ),
        ),
    ]
