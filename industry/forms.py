"""Forms of the project pages: each records one thing through its service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from households.forms import DATE
from households.models import Household, Region
from industry import choices
from industry.models import (
    BenefitLink,
    Dividend,
    IndustryProject,
    Investment,
    ProjectStatusChange,
)
from resettle.validators import bounded_formfield, bounds_of


class ProjectForm(forms.ModelForm):
    """A project's register entry. `status_since` is the day the project took the status given
    (a fact: nothing is preselected); the service asks for it for a new project and when the
    status changes, and keeps it in the status history."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status_since = forms.DateField(
        label=_("status since"),
        required=False,
        widget=DATE,
        validators=bounds_of(ProjectStatusChange, "changed_on"),
        help_text=_(
            "The day the project took the status above: needed for a new project and when the "
            "status changes."
        ),
    )

    class Meta:
        model = IndustryProject
        formfield_callback = bounded_formfield
        fields = [
            "code",
            "name",
            "county",
            "sector",
            "kind",
            "operator_type",
            "operator",
            "status",
            "status_since",
            "planned_start",
            "actual_start",
            "planned_completion",
            "actual_completion",
            "units",
            "area_m2",
            "jobs_offered",
        ]
        widgets = {
            "planned_start": DATE,
            "actual_start": DATE,
            "planned_completion": DATE,
            "actual_completion": DATE,
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        counties = Region.objects.where_may(user, IndustryProject).filter(level="county")
        self.fields["county"].queryset = counties


class InvestmentForm(forms.ModelForm):
    class Meta:
        model = Investment
        formfield_callback = bounded_formfield
        fields = ["source", "amount", "year", "note"]


class HouseholdNumberField(forms.CharField):
    """A household by its number, among those the user sees."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, label=_("household number"), max_length=32, **kwargs)

    def clean(self, value):
        value = super().clean(value).strip()
        household = Household.objects.visible_to(self.user).filter(household_no=value).first()
        if household is None:
            raise forms.ValidationError(
                _("No household numbered %(no)s in your area.") % {"no": value}
            )
        return household


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("benefit"), choices=choices.LinkKind.choices)
    since = forms.DateField(
        label=_("since"), widget=DATE, validators=bounds_of(BenefitLink, "since")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"household": HouseholdNumberField(user=user), **self.fields}


class DividendForm(forms.Form):
    year = bounded_formfield(Dividend._meta.get_field("year"))
    amount = bounded_formfield(Dividend._meta.get_field("amount"))
    # The day it was paid is a fact: nothing preselected (issue 14).
    # Left blank when not known: stored as not known, never as a guessed day.
    paid_on = bounded_formfield(Dividend._meta.get_field("paid_on"), widget=DATE, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"household": HouseholdNumberField(user=user), **self.fields}
