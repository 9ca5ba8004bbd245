from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    """A new token's name: what will use it."""

    name = forms.CharField(
        label=_("What will use it"),
        max_length=64,
        help_text=_("For example “monthly export script” or “county data platform”."),
        error_messages={"required": _("Name the token after what will use it.")},
    )
