"""Reference data: the national monitoring line of 2021, 6,000 yuan per person per year (国家
乡村振兴局 2021 guidance on the return-to-poverty monitoring mechanism). Later lines, national or
a province's own, are added by administrators."""

from decimal import Decimal

from django.db import migrations


def add_line(apps, schema_editor):
    MonitoringLine = apps.get_model("monitoring", "MonitoringLine")
    MonitoringLine.objects.get_or_create(
        year=2021,
        region=None,
        defaults={
            "amount": Decimal("6000"),
            "source": "国家乡村振兴局2021年防止返贫监测帮扶指导意见",
        },
    )


def remove_line(apps, schema_editor):
    MonitoringLine = apps.get_model("monitoring", "MonitoringLine")
    MonitoringLine.objects.filter(year=2021, region=None, amount=Decimal("6000")).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(add_line, remove_line)]
