"""Filters that mean the same on every list, of every app, in the API and on the pages: a strict
yes/no and the state of a list's records (PopulationFilter). The pages' list base
(resettle.views.FilteredListView) presents them."""

from collections.abc import Callable

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StrictBooleanField(forms.NullBooleanField):
    """true/false (also 1/0, yes/no); anything else is an error, not "no filter"."""

    # NullBooleanSelect would read an unknown value as "no filter" before we see it.
    widget = forms.TextInput

    def to_python(self, value):
        text = str(value).strip().lower() if value is not None else ""
        if text == "":
            return None
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        raise forms.ValidationError(_("Use true or false; got %(value)s."), params={"value": value})

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


# The state of a list that shows every record, whatever its state on the day.
ALL = "all"


class PopulationFilter(django_filters.ChoiceFilter):
    """`?state=`: which of a list's records are shown, by their state today. `states` are
    (value, label, condition) in order, a condition a function of the date giving the filter
    from the owning app's population selector (the one its indicator counts), or None for every
    record. The first state is the default, taken when the parameter is absent or blank: a
    list's default and its total are what the figure of the same area counts today, and the
    other records are a state the list names."""

    def __init__(self, *, states: list[tuple[str, str, Callable | None]], figure: str, **kwargs):
        self.conditions = {value: condition for value, _label, condition in states}
        self.labels = {value: label for value, label, _condition in states}
        self.default = states[0][0]
        kwargs.setdefault("label", _("Status"))
        kwargs.setdefault(
            "help_text",
            f"Default `{self.default}`: the records the `{figure}` indicator counts today.",
        )
        super().__init__(
            choices=[(v, label) for v, label, _c in states], empty_label=None, **kwargs
        )

    def chosen(self, value: str | None) -> str:
        """The state shown for the parameter's `value` (the default when blank)."""
        return value or self.default

    def filter(self, qs, value):
        condition = self.conditions[self.chosen(value)]
        return qs if condition is None else qs.filter(condition(timezone.localdate()))
