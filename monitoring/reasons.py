"""An alert's reason in words, by its rule (choices.AlertRule), from the figures the rule kept
with it (Alert.details, written by monitoring.rules): what the inbox, the case and the API
show. Text only: no query, no import of the rules."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from households.choices import Health
from monitoring.choices import AlertRule


def _yuan(value) -> str:
    return f"{value:,.0f}"


DESCRIBE: dict[str, Callable[[dict], str]] = {
    AlertRule.BELOW_LINE: lambda d: (
        _("Per-capita net income %(income)s yuan in %(year)s, below the line of %(line)s yuan.")
        % {"income": _yuan(d["income"]), "year": d["year"], "line": _yuan(d["line"])}
    ),
    AlertRule.WARNING_BAND: lambda d: (
        _(
            "Per-capita net income %(income)s yuan in %(year)s, under %(band)s times the line of "
            "%(line)s yuan."
        )
        % {
            "income": _yuan(d["income"]),
            "year": d["year"],
            "band": d["band"],
            "line": _yuan(d["line"]),
        }
    ),
    AlertRule.INCOME_DROP: lambda d: (
        _(
            "Per-capita net income %(income)s yuan in %(year)s, down %(drop)s%% from %(before)s yuan "
            "the year before."
        )
        % {
            "income": _yuan(d["income"]),
            "year": d["year"],
            "drop": round(d["drop"] * 100),
            "before": _yuan(d["before"]),
        }
    ),
    AlertRule.ZERO_EMPLOYMENT: lambda d: _(
        "The household has labor and nobody in work (zero-employment household)."
    ),
    AlertRule.NEW_CONDITION: lambda d: (
        _("%(name)s was recorded on %(date)s as %(health)s.")
        % {"name": d["name"], "date": d["date"], "health": dict(Health.choices)[d["health"]]}
    ),
    AlertRule.MEDICAL_EXPENSE: lambda d: (
        _("Rigid medical expenses of %(expense)s yuan in %(year)s, above %(threshold)s yuan.")
        % {
            "expense": _yuan(d["expense"]),
            "year": d["year"],
            "threshold": _yuan(d["threshold"]),
        }
    ),
    AlertRule.INCIDENT: lambda d: (
        _("%(kind)s on %(date)s: %(note)s")
        % {"kind": d["kind_label"], "date": d["date"], "note": d.get("note") or "—"}
    ),
}


def explain(rule: str, details: dict) -> str:
    """The reason of an alert of `rule` (an AlertRule code) with `details` (its JSON figures),
    in the user's language; the code itself for a rule no longer known."""
    describe = DESCRIBE.get(rule)
    return describe(details) if describe else rule
