"""Forms of the labor card: each records one thing through its service."""

from django import forms

from employment.models import Employment, FollowUpVisit, JobMatch, LaborProfile, Training
from households.forms import DATE
from resettle.validators import bounded_formfield, bounds_of


class LaborProfileForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = LaborProfile
        formfield_callback = bounded_formfield
        fields = [
            "capacity",
            "skill",
            "language",
            "willingness",
            "training_intention",
            "service_needs",
            "recorded_on",
        ]
        widgets = {"recorded_on": DATE}


class EmploymentForm(forms.ModelForm):
    class Meta:
        model = Employment
        formfield_callback = bounded_formfield
        fields = [
            "channel",
            "job_type",
            "place",
            "employer",
            "industry",
            "monthly_income",
            "start_date",
            "organised",
            "is_main",
            "project",
        ]
        widgets = {"start_date": DATE}


class EndEmploymentForm(forms.Form):
    spell = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    end_date = forms.DateField(widget=DATE, validators=bounds_of(Employment, "end_date"))


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        formfield_callback = bounded_formfield
        fields = ["course", "provider", "start_date", "end_date", "certificate"]
        widgets = {"start_date": DATE, "end_date": DATE}


class JobMatchForm(forms.ModelForm):
    class Meta:
        model = JobMatch
        formfield_callback = bounded_formfield
        fields = ["matched_on", "employer", "job", "result"]
        widgets = {"matched_on": DATE}


class FollowUpVisitForm(forms.ModelForm):
    class Meta:
        model = FollowUpVisit
        formfield_callback = bounded_formfield
        fields = ["visited_on", "still_employed", "note"]
        widgets = {"visited_on": DATE}
