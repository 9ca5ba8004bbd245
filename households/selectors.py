"""Reads of the registry shared by pages: the data-quality worklist (信息待补录)."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.choices import PersonStatus
from households.models import Household, Person

# What the step dates are called on the worklist, by date field.
STEP_DATE_LABELS = {
    "old_house_demolished_on": gettext_lazy("old house demolition date"),
    "homestead_reclaimed_on": gettext_lazy("homestead reclamation date"),
    "property_certificate_on": gettext_lazy("certificate issue date"),
    "hukou_transferred_on": gettext_lazy("registration transfer date"),
}
# Facts about the household that figures need: the move-in date (from which its members count as
# registered), the relocation category and poverty status (by which reports split households).
HOUSEHOLD_FACTS = ("move_in_date", "category", "poverty_status")
# Facts about registered members that reports and the monitoring rules read (低保 and 特困 in the
# safety-net rule, health in the new-condition rule); blank is not known.
MEMBER_FACTS = (
    "ethnicity",
    "health",
    "schooling",
    "medical_insurance",
    "pension_insurance",
    "dibao",
    "tekun",
)


def _blank(model, name: str) -> Q:
    """The records of `model` whose `name` is not known: None, or "" for a code."""
    field = model._meta.get_field(name)
    return Q(**{f"{name}__isnull": True}) if field.null else Q(**{name: ""})


def _household_gaps() -> Q:
    """The households missing a fact a figure needs."""
    gaps = Q()
    for name in HOUSEHOLD_FACTS:
        gaps |= _blank(Household, name)
    for step in Household.DATED_STEPS:
        gaps |= _blank(Household, step.field) | Q(**{step.unknown_field: True})
    return gaps


def household_worklist(*, user) -> QuerySet:
    """The households `user` may see (Household.objects.visible_to) of which a fact some figure
    needs is not known: HOUSEHOLD_FACTS, whether a step (旧房拆除, 宅基地复垦, 不动产权证, 户籍迁入)
    was done or on what date, or a registered member's facts (MEMBER_FACTS). In household-number
    order, with their sites."""
    members = Q()
    for name in MEMBER_FACTS:
        members |= _blank(Person, name)
    unknown_member = Person.objects.filter(
        members, household=OuterRef("pk"), status=PersonStatus.ACTIVE
    )
    return (
        Household.objects.visible_to(user)
        .filter(_household_gaps() | Exists(unknown_member))
        .select_related("site")
        .order_by("household_no")
    )


def household_gaps(households: list[Household]) -> dict[int, list[str]]:
    """What is not known of each of `households` (a page of `household_worklist`), by household
    id, as the user reads it: "入住日期", "旧房拆除日期不详", "民族（2 人）". One query for the members."""
    counts = {
        row.pop("household_id"): row
        for row in Person.objects.filter(
            household_id__in=[h.pk for h in households], status=PersonStatus.ACTIVE
        )
        .order_by()
        .values("household_id")
        .annotate(**{name: Count("id", filter=_blank(Person, name)) for name in MEMBER_FACTS})
    }
    result = {}
    for household in households:
        items = [
            str(Household._meta.get_field(name).verbose_name)
            for name in HOUSEHOLD_FACTS
            if getattr(household, name) in (None, "")
        ]
        for step in Household.DATED_STEPS:
            if getattr(household, step.field) in (None, ""):
                items.append(str(Household._meta.get_field(step.field).verbose_name))
            elif getattr(household, step.unknown_field):
                items.append(
                    _("%(item)s (date unknown)") % {"item": STEP_DATE_LABELS[step.date_field]}
                )
        for name, count in counts.get(household.pk, {}).items():
            if count:
                items.append(
                    _("%(item)s (%(count)d members)")
                    % {"item": Person._meta.get_field(name).verbose_name, "count": count}
                )
        result[household.pk] = items
    return result
