"""Errors the services raise that the API and pages turn into answers."""

from django.utils.translation import gettext as _


class VersionConflict(Exception):
    """Someone else saved the record since the version the user edited."""

    def __init__(self, *, current_version: int, given_version: int, changed_fields: list[str]):
        self.current_version = current_version
        self.given_version = given_version
        self.changed_fields = changed_fields
        fields = "、".join(changed_fields) if changed_fields else _("unknown fields")
        super().__init__(
            _(
                "This record was changed by someone else after you opened it (your version "
                "%(given)d, now %(current)d; changed: %(fields)s). Reload it, check the changes "
                "and make your edit again."
            )
            % {"given": given_version, "current": current_version, "fields": fields}
        )
