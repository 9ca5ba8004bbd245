"""Forms of the project pages: each records one thing through its service."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from households.forms import DATE
from households.models import Household, Region
from industry import choices
from industry.models import IndustryProject, Investment
from resettle.scoping import Scope


class ProjectForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = IndustryProject
        fields = [
            "code",
            "name",
            "county",
            "sector",
            "kind",
            "operator_type",
            "operator",
            "status",
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
        scope = Scope.for_user(user, roles=IndustryProject.write_roles)
        self.fields["county"].queryset = Region.objects.within(scope).filter(level="county")


class InvestmentForm(forms.ModelForm):
    class Meta:
        model = Investment
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
    since = forms.DateField(label=_("since"), initial=dt.date.today, widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"household": HouseholdNumberField(user=user), **self.fields}


class DividendForm(forms.Form):
    year = forms.IntegerField(label=_("year"), initial=lambda: dt.date.today().year)
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=12, decimal_places=2)
    paid_on = forms.DateField(label=_("paid on"), initial=dt.date.today, widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"household": HouseholdNumberField(user=user), **self.fields}
