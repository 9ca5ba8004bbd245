"""Errors the services raise that the API and pages turn into answers."""

from django.utils.translation import gettext as _


class VersionConflict(Exception):
    """Someone else saved the record since the version the user edited. `changes` lists what
    they changed: dicts of user, at, label, old and new (sensitive values masked)."""

    def __init__(
        self,
        *,
        model: str,
        label: str,
        pk,
        current_version: int,
        given_version: int,
        changes: list[dict],
    ):
        self.model = model
        self.pk = pk
        self.current_version = current_version
        self.given_version = given_version
        self.changes = changes
        self.changed_fields = list(dict.fromkeys(c["label"] for c in changes))
        described = "；".join(
            _("%(user)s changed %(field)s from “%(old)s” to “%(new)s”")
            % {
                "user": c["user"] or _("someone"),
                "field": c["label"],
                "old": c["old"] or _("(empty)"),
                "new": c["new"] or _("(empty)"),
            }
            for c in changes
        )
        super().__init__(
            _(
                "%(record)s was changed by someone else after you opened it: %(changes)s. "
                "Check your entries against these changes and save again."
            )
            % {"record": label, "changes": described or _("unknown changes")}
        )
