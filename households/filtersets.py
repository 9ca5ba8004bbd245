"""FilterSets of the registry, used by the API and the pages alike."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from households import choices
from households.models import Household, Person, Region, Site, registered_on_date
from households.selectors import has_registered_member
from resettle.cleaning import name_key
from resettle.filters import ALL, PopulationFilter, StrictBooleanFilter
from resettle.scoping import CODE_LENGTHS


class RegionCodeField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        if not value.isdigit() or len(value) not in CODE_LENGTHS:
            raise forms.ValidationError(
                _(
                    "A region code has 2, 4, 6, 9 or 12 digits (e.g. 6531 or 653125); got %(value)s."
                ),
                params={"value": value},
            )
        if not Region.objects.filter(code=value).exists():
            raise forms.ValidationError(
                _("There is no region with the code %(value)s."), params={"value": value}
            )
        return value


class RegionFilter(django_filters.CharFilter):
    """`?region=6531`: records anywhere in the subtree of that region code. Every scoped model
    names the path to its region code in `scope_region_field`."""

    field_class = RegionCodeField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Region code"))
        super().__init__(lookup_expr="startswith", **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{qs.model.scope_region_field}__startswith": value})


class IdFilter(django_filters.NumberFilter):
    """A record id: a whole number in the range of a database key, else a clear 400."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=2**63 - 1, **kwargs)


def person_search(value: str, prefix: str = "") -> Q:
    """The persons a search box's `value` names, `prefix` being the path to the person (e.g.
    "members__"): those whose name starts with it as `name_key` compares names (middle dots,
    spaces, case and full or half width aside: 赛买提玉素甫 finds 赛买提·玉素甫; an index answers
    it), or whose ID number it is; a `value` of two or more Latin letters also finds the names
    whose pinyin initials start with it (`name_initials`: "smt" finds 赛买提·玉素甫, also
    indexed). The one name search of the registry's lists and API."""
    key = name_key(value)
    condition = Q(**{f"{prefix}id_number": value.strip().upper()})
    if key:
        condition |= Q(**{f"{prefix}name_key__startswith": key})
    if len(key) >= 2 and key.isascii() and key.isalpha():
        condition |= Q(**{f"{prefix}name_initials__startswith": key})
    return condition


def name_search_box(**attrs) -> forms.TextInput:
    """The search box of a list of persons or households, saying what it finds."""
    hint = _("Name, pinyin initials, ID number or household number")
    return forms.TextInput(attrs={"placeholder": hint, "title": hint, "type": "search", **attrs})


def household_no_search(value: str, prefix: str = "") -> Q:
    """The households a search box's `value` names by their 户编号 (`prefix` the path to the
    household, e.g. "household__"): those whose number starts with it, or, for three or more
    digits, ends with them (the household's own serial, 0042, as a cadre says it)."""
    condition = Q(**{f"{prefix}household_no__startswith": value})
    if len(value) >= 3 and value.isdigit():
        condition |= Q(**{f"{prefix}household_no__endswith": value})
    return condition


class RegionFilterSet(django_filters.FilterSet):
    parent = django_filters.CharFilter(field_name="parent_id", label=_("Parent code"))
    level = django_filters.ChoiceFilter(choices=choices.RegionLevel.choices)
    region = RegionFilter()
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = Region
        fields = ["parent", "level", "region", "q"]


class SiteFilterSet(django_filters.FilterSet):
    region = RegionFilter()
    placement = django_filters.ChoiceFilter(choices=choices.Placement.choices)
    area_type = django_filters.ChoiceFilter(choices=choices.AreaType.choices)
    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Site
        fields = ["region", "placement", "area_type", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))


class HouseholdFilterSet(django_filters.FilterSet):
    region = RegionFilter()
    site = IdFilter(field_name="site_id", label=_("Site"))
    site_code = django_filters.CharFilter(field_name="site__code", label=_("Site code"))
    category = django_filters.ChoiceFilter(choices=choices.HouseholdCategory.choices)
    # Registered (在册) households are those with a member registered today, as the
    # `households` indicator counts them; the others (all moved out or died, or none registered
    # yet) are a state the list names.
    state = PopulationFilter(
        states=[
            ("registered", _("Registered"), has_registered_member),
            ("none_registered", _("No registered member"), lambda day: ~has_registered_member(day)),
            (ALL, _("All"), None),
        ],
        figure="households",
    )
    property_certificate_status = django_filters.ChoiceFilter(
        choices=choices.CertificateStatus.choices, label=_("property certificate")
    )
    hukou_transferred = StrictBooleanFilter(label=_("household registration transferred"))
    q = django_filters.CharFilter(
        method="search", label=_("Search"), widget=name_search_box(size=24)
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("household_no", "household_no"),
            ("site__code", "site"),
            ("category", "category"),
            ("move_in_date", "move_in_date"),
            ("property_certificate_status", "property_certificate_status"),
            ("hukou_transferred", "hukou_transferred"),
            ("updated", "updated"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Household
        fields = ["region", "site", "site_code", "category", "state", "q"]

    def search(self, queryset, name, value):
        value = value.strip()
        members = Person.objects.filter(person_search(value), household=OuterRef("pk"))
        return queryset.filter(household_no_search(value) | Exists(members))


class PersonFilterSet(django_filters.FilterSet):
    # Registered (在册) today, as the `persons` indicator counts them; `status` is the member's
    # recorded status, whatever its date.
    state = PopulationFilter(
        states=[
            ("registered", _("Registered"), registered_on_date),
            ("not_registered", _("Not registered"), lambda day: ~registered_on_date(day)),
            (ALL, _("All"), None),
        ],
        figure="persons",
    )
    region = RegionFilter()
    site = IdFilter(field_name="site_id", label=_("Site"))
    household = IdFilter(field_name="household_id", label=_("Household"))
    status = django_filters.ChoiceFilter(choices=choices.PersonStatus.choices)
    gender = django_filters.ChoiceFilter(choices=choices.Gender.choices)
    health = django_filters.ChoiceFilter(choices=choices.Health.choices)
    category = django_filters.ChoiceFilter(
        field_name="household__category", choices=choices.HouseholdCategory.choices
    )
    q = django_filters.CharFilter(
        method="search", label=_("Search"), widget=name_search_box(size=24)
    )

    class Meta:
        model = Person
        fields = ["state", "region", "site", "household", "status", "gender", "health", "q"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(person_search(value) | household_no_search(value, "household__"))
