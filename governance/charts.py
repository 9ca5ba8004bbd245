"""The dashboards' charts as data (the page's script only draws them): bars of a breakdown or
of the rows compared, and the monthly trend lines of the last reports."""

from __future__ import annotations

from django.utils.translation import gettext as _

from governance.selectors import report_trend
from resettle.indicators import catalogue, shown

# The trend charts' lines: the rates, and the counts of households and alerts.
TREND_RATES = ("employment_rate", "one_per_household_rate", "property_certificate_rate")
TREND_COUNTS = (
    "zero_employment_households",
    "monitored_households",
    "eliminated_this_month",
    "open_alerts",
)


def bar(key: str, title: str, unit: str, value_kind: str, names, series, **extra) -> dict:
    """A chart's data: categories (`names`), one or more `series` of (name, raw values), and
    each value as the table shows it (`value_kind`: a catalogue kind, "ratio" as percent);
    `extra` keys are passed on (kind="bar" or "line", links, target …)."""
    return {
        "key": key,
        "title": title,
        "unit": unit,
        "percent": value_kind == "ratio",
        "categories": list(names),
        "series": [
            {"name": name, "values": values, "labels": [shown(value_kind, v) for v in values]}
            for name, values in series
        ],
        **extra,
    }


def breakdown_chart(code: str, values: dict) -> dict:
    """A horizontal bar chart of the breakdown indicator `code` in a row of catalogue
    `values`: one bar per category, zero where none is counted."""
    indicator = catalogue.get(code)
    counts = values.get(code) or {}
    kind = indicator.category_kind
    return bar(
        code,
        str(indicator.name),
        str(indicator.unit),
        kind,
        [str(label) for _c, label in indicator.categories],
        [(str(indicator.name), [counts.get(c, 0) for c, _label in indicator.categories])],
        kind="bar",
        horizontal=True,
    )


def trend_charts(code: str, site_id: int | None, until: str | None) -> list[dict]:
    """Two line charts of the last months' reports of region `code` (or of its site
    `site_id`), up to the month `until` when given: the rates and the counts; each point says
    whether its report is approved."""
    months, approved, points = report_trend(code, site_id, until)
    charts = []
    for key, title, codes, kind in (
        ("trend_rates", _("Monthly trend: rates"), TREND_RATES, "ratio"),
        ("trend_counts", _("Monthly trend: households and alerts"), TREND_COUNTS, "count"),
    ):
        chart = bar(
            key,
            title,
            "%" if kind == "ratio" else "",
            kind,
            months,
            [(str(catalogue.get(c).name), [p.get(c) for p in points]) for c in codes],
            kind="line",
            approved=approved,
        )
        charts.append(chart)
    return charts
