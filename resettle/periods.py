"""Month arithmetic, the one place for it: a period is a month written "YYYY-MM" (the monthly
dispatch reports', the dashboards'), compared as text; a date moves by whole months here too.

Pure functions of their arguments (no database, no settings); dates are `datetime.date`."""

from __future__ import annotations

import calendar
import datetime as dt
import re

# A month as the reports and the dashboards write it: 2026-10 (01 to 12).
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def is_period(text: str | None) -> bool:
    """Whether `text` is a month written "YYYY-MM" (month 01 to 12); None and "" are not."""
    return bool(PERIOD.match(text or ""))


def _year_month(period: str) -> tuple[int, int]:
    year, month = (int(part) for part in period.split("-"))
    return year, month


def period_of(day: dt.date) -> str:
    """The month holding `day`, as "YYYY-MM"."""
    return f"{day.year:04d}-{day.month:02d}"


def first_day(period: str) -> dt.date:
    """The first day of the month `period` ("YYYY-MM"); ValueError for a month out of 1–12."""
    year, month = _year_month(period)
    return dt.date(year, month, 1)


def last_day(period: str) -> dt.date:
    """The last day of the month `period` ("YYYY-MM"): 2024-02 → 2024-02-29. ValueError for a
    month out of 1–12."""
    year, month = _year_month(period)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month_before(period: str) -> str:
    """The month before `period`, as "YYYY-MM": 2026-01 → 2025-12."""
    return period_of(first_day(period) - dt.timedelta(days=1))


def last_ended(today: dt.date | None = None) -> str:
    """The last month that has ended on `today` (by default the server's date today), as
    "YYYY-MM": the month before today's."""
    return month_before(period_of(today or dt.date.today()))


def months_after(day: dt.date, months: int) -> dt.date:
    """`day` moved by `months` whole months (back when negative), on the same day of the month,
    or the month's last day where it has no such day: 2026-01-31 + 1 → 2026-02-28."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
