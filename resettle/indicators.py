"""The indicator catalogue: each app declares its indicators in its `indicators.py`; reports,
dashboards and the API compose them and never count anything themselves.

An indicator is computed for a `Grouping`: a region's subtree as of a date, either in total, per
child region, per county or per site, within an access scope. A *source* computes several
indicators with one grouped query; a *ratio* derives from two counts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Substr
from django.utils.functional import Promise

from resettle.scoping import LEVEL_LENGTHS, Scope, child_length

Key = str | int
Values = dict[Key, dict[str, object]]
By = Literal["total", "child", "county", "site"]

TOTAL = "total"


@dataclass(frozen=True)
class Indicator:
    """One figure of the catalogue. `kind` is "count", "amount", "ratio" (a value in 0–1) or
    "breakdown": a count per category, {category code: count}, its `categories` the (code, label)
    pairs in their order."""

    code: str
    name: str | Promise
    unit: str | Promise
    definition: str | Promise
    kind: str = "count"
    source: str | Promise = ""
    app: str = ""
    categories: tuple = ()


@dataclass(frozen=True)
class Grouping:
    """What the values are for: the subtree of `region_code` as of `as_of`, restricted to `scope`,
    in total (key TOTAL), or keyed by child-region code, county code, or site id."""

    region_code: str
    as_of: dt.date
    scope: Scope
    by: By = "total"

    def key_length(self) -> int:
        if self.by == "child":
            return child_length(self.region_code)
        return LEVEL_LENGTHS["county"]

    def key(self, model) -> Value | F | Substr:
        """The expression of a row's group for a scoped model."""
        if self.by == "total":
            return Value(TOTAL)
        if self.by == "site":
            return F(model.scope_site_field)
        return Substr(model.scope_region_field, 1, self.key_length())

    def within(self, queryset: QuerySet) -> QuerySet:
        """`queryset` (a ScopedQuerySet) restricted to the region's subtree and the scope."""
        return queryset.within(self.scope.narrowed_to(self.region_code))

    def rows(self, queryset: QuerySet, **fields) -> QuerySet:
        """`queryset` within the grouping as value rows of `_key` (the group) and `fields`: for a
        source that aggregates them in its own grouped SQL."""
        return self.within(queryset).order_by().values(_key=self.key(queryset.model), **fields)

    def aggregate(self, queryset: QuerySet, **aggregates) -> Values:
        """Run `aggregates` over `queryset` (a ScopedQuerySet) as one grouped query."""
        rows = self.within(queryset)
        if self.by == "total":
            return {TOTAL: rows.aggregate(**aggregates)}
        grouped = rows.order_by().values(_key=self.key(queryset.model))
        return {row.pop("_key"): row for row in grouped.annotate(**aggregates)}


Compute = Callable[[Grouping], Values]


@contextlib.contextmanager
def analytic_session():
    """A cursor for a source's own grouped SQL over many rows. On PostgreSQL, in a transaction
    with `work_mem` raised (settings.INDICATOR_WORK_MEM) so that its hashes and sorts stay in
    memory."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('work_mem', %s, true)", [settings.INDICATOR_WORK_MEM])
        yield cursor


@dataclass(frozen=True)
class _Source:
    codes: tuple[str, ...]
    compute: Compute


@dataclass(frozen=True)
class _Ratio:
    code: str
    numerator: str
    denominator: str


class Catalogue:
    def __init__(self):
        self._indicators: dict[str, Indicator] = {}
        self._sources: list[_Source] = []
        self._ratios: list[_Ratio] = []

    def _add(self, indicator: Indicator):
        if indicator.code in self._indicators:
            raise ValueError(f"indicator {indicator.code} is declared twice")
        self._indicators[indicator.code] = indicator

    def source(self, *indicators: Indicator) -> Callable[[Compute], Compute]:
        """Declare indicators computed together by the decorated function."""

        def register(compute: Compute) -> Compute:
            for indicator in indicators:
                self._add(indicator)
            self._sources.append(_Source(tuple(i.code for i in indicators), compute))
            return compute

        return register

    def ratio(self, indicator: Indicator, *, numerator: str, denominator: str) -> None:
        """Declare `indicator` as numerator ÷ denominator (None where the denominator is 0)."""
        self._add(indicator)
        self._ratios.append(_Ratio(indicator.code, numerator, denominator))

    def all(self) -> list[Indicator]:
        return list(self._indicators.values())

    def get(self, code: str) -> Indicator:
        return self._indicators[code]

    def values(self, grouping: Grouping, codes: Iterable[str] | None = None) -> Values:
        """{key: {code: value}} for the wanted codes (all when None); keys with no rows are absent
        unless a count made them, and callers fill zeros for the keys they list."""
        wanted = set(self._indicators) if codes is None else set(codes)
        unknown = wanted - set(self._indicators)
        if unknown:
            raise KeyError(f"unknown indicators: {sorted(unknown)}")
        ratios = [r for r in self._ratios if r.code in wanted]
        needed = wanted | {r.numerator for r in ratios} | {r.denominator for r in ratios}
        result: Values = {}
        for source in self._sources:
            if needed.isdisjoint(source.codes):
                continue
            for key, row in source.compute(grouping).items():
                result.setdefault(key, {}).update(
                    {c: v for c, v in row.items() if c in source.codes and c in needed}
                )
        for row in result.values():
            for ratio in ratios:
                den = row.get(ratio.denominator) or 0
                row[ratio.code] = round((row.get(ratio.numerator) or 0) / den, 4) if den else None
            for code in needed - wanted:
                row.pop(code, None)
        return result

    def empty_row(self, codes: Iterable[str] | None = None) -> dict[str, object]:
        """The values of a region or site with no records: 0 for counts, None for ratios, zeros
        for each category of a breakdown."""
        wanted = self._indicators if codes is None else codes
        return {c: self._empty(self._indicators[c]) for c in wanted}

    @staticmethod
    def _empty(indicator: Indicator) -> object:
        if indicator.kind == "ratio":
            return None
        if indicator.kind == "breakdown":
            return {code: 0 for code, _label in indicator.categories}
        return 0


catalogue = Catalogue()
