"""A first status entry for every project registered before the history was kept (issue 14,
"Facts keep their own dates"), made from what the register knows and changing no figure of
today: the project's status, from its actual start where one was recorded (the date from which
the figures counted it so far), otherwise with its date not known and counted from the day the
project was recorded, as before."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def first_entries(apps, schema_editor):
    """One entry per project without any: its status, `changed_on` its actual start or blank
    (not known), recorded on the day the project was."""
    project_model = apps.get_model("industry", "IndustryProject")
    change_model = apps.get_model("industry", "ProjectStatusChange")
    projects = project_model.objects.filter(status_changes__isnull=True).values_list(
        "pk", "status", "actual_start"
    )
    made = change_model.objects.bulk_create(
        [
            change_model(project_id=pk, status=status, changed_on=actual_start)
            for pk, status, actual_start in projects
        ],
        batch_size=1000,
    )
    # `created` is set on insert (auto_now_add): the entry was known when the project was.
    project_created = project_model.objects.filter(pk=OuterRef("project_id")).values("created")
    change_model.objects.filter(pk__in=[e.pk for e in made]).update(
        created=Subquery(project_created[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("industry", "0003_status_history")]

    operations = [migrations.RunPython(first_entries, migrations.RunPython.noop)]
