"""Password policy: at least 8 characters mixing letters, digits and symbols (GB/T 22239-2019,
identity authentication: passwords of sufficient complexity). One validator says every rule a
password breaks, in the UI's language."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class PasswordPolicyValidator:
    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        problems = []
        if len(password) < self.min_length:
            problems.append(
                _("is too short: it has %(length)d characters, at least %(min)d are needed")
                % {"length": len(password), "min": self.min_length}
            )
        missing = []
        if not any(c.isalpha() for c in password):
            missing.append(_("a letter"))
        if not any(c.isdigit() for c in password):
            missing.append(_("a digit"))
        if all(c.isalnum() for c in password):
            missing.append(_("a symbol such as # or !"))
        if missing:
            problems.append(_("has no %(missing)s") % {"missing": "、".join(missing)})
        if problems:
            raise ValidationError(
                _("The password %(problems)s.") % {"problems": "；".join(problems)},
                code="password_policy",
            )

    def get_help_text(self) -> str:
        return _("At least %(min)d characters, mixing letters, digits and symbols.") % {
            "min": self.min_length
        }
