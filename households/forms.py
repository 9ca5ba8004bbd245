"""Forms of the household ledger pages. They validate input; the services apply the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from households.choices import Relation
from households.models import HOUSEHOLD_FACTS, Household, Person, Site
from resettle.idcard import normalise, parse_id_number
from resettle.masking import SENSITIVE_FIELDS, mask_birth_date, unmask
from resettle.validators import bounded_formfield

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MaskedValueMixin:
    """Sensitive fields show masked to users who may not reveal them; a masked value sent back
    unchanged keeps the stored one (as the API's MaskedField does)."""

    masked_fields = SENSITIVE_FIELDS

    def __init__(self, *args, reveal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.reveal = reveal
        if not reveal and self.instance.pk:
            for name, mask in self.masked_fields.items():
                if name in self.fields:
                    self.initial[name] = mask(getattr(self.instance, name))

    def _clean_masked(self, name):
        value = (self.cleaned_data.get(name) or "").strip()
        stored = (getattr(self.instance, name, "") or "") if self.instance.pk else ""
        return unmask(value, stored=stored, mask=self.masked_fields[name])

    def clean_version(self):
        version = self.cleaned_data.get("version")
        if self.instance.pk and version is None:
            raise forms.ValidationError(
                _("The page is out of date: reload it and make your edit again.")
            )
        return version


class HouseholdForm(MaskedValueMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Household
        formfield_callback = bounded_formfield
        fields = ["household_no", "site", *HOUSEHOLD_FACTS]
        widgets = {
            name: DATE
            for name in [
                "move_in_date",
                "old_house_demolished_on",
                "homestead_reclaimed_on",
                "property_certificate_on",
                "hukou_transferred_on",
            ]
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the sites where this user may keep households (NetBox's restrict_form_fields).
        self.fields["site"].queryset = Site.objects.households_writable_by(user).order_by("code")
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        for step in Household.DATED_STEPS:
            if getattr(self.instance, step.unknown_field):
                # The stored date is only the day the step was entered: the field shows it is not
                # known, and a date entered replaces it (households.services.household_steps_apply).
                self.initial[step.date_field] = None
                self.fields[step.date_field].help_text = _(
                    "Date unknown: counted from %(date)s, the day it was entered. Enter the real "
                    "date when you know it."
                ) % {"date": getattr(self.instance, step.date_field).isoformat()}

    def clean_phone(self):
        return self._clean_masked("phone")


class MemberForm(MaskedValueMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status_changed_on = forms.DateField(label=_("status changed on"), required=False, widget=DATE)
    registered_on = forms.DateField(
        label=_("registered on"),
        required=False,
        widget=DATE,
        help_text=_("For a new member: the day they joined (empty: the move-in date, or birth)."),
    )

    class Meta:
        model = Person
        formfield_callback = bounded_formfield
        fields = [
            "name",
            "id_number",
            "relation",
            "ethnicity",
            "education",
            "schooling",
            "health",
            "disability_grade",
            "medical_insurance",
            "pension_insurance",
            "dibao",
            "tekun",
            "phone",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].max_length = 32
        self.fields["id_number"].widget.attrs["maxlength"] = 32
        if self.instance.pk:
            self.initial["version"] = self.instance.version
            self.initial["status_changed_on"] = self.instance.status_changed_on
            if self.instance.status_changed_on_unknown:
                # The stored date is only the day the change was entered: the field shows it is
                # not known, and a date entered replaces it (services.apply_person_status).
                self.initial["status_changed_on"] = None
                self.fields["status_changed_on"].help_text = _(
                    "Date unknown: counted from %(date)s, the day it was entered. Enter the real "
                    "date when you know it."
                ) % {"date": self.instance.status_changed_on.isoformat()}
            # The registration date of an existing member is corrected through its history.
            self.fields["registered_on"].disabled = True
            self.initial["registered_on"] = self.instance.registered_on
            if not self.reveal and self.instance.registered_on == self.instance.birth_date:
                # A child born after the move is registered on its birth day, which would
                # complete the masked ID number: shown as the year, as the birth date is.
                self.fields["registered_on"] = forms.CharField(
                    label=self.fields["registered_on"].label, required=False, disabled=True
                )
                self.initial["registered_on"] = mask_birth_date(self.instance.registered_on)
        else:
            # A new row says who the member is; no relation is assumed.
            self.fields["relation"].choices = [("", "---------"), *Relation.choices]
            self.initial["relation"] = ""

    def clean_registered_on(self):
        return None if self.instance.pk else self.cleaned_data.get("registered_on")

    def clean_id_number(self):
        value = self._clean_masked("id_number")
        if value:
            # The service checks again (and uniqueness); checking here too shows a mistyped
            # number together with any other mistake on the page, not one round later.
            parse_id_number(value)
        return value

    def clean_phone(self):
        return self._clean_masked("phone")

    def _post_clean(self):
        # Uniqueness and the identity rules are the service's (with messages naming the
        # household); the model's own validation would say less.
        pass


class BaseMemberFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """The same ID number twice in one household form: say which rows."""
        super().clean()
        seen: dict[str, int] = {}
        for number, member in enumerate(self.forms, start=1):
            if not member.has_changed() and not member.instance.pk:
                continue
            id_number = normalise((member.cleaned_data or {}).get("id_number") or "")
            if not id_number or "*" in id_number:
                continue
            if id_number in seen:
                member.add_error(
                    "id_number",
                    _("The same ID number as member row %(row)d of this form.")
                    % {"row": seen[id_number]},
                )
            else:
                seen[id_number] = number


MemberFormSet = forms.inlineformset_factory(
    Household,
    Person,
    form=MemberForm,
    formset=BaseMemberFormSet,
    fk_name="household",
    extra=1,
    can_delete=False,
)
