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
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet, Sum, Value
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
    pairs in their order; `category_kind` "amount" when a breakdown's values are sums of money."""

    code: str
    name: str | Promise
    unit: str | Promise
    definition: str | Promise
    kind: str = "count"
    source: str | Promise = ""
    app: str = ""
    categories: tuple = ()
    category_kind: str = "count"
    # The records the figure counts (drill-through): a function of an `Area` giving a queryset
    # whose count is the figure for that area; `records_sum` names the field whose sum it is
    # instead (jobs offered by workshops, say). None: the figure opens no list (amounts).
    records: Callable[[Area], QuerySet] | None = None
    records_sum: str = ""
    # Said under a table whose rows can add up to more than the total: how one record counts
    # in several rows (a project serving several sites counts at each).
    shared_note: str | Promise = ""


@dataclass(frozen=True)
class Grouping:
    """What the values are for: the subtree of `region_code` as of `as_of`, restricted to `scope`,
    in total (key TOTAL), or keyed by child-region code, county code, or site id. `length` keys
    the rows by the region codes of that length instead (e.g. 9: by township, a whole province at
    once)."""

    region_code: str
    as_of: dt.date
    scope: Scope
    by: By = "total"
    length: int | None = None

    def key_length(self) -> int:
        if self.length is not None:
            return self.length
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


@dataclass(frozen=True)
class Area:
    """Where a figure's records are listed (drill-through): the subtree of `region_code`, or the
    one site `site_id` within it, as of `as_of`, restricted to `scope`; `category` is a
    breakdown's category code (None for a plain count). An indicator's `records` applies it to
    its population with `within` (records located by their own site) or `sites` (records
    located by the sites they serve, as projects are)."""

    as_of: dt.date
    scope: Scope
    region_code: str
    site_id: int | None = None
    category: str | None = None

    def within(self, queryset: QuerySet) -> QuerySet:
        """`queryset` (a ScopedQuerySet) restricted to the area: the region's subtree within the
        scope, and the site when there is one."""
        rows = queryset.within(self.scope.narrowed_to(self.region_code))
        if self.site_id is not None:
            field = queryset.model.scope_site_field
            if field is None:
                raise ValueError(f"{queryset.model.__name__} has no site to list by")
            rows = rows.filter(**{field: self.site_id})
        return rows

    def sites(self, queryset: QuerySet) -> QuerySet:
        """The ids of the sites of the area (`queryset`: the Site model's), for records located
        by the sites they serve."""
        return self.within(queryset).values("pk")


