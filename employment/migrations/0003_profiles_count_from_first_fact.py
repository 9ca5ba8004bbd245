"""Labor profiles imported or keyed in after the facts they record count from the first of those
facts (issue 14, "History is lost on import"): each profile recorded later than the person's
first labor fact (a job's start, a training's start, a job match, a follow-up visit, a
registration as unemployed) is pulled back to it, as employment.services.labor_profile_counts_from
says for every new write. Past figures are corrected; today's are unchanged, since a date only
moves back and no fact lies in the future. Each change is recorded in the profile's history."""

from django.db import migrations
from django.db.models import Min
from django.utils import timezone

# employment.services.LABOR_FACTS, as of this migration.
FACTS = (
    ("Employment", "start_date"),
    ("Training", "start_date"),
    ("JobMatch", "matched_on"),
    ("FollowUpVisit", "visited_on"),
    ("Unemployment", "registered_on"),
)
REASON = "Counted from the first labor fact"


def pull_back(apps, schema_editor):
    first: dict = {}
    for name, field in FACTS:
        rows = (
            apps.get_model("employment", name)
            .objects.order_by()
            .values("person_id")
            .annotate(first=Min(field))
            .values_list("person_id", "first")
        )
        for person_id, day in rows:
            if day is not None and (person_id not in first or day < first[person_id]):
                first[person_id] = day
    profile_model = apps.get_model("employment", "LaborProfile")
    history_model = apps.get_model("employment", "HistoricalLaborProfile")
    changed = []
    for profile in profile_model.objects.iterator(chunk_size=2000):
        day = first.get(profile.person_id)
        if day is not None and day < profile.recorded_on:
            profile.recorded_on = day
            profile.version += 1
            changed.append(profile)
    if not changed:
        return
    now = timezone.now()
    for profile in changed:
        profile.updated = now
    profile_model.objects.bulk_update(changed, ["recorded_on", "version", "updated"], 1000)
    tracked = [
        f.attname
        for f in history_model._meta.concrete_fields
        if not f.attname.startswith("history_")
    ]
    history_model.objects.bulk_create(
        [
            history_model(
                **{name: getattr(profile, name) for name in tracked},
                history_date=now,
                history_type="~",
                history_change_reason=REASON,
                history_user_id=None,
            )
            for profile in changed
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("employment", "0002_employment_project")]

    operations = [migrations.RunPython(pull_back, migrations.RunPython.noop)]
