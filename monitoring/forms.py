"""Forms of the monitoring pages: each records one thing through its service."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from households.forms import DATE
from monitoring import choices
from monitoring.models import AssistanceMeasure, CaseEvent, Incident, IncomeCheck, MonitoringCase
from resettle.validators import bounded_formfield, bounds_of


class CaseOpenForm(forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=choices.Category.choices)
    risks = forms.MultipleChoiceField(
        label=_("risk types"), choices=choices.Risk.choices, widget=forms.CheckboxSelectMultiple
    )
    found_through = forms.ChoiceField(
        label=_("found through"), choices=choices.FoundThrough.choices
    )
    opened_on = forms.DateField(
        label=_("opened on"),
        initial=dt.date.today,
        widget=DATE,
        validators=bounds_of(MonitoringCase, "opened_on"),
    )
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Next step"))
    on = forms.DateField(
        label=_("date"), initial=dt.date.today, widget=DATE, validators=bounds_of(CaseEvent, "on")
    )
    reason = forms.CharField(
        label=_("What was found, decided or why"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    basic_needs = forms.BooleanField(
        label=_("两不愁三保障 secured (for eliminating the risk)"), required=False
    )
    drinking_water = forms.BooleanField(
        label=_("Safe drinking water secured (for eliminating the risk)"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(choices.Status.choices)
        self.fields["to"].choices = [(s, labels[s]) for s in steps]


class MeasureForm(forms.ModelForm):
    class Meta:
        model = AssistanceMeasure
        formfield_callback = bounded_formfield
        fields = ["kind", "description", "responsible", "start_date", "end_date", "amount"]
        widgets = {"start_date": DATE, "end_date": DATE}


class IncomeCheckForm(forms.ModelForm):
    class Meta:
        model = IncomeCheck
        formfield_callback = bounded_formfield
        fields = [
            "year",
            "checked_on",
            "household_size",
            "wage_income",
            "operating_income",
            "property_income",
            "transfer_income",
            "production_costs",
            "medical_expense",
            "schooling_expense",
        ]
        widgets = {"checked_on": DATE}


class IncidentForm(forms.ModelForm):
    class Meta:
        model = Incident
        formfield_callback = bounded_formfield
        fields = ["kind", "occurred_on", "note"]
        widgets = {"occurred_on": DATE}


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("What the check found"), max_length=500)
