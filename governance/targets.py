"""The policy targets a region's figures are compared with on the dashboards and in the
comparison table: green at the target, amber within a band beyond it, red beyond the band
(settings.DASHBOARD_RULES: the targets are the policies', the bands the office's own choice)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from resettle.indicators import catalogue, shown

GREEN, AMBER, RED = "green", "amber", "red"


@dataclass(frozen=True)
class Rule:
    """A policy target for a catalogue indicator `code`.

    A rate is compared as it is: green at or beyond `target` (a rate where higher is better:
    ≥ target), amber up to `red` (≥ red), red beyond it. A count whose target is 0 is compared
    as a share of `per` (another catalogue count, e.g. cases without a measure per monitored
    household): green at 0, amber while the share is ≤ `red`, red above it. `source` names the
    document of the target and whether the band is the office's own choice.
    """

    code: str
    target: float
    red: float
    per: str | None = None
    source: str = ""

    @property
    def higher_is_better(self) -> bool:
        return self.red < self.target

    def measure(self, values: dict) -> float | None:
        """The number compared: the indicator's value, or its share of `per` (a count of 0 of
        nothing is 0; a count of something of nothing is infinite). None when not known."""
        value = values.get(self.code)
        if value is None or self.per is None:
            return value
        whole = values.get(self.per)
        if whole is None:
            return None
        if not whole:
            return 0.0 if not value else math.inf
        return value / whole

    def flag(self, values: dict) -> str | None:
        """The colour of a row of catalogue `values` ({code: value}): "green", "amber", "red",
        or None when the value is not known."""
        measured = self.measure(values)
        if measured is None:
            return None
        if self.higher_is_better:
            return GREEN if measured >= self.target else AMBER if measured >= self.red else RED
        return GREEN if measured <= self.target else AMBER if measured <= self.red else RED

    def severity(self, values: dict) -> float:
        """How far beyond its red line a row is, in units of the band (0 when not red): orders
        the areas needing attention, worst first."""
        measured = self.measure(values)
        if measured is None or self.flag(values) != RED:
            return 0.0
        band = abs(self.target - self.red) or 1.0
        return min(abs(measured - self.red) / band, 1e6)

    def _limit(self, number: float) -> str:
        if self.per is not None or catalogue.get(self.code).kind == "ratio":
            return shown("ratio", number)
        return f"{number:g}"

    def text(self) -> str:
        """The rule in words, as the dashboard's legend writes it:
        一户一人就业率：绿 ≥ 100.0%，黄 95.0%～100.0%，红 < 95.0%."""
        name = catalogue.get(self.code).name
        if self.per is not None:
            return _("%(name)s: green at 0, amber up to %(red)s of %(per)s, red above %(red)s") % {
                "name": name,
                "red": self._limit(self.red),
                "per": catalogue.get(self.per).name,
            }
        if self.higher_is_better:
            return _("%(name)s: green ≥ %(target)s, amber %(red)s to %(target)s, red < %(red)s") % {
                "name": name,
                "target": self._limit(self.target),
                "red": self._limit(self.red),
            }
        return _("%(name)s: green ≤ %(target)s, amber up to %(red)s, red > %(red)s") % {
            "name": name,
            "target": self._limit(self.target),
            "red": self._limit(self.red),
        }

    def broken(self, values: dict) -> str:
        """What a red row shows of this rule, for the attention banner: 一户一人就业率 91.2%,
        入户核实超期 2 户."""
        indicator = catalogue.get(self.code)
        unit = "" if indicator.kind == "ratio" else f" {indicator.unit}"
        return f"{indicator.name} {shown(indicator.kind, values.get(self.code))}{unit}"


RULES = tuple(
    Rule(code, rule["target"], rule["red"], rule.get("per"), rule.get("source", ""))
    for code, rule in settings.DASHBOARD_RULES.items()
)


def flags(values: dict) -> dict[str, str | None]:
    """Each rule's colour for a row of catalogue `values`, by indicator code."""
    return {rule.code: rule.flag(values) for rule in RULES}


# The attention banner names at most this many areas, worst first.
ATTENTION_SHOWN = 5


def attention(rows: list[dict]) -> str:
    """The 需重点关注 banner for the compared rows (each {"name", "values"}): the (at most
    ATTENTION_SHOWN) areas breaking the most red rules, furthest beyond them first, each with
    the rules it breaks and its figures; how many more break one; "" when there are no rows."""
    if not rows:
        return ""
    red = []
    for row in rows:
        broken = [rule for rule in RULES if rule.flag(row["values"]) == RED]
        if broken:
            worst = sum(rule.severity(row["values"]) for rule in broken)
            red.append((-len(broken), -worst, row["name"], row, broken))
    if not red:
        return _("No area breaks a red line.")
    red.sort(key=lambda item: item[:3])
    named = [
        f"{row['name']}（{'；'.join(rule.broken(row['values']) for rule in broken)}）"
        for *_order, row, broken in red[:ATTENTION_SHOWN]
    ]
    text = _("Need attention most: %(areas)s.") % {"areas": "、".join(named)}
    if len(red) > ATTENTION_SHOWN:
        text += " " + _("%(count)d more areas break a red line: see the table.") % {
            "count": len(red) - ATTENTION_SHOWN
        }
    return text
