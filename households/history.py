"""The change history of a household and its members, as people read it: who changed which
field from what to what, and when; sensitive values masked unless revealed."""

from households.models import Household, Person
from resettle.history import display_value, record_changes

TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def _display(model, field_name: str, value, *, reveal: bool) -> str:
    if field_name == "household" and value:
        # A member's move between households, rare enough to look the numbers up.
        return (
            Household.objects.filter(pk=value).values_list("household_no", flat=True).first() or ""
        )
    return display_value(model, field_name, value, reveal=reveal)


def household_history(household: Household, *, reveal: bool, limit: int = 500) -> list[dict]:
    """Changes to the household and its members, newest first: the last `limit` of each.
    A member who moved to another household shows the move here, not what came after."""
    member_ids = Person.history.filter(household_id=household.pk).values("id")
    records = []
    for model, history in (
        (Household, household.history.all()),
        (Person, Person.history.filter(id__in=member_ids)),
    ):
        rows = list(
            history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]
        )
        rows.reverse()
        previous: dict = {}
        for record in rows:
            before = previous.get(record.id)
            previous[record.id] = record
            if model is Person and household.pk not in (
                record.household_id,
                before.household_id if before else None,
            ):
                continue
            changes = []
            if before is not None:
                changes = record_changes(model, before, record, reveal=reveal, display=_display)
                if not changes and record.history_type == "~":
                    continue
            records.append(
                {
                    "at": record.history_date,
                    "user": record.history_user.get_username() if record.history_user else "",
                    "type": TYPES[record.history_type],
                    "record": model._meta.model_name,
                    "record_id": record.id,
                    "label": str(record.name) if model is Person else record.household_no,
                    "changes": changes,
                }
            )
    records.sort(key=lambda r: r["at"], reverse=True)
    return records[:limit]
