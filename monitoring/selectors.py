"""Reads of monitoring: the income line that applies, the latest income checks, due dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, DecimalField, Exists, F, OuterRef, Q, Value, When, Window
from django.db.models.functions import RowNumber

from monitoring.models import Alert, AssistanceMeasure, IncomeCheck, MonitoringCase, MonitoringLine
from resettle.models import running_on


def lines() -> list[tuple[int, str | None, Decimal]]:
    """Every line as (year, region code or None for the national one, amount)."""
    return list(MonitoringLine.objects.values_list("year", "region_id", "amount"))


def line_for(year: int, region_code: str, known=None) -> Decimal | None:
    """The line for incomes of `year` in the region `region_code` (a site's code will do): the
    most specific region with a line of that year or before, its latest such line; the national
    line where no region has one. None when no line was ever set."""
    known = lines() if known is None else known
    best: tuple[int, int] | None = None
    amount = None
    for line_year, region, value in known:
        if line_year > year or (region is not None and not region_code.startswith(region)):
            continue
        rank = (len(region) if region else 0, line_year)
        if best is None or rank > best:
            best, amount = rank, value
    return amount


def line_expression(years, region_field: str, year_field: str = "year"):
    """The line of each row in SQL, for rows with an income year in `years`: one CASE over the
    (year, region) pairs, most specific region first. NULL where no line was ever set."""
    known = lines()
    regions = sorted({r for _y, r, _a in known if r}, key=len, reverse=True)
    whens = []
    for year in sorted(set(years)):
        for region in regions:
            amount = line_for(year, region, known)
            if amount is not None:
                whens.append(
                    When(
                        Q(**{year_field: year, f"{region_field}__startswith": region}),
                        then=Value(amount),
                    )
                )
        national = line_for(year, "", known)
        if national is not None:
            whens.append(When(Q(**{year_field: year}), then=Value(national)))
    output = DecimalField(max_digits=12, decimal_places=2)
    if not whens:
        return Value(None, output_field=output)
    return Case(*whens, default=Value(None), output_field=output)


def latest_checks(as_of: dt.date, queryset=None):
    """Each household's latest income check made by `as_of` (the latest income year, then the
    latest check of it), with `line`, the line of its income year. The latest are chosen first,
    so that a rule's condition is applied to them only, never to an older check."""
    checks = (queryset if queryset is not None else IncomeCheck.objects).filter(
        checked_on__lte=as_of
    )
    latest = checks.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("household_id")],
            order_by=[F("year").desc(), F("checked_on").desc(), F("id").desc()],
        )
    ).filter(rank=1)
    first = MonitoringLine.objects.order_by("year").values_list("year", flat=True).first()
    years = range(first, as_of.year + 1) if first is not None else ()
    return IncomeCheck.objects.filter(pk__in=latest.values("pk")).annotate(
        line=line_expression(years, "household__site__region_code")
    )


def working_days_before(day: dt.date, count: int) -> dt.date:
    """The date `count` working days (Monday to Friday) before `day`. Public holidays are not
    counted out: no calendar of them is kept."""
    while count > 0:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def visit_due(opened_on: dt.date) -> dt.date:
    """The last day for the home visit of a case opened on `opened_on`."""
    day, count = opened_on, settings.MONITORING["VISIT_WORKING_DAYS"]
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def overdue_on(as_of: dt.date) -> Q:
    """Cases whose home visit was due before `as_of` and not made by then (still open then)."""
    cutoff = working_days_before(as_of, settings.MONITORING["VISIT_WORKING_DAYS"])
    return (
        Q(opened_on__lt=cutoff)
        & (Q(visited_on__isnull=True) | Q(visited_on__gt=as_of))
        & (Q(closed_on__isnull=True) | Q(closed_on__gt=as_of))
    )


def identified_on(as_of: dt.date, prefix: str = "") -> Q:
    """Cases included in monitoring by `as_of` and not yet eliminated then."""
    return Q(**{f"{prefix}identified_on__lte": as_of}) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": as_of})
    )


def without_measure_on(as_of: dt.date) -> Q:
    """Cases monitored on `as_of` (`identified_on`) with no assistance measure running then
    (Yuncheng plan §三(一): every monitored household is helped)."""
    measured = AssistanceMeasure.objects.filter(running_on(as_of), case=OuterRef("pk"))
    return identified_on(as_of) & ~Exists(measured)


def cases_opened_by(as_of: dt.date):
    """The cases opened by `as_of`: what the figures of monitoring count on that date."""
    return MonitoringCase.objects.filter(opened_on__lte=as_of)


def alerts_open_on(as_of: dt.date):
    """Alerts raised by `as_of` and neither answered nor dismissed by then."""
    return Alert.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=as_of), raised_on__lte=as_of
    )


def with_risk(code: str) -> Q:
    """Cases listing the risk `code` among theirs."""
    return (
        Q(risks=code)
        | Q(risks__startswith=f"{code},")
        | Q(risks__endswith=f",{code}")
        | Q(risks__contains=f",{code},")
    )
