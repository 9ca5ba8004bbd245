"""The policy targets a region's figures are compared with on the dashboards (red / amber /
green) and in the comparison table: each a catalogue indicator above or below a threshold."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from resettle.indicators import catalogue, shown


@dataclass(frozen=True)
class Rule:
    """A policy target a region is compared with: `code` (a catalogue indicator) above (">") or
    below ("<") the threshold shows `color` ("red" or "amber"); otherwise green."""

    code: str
    op: str
    threshold: float
    color: str

    def flag(self, value) -> str | None:
        """The colour of `value` (None: no value, no colour)."""
        if value is None:
            return None
        broken = value > self.threshold if self.op == ">" else value < self.threshold
        return self.color if broken else "green"

    def text(self) -> str:
        """The rule in words, as the dashboard's legend writes it: 零就业家庭 > 0：红."""
        indicator = catalogue.get(self.code)
        color = _("red") if self.color == "red" else _("amber")
        limit = (
            shown(indicator.kind, self.threshold) if indicator.kind == "ratio" else self.threshold
        )
        sign = ">" if self.op == ">" else "<"
        return _("%(name)s %(sign)s %(limit)s: %(color)s") % {
            "name": indicator.name,
            "sign": sign,
            "limit": limit,
            "color": color,
        }


# Every household with labor has one person employed (Tacheng plan seeds/001 §二; Guizhou
# opinions seeds/003 §二(一)1); every monitored household has a measure and its home visit on time
# (Yuncheng plan seeds/002 §三(一)); the five clears of the labor ledger (Kashgar report
# seeds/000 §四(二)5) against settings.DASHBOARD["FIVE_CLEARS_TARGET"].
RULES = (
    Rule("zero_employment_households", ">", 0, "red"),
    Rule("one_per_household_rate", "<", 1.0, "red"),
    Rule("cases_without_measure", ">", 0, "red"),
    Rule("followup_coverage", "<", 1.0, "amber"),
    Rule("five_clears_rate", "<", settings.DASHBOARD["FIVE_CLEARS_TARGET"], "amber"),
    Rule("overdue_verifications", ">", 0, "red"),
)


def flags(values: dict) -> dict[str, str | None]:
    """Each rule's colour for a row of catalogue `values`, by indicator code."""
    return {rule.code: rule.flag(values.get(rule.code)) for rule in RULES}