@contextlib.contextmanager
def analytic_session():
    """A cursor for a source's own grouped SQL over many rows. On PostgreSQL, in a transaction
    with `work_mem` raised (settings.INDICATOR_WORK_MEM) so that its hashes and sorts stay in
    memory."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('work_mem', %s, true)", [settings.INDICATOR_WORK_MEM])
        yield cursor


CENT = Decimal("0.01")


@dataclass(frozen=True)
class Mean:
    """An average kept as its sum and its count while regions are added up from their sites (an
    average of averages is no average): a source of `kind="amount"` declared additive returns
    one, and the catalogue gives the figure `value`. `total` is a Decimal (元), summed exactly;
    the figure is total ÷ count rounded half up (四舍五入) to 0.01 as a float, 0 where nothing
    was counted (as the average of no records was shown before)."""

    total: Decimal
    count: int

    def __add__(self, other: Mean) -> Mean:
        return Mean(self.total + other.total, self.count + other.count)

    @property
    def value(self) -> float:
        if not self.count:
            return 0
        return float((self.total / self.count).quantize(CENT, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class _Source:
    codes: tuple[str, ...]
    compute: Compute
    additive: bool = False


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

    def source(
        self, *indicators: Indicator, additive: bool = False
    ) -> Callable[[Compute], Compute]:
        """Declare indicators computed together by the decorated function. `additive`: each
        record it counts belongs to one site, so a region's values are the sum of its sites'
        (counts and breakdowns, and averages given as a `Mean`); `rollup` then computes it
        once, by site."""
        if additive and any(i.kind not in ("count", "breakdown", "amount") for i in indicators):
            raise ValueError("only counts, breakdowns and means are summed up from sites")

        def register(compute: Compute) -> Compute:
            for indicator in indicators:
                self._add(indicator)
            codes = tuple(i.code for i in indicators)
            self._sources.append(_Source(codes, compute, additive))
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

    def additive(self, code: str) -> bool:
        """Whether a region's value of `code` is the sum of its sites' (each record it counts
        belongs to one site); a ratio, an average (added up from sums and counts, not from the
        sites' figures) or an amount of shared records is not."""
        if self._indicators[code].kind == "amount":
            return False
        return any(code in s.codes and s.additive for s in self._sources)

    def records(self, code: str, area: Area) -> QuerySet:
        """The records the figure `code` counts in `area` (a breakdown's, of `area.category`):
        their count (or the sum of `records_sum`, `records_total`) is the figure. Raises
        KeyError for an unknown code or one that opens no list."""
        indicator = self._indicators[code]
        if indicator.records is None:
            raise KeyError(f"{code} opens no list of records")
        return indicator.records(area)

    @staticmethod
    def records_total(indicator: Indicator, records: QuerySet) -> int:
        """What a list of the records of `indicator` adds up to: their count, or the sum of the
        field `records_sum` (an int; 0 for none)."""
        if indicator.records_sum:
            return records.aggregate(total=Sum(indicator.records_sum))["total"] or 0
        return records.count()

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
            _merge(result, source.compute(grouping), set(source.codes) & needed)
        for row in result.values():
            _derive(row, ratios)
            _finish(row)
            for code in needed - wanted:
                row.pop(code, None)
        return result

    def rollup(
        self,
        region_code: str,
        as_of: dt.date,
        scope: Scope,
        *,
        site_regions: dict[int, str],
        lengths: Iterable[int],
        progress: Callable[[float], None] | None = None,
    ) -> dict[object, Values]:
        """Every indicator of the subtree of `region_code`, by site (key "site") and by the region
        codes of each length in `lengths` (e.g. 4, 6, 9: by prefecture, county and township), in
        one pass: an additive source is computed once, by site, and its rows summed by each
        site's region code (`site_regions`: site id → region code); the others once per length.
        Each level equals `values` for the same grouping; a whole province's monthly reports are
        cut out of one rollup. `progress` hears the share of sources done."""
        lengths = tuple(lengths)
        by_site = Grouping(region_code, as_of, scope, by="site")
        levels: dict[object, Values] = {"site": {}, **{n: {} for n in lengths}}
        for done, source in enumerate(self._sources, start=1):
            codes = set(source.codes)
            site_rows = source.compute(by_site)
            _merge(levels["site"], site_rows, codes)
            for n in lengths:
                if source.additive:
                    summed: Values = {}
                    for site_id, row in site_rows.items():
                        _add(summed.setdefault(site_regions[site_id][:n], {}), row, codes)
                    _merge(levels[n], summed, codes)
                else:
                    grouping = Grouping(region_code, as_of, scope, by="child", length=n)
                    _merge(levels[n], source.compute(grouping), codes)
            if progress is not None:
                progress(done / len(self._sources))
        for values in levels.values():
            for row in values.values():
                _derive(row, self._ratios)
                _finish(row)
        return levels

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


def shown(kind: str, value) -> str:
    """A value as people read it (the workbook's number formats): "—" for no figure, a ratio
    as a percentage, an amount with two decimals, a change with its sign."""
    if value is None:
        return "—"
    if kind == "ratio":
        return f"{value * 100:.1f}%"
    if kind == "amount":
        return f"{value:,.2f}"
    if kind == "change":
        return f"{value:+,}"
    return f"{value:,}"


def _merge(result: Values, rows: Values, codes: set[str]) -> None:
    for key, row in rows.items():
        result.setdefault(key, {}).update({c: v for c, v in row.items() if c in codes})


def _add(total: dict, row: dict, codes: set[str]) -> None:
    """Add a site's counts (and breakdowns, category by category) to a region's."""
    for code, value in row.items():
        if code not in codes:
            continue
        if isinstance(value, dict):
            into = total.setdefault(code, {})
            for category, count in value.items():
                into[category] = into.get(category, 0) + (count or 0)
        elif isinstance(value, Mean):
            total[code] = total.get(code, Mean(Decimal(0), 0)) + value
        elif value is None:
            total.setdefault(code, None)
        else:
            total[code] = (total.get(code) or 0) + value


def _finish(row: dict) -> None:
    """Each average kept as a `Mean` given as its figure."""
    for code, value in row.items():
        if isinstance(value, Mean):
            row[code] = value.value


def _derive(row: dict, ratios: Iterable[_Ratio]) -> None:
    for ratio in ratios:
        den = row.get(ratio.denominator) or 0
        row[ratio.code] = round((row.get(ratio.numerator) or 0) / den, 4) if den else None


catalogue = Catalogue()
