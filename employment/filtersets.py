"""FilterSets of the labor ledger, for the API and the pages alike."""

import datetime as dt

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from employment import choices, selectors
from employment.models import (
    Employment,
    FollowUpVisit,
    JobMatch,
    LaborProfile,
    Training,
    employed_on,
)
from households.filtersets import IdFilter, RegionFilter
from resettle.filters import ALL, PopulationFilter, StrictBooleanFilter


class PersonRecordFilterSet(django_filters.FilterSet):
    region = RegionFilter()
    site = IdFilter(field_name="person__site_id", label=_("Site"))
    person = IdFilter(field_name="person_id", label=_("Person"))


class CurrentJobFilter(django_filters.ChoiceFilter):
    """Profiles whose person's main job today (`employed_on`) has this value in `field_name`."""

    def filter(self, qs, value):
        if not value:
            return qs
        jobs = Employment.objects.filter(
            employed_on(timezone.localdate()),
            person=OuterRef("person_id"),
            is_main=True,
            **{self.field_name: value},
        )
        return qs.filter(Exists(jobs))


class EmployedFilter(StrictBooleanFilter):
    """Whether the person holds a main job today."""

    def filter(self, qs, value):
        if value is None:
            return qs
        working = Exists(
            Employment.objects.filter(
                employed_on(timezone.localdate()), person=OuterRef("person_id"), is_main=True
            )
        )
        return qs.filter(working if value else ~working)


def _laborer(day: dt.date) -> Q:
    """Whether the profile's person is a laborer on `day` (`selectors.laborers_on`)."""
    return selectors.is_laborer_on(day, person="person__", profile="")


class LaborProfileFilterSet(PersonRecordFilterSet):
    # Laborers (劳动力) today, as the `labor_force` indicator counts them; the other profiles
    # (out of working age, unable to work, moved out) are a state the list names.
    state = PopulationFilter(
        states=[
            ("laborer", _("Laborers"), _laborer),
            ("not_laborer", _("Not laborers today"), lambda day: ~_laborer(day)),
            (ALL, _("All"), None),
        ],
        figure="labor_force",
    )
    capacity = django_filters.ChoiceFilter(choices=choices.Capacity.choices)
    willingness = django_filters.ChoiceFilter(choices=choices.Willingness.choices)
    training_intention = django_filters.ChoiceFilter(choices=choices.TrainingIntention.choices)
    employed = EmployedFilter(label=_("Employed"))
    channel = CurrentJobFilter(
        field_name="channel", choices=choices.Channel.choices, label=_("channel")
    )
    job_type = CurrentJobFilter(
        field_name="job_type", choices=choices.JobType.choices, label=_("job type")
    )
    place = CurrentJobFilter(
        field_name="place", choices=choices.Place.choices, label=_("place of work")
    )

    class Meta:
        model = LaborProfile
        fields = [
            "state",
            "region",
            "site",
            "person",
            "capacity",
            "willingness",
            "training_intention",
        ]


class EmploymentFilterSet(PersonRecordFilterSet):
    channel = django_filters.ChoiceFilter(choices=choices.Channel.choices)
    job_type = django_filters.ChoiceFilter(choices=choices.JobType.choices)
    place = django_filters.ChoiceFilter(choices=choices.Place.choices)
    open = StrictBooleanFilter(
        field_name="end_date", lookup_expr="isnull", label=pgettext_lazy("job", "Still open")
    )

    class Meta:
        model = Employment
        fields = ["region", "site", "person", "channel", "job_type", "place", "open"]


class TrainingFilterSet(PersonRecordFilterSet):
    class Meta:
        model = Training
        fields = ["region", "site", "person"]


class JobMatchFilterSet(PersonRecordFilterSet):
    result = django_filters.ChoiceFilter(choices=choices.MatchResult.choices)

    class Meta:
        model = JobMatch
        fields = ["region", "site", "person", "result"]


class FollowUpVisitFilterSet(PersonRecordFilterSet):
    class Meta:
        model = FollowUpVisit
        fields = ["region", "site", "person"]


class ZeroEmploymentFilter(StrictBooleanFilter):
    """`?zero_employment=true` on the household list: the 零就业家庭 worklist as of today."""

    def filter(self, qs, value):
        if value is None:
            return qs
        condition = selectors.zero_employment(dt.date.today())
        return qs.filter(condition) if value else qs.exclude(condition)
