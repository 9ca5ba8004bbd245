"""Reads of the registry shared by pages: the populations of a date (registered persons and
households, the one definition the lists, the worklists and the indicators use) and the
data-quality worklist (信息待补录)."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.choices import PersonStatus, Relation
from households.models import Household, Person, registered_on_date

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


def registered_persons(as_of: dt.date) -> QuerySet:
    """Persons registered (在册) on `as_of`: recorded as members by then and neither moved out
    nor dead by then (`registered_on_date`). Kashgar report §一 counts them."""
    return Person.objects.filter(registered_on_date(as_of))


def has_registered_member(as_of: dt.date) -> Exists:
    """Whether the household (OuterRef "pk") has a member registered on `as_of`."""
    return Exists(registered_persons(as_of).filter(household=OuterRef("pk")))


def registered_households(as_of: dt.date) -> QuerySet:
    """Households registered (在册) on `as_of`: with at least one member registered then. A
    household whose members all moved out or died, or none registered yet, is not one."""
    return Household.objects.filter(has_registered_member(as_of))


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


def _member_gaps() -> Q:
    """The members missing a fact a figure needs: a registered member's MEMBER_FACTS, or the day
    a member moved out or died (counted as registered until the day it was entered)."""
    facts = Q()
    for name in MEMBER_FACTS:
        facts |= _blank(Person, name)
    return (Q(status=PersonStatus.ACTIVE) & facts) | Q(status_changed_on_unknown=True)


def households_to_complete() -> QuerySet:
    """The households of which a fact some figure needs is not known (信息待补录), as recorded
    now: HOUSEHOLD_FACTS, whether a step (旧房拆除, 宅基地复垦, 不动产权证, 户籍迁入) was done or on
    what date, a registered member's facts (MEMBER_FACTS), or the day a member moved out or
    died. The records of the `households_to_complete` indicator."""
    unknown_member = Person.objects.filter(_member_gaps(), household=OuterRef("pk"))
    return Household.objects.filter(_household_gaps() | Exists(unknown_member))


def household_worklist(*, user) -> QuerySet:
    """`households_to_complete` that `user` may see (Household.objects.visible_to), in
    household-number order, with their sites and heads (`with_head`)."""
    return with_head(
        households_to_complete().visible_to(user).select_related("site").order_by("household_no")
    )


def head_of(household: str = "pk") -> Subquery:
    """The name of the registered head (户主) of the household at `household` (an OuterRef path:
    "pk" from a household, "household_id" from a case or an alert), for a list's rows."""
    heads = Person.objects.filter(
        household=OuterRef(household), relation=Relation.HEAD, status=PersonStatus.ACTIVE
    ).order_by("id")
    return Subquery(heads.values("name")[:1])


def with_head(queryset: QuerySet, household: str = "pk") -> QuerySet:
    """`queryset` with `head_name`, the name of its household's registered head ("" or None
    when none is recorded): one subquery, whatever the rows."""
    return queryset.annotate(head_name=head_of(household))


def household_gaps(households: list[Household]) -> dict[int, list[str]]:
    """What is not known of each of `households` (a page of `household_worklist`), by household
    id, as the user reads it: "入住日期", "旧房拆除日期不详", "民族（2 人）", "状态变更日期不详（1 人）".
    One query for the members."""
    active = Q(status=PersonStatus.ACTIVE)
    counts = {
        row.pop("household_id"): row
        for row in Person.objects.filter(
            _member_gaps(), household_id__in=[h.pk for h in households]
        )
        .order_by()
        .values("household_id")
        .annotate(
            **{name: Count("id", filter=active & _blank(Person, name)) for name in MEMBER_FACTS},
            status_changed_on_unknown=Count("id", filter=Q(status_changed_on_unknown=True)),
        )
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
        member_counts = counts.get(household.pk, {})
        for name in MEMBER_FACTS:
            if member_counts.get(name):
                items.append(
                    _("%(item)s (%(count)d members)")
                    % {
                        "item": Person._meta.get_field(name).verbose_name,
                        "count": member_counts[name],
                    }
                )
        if member_counts.get("status_changed_on_unknown"):
            items.append(
                _("date of moving out or death unknown (%(count)d members)")
                % {"count": member_counts["status_changed_on_unknown"]}
            )
        result[household.pk] = items
    return result
