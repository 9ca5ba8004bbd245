"""Writes of industry support, with their rules (issue: industry projects, "Bad input"). Every
function runs in one transaction, checks the actor may write the record, and answers a broken
rule with a Chinese message saying what to fix."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from households.choices import PersonStatus
from households.models import Household, Person, Site
from households.selectors import with_head
from industry.models import (
    BenefitLink,
    Dividend,
    IndustryProject,
    Investment,
    ProjectSite,
    ProjectStatusChange,
)
from resettle import latechanges
from resettle.bulk import insert_with_history
from resettle.imports import ImportResult, Row, RowError, chunks, field_change
from resettle.latechanges import DatedChange
from resettle.scoping import check_editable
from resettle.services import check_not_future, save_checked
from resettle.validators import check_bounds
from resettle.versioning import versioned_update

if TYPE_CHECKING:
    from resettle.excel import Column

YEAR_MESSAGE = gettext_lazy("Write the year the dividend is for, up to this year.")
DIVIDEND_PAID = gettext_noop("dividend paid")


def dated_on(record) -> dt.date | None:
    """The day from which figures count an investment (1 January of its year), a benefit link
    (its start) or a dividend (its payment); None when that is not known, the record then
    counting from the day it was entered."""
    if isinstance(record, Investment):
        return dt.date(record.year, 1, 1) if record.year else None
    if isinstance(record, BenefitLink):
        return record.since
    return record.paid_on


def _dated_note(*, actor, project: IndustryProject, record, on: dt.date | None, what: str) -> None:
    """Tell `resettle.latechanges` of a written fact of industry support: whoever dates one into
    an approved month is told. A household's record is placed by its household, a project's by
    the project's county."""
    if on is None:
        return
    household_id = getattr(record, "household_id", None)
    latechanges.note(
        actor=actor,
        changes=[
            DatedChange(
                on=on,
                what=what,
                record=record,
                household_id=household_id,
                label="" if household_id else project.code,
                region="" if household_id else project.county_id,
            )
        ],
    )


def _check_dates(project: IndustryProject) -> None:
    errors = {}
    for start, end in (
        ("planned_start", "planned_completion"),
        ("actual_start", "actual_completion"),
    ):
        begun, done = getattr(project, start), getattr(project, end)
        if begun and done and done < begun:
            errors[end] = _("Completion cannot come before the start (%(date)s).") % {
                "date": begun.isoformat()
            }
    if errors:
        raise ValidationError(errors)
    check_not_future(actual_start=project.actual_start, actual_completion=project.actual_completion)


def _check_sites(project: IndustryProject, served: list[tuple[Site, int | None]]) -> None:
    """Refuse a served site outside the project's county, listed twice, or with a negative
    travel time or one past what the column holds."""
    seen, twice = set(), []
    for site, _minutes in served:
        if site.pk in seen and site.name not in twice:
            twice.append(site.name)
        seen.add(site.pk)
    if twice:
        raise ValidationError(
            {
                "sites": _("%(sites)s listed twice: name each site served once.")
                % {"sites": "、".join(twice)}
            }
        )
    outside = [s.name for s, _m in served if s.county_id != project.county_id]
    if outside:
        raise ValidationError(
            {
                "sites": _(
                    "%(sites)s lie outside the project's county: a project serves sites of its "
                    "own county."
                )
                % {"sites": "、".join(outside)}
            }
        )
    negative = [s.name for s, m in served if m is not None and m < 0]
    if negative:
        raise ValidationError({"sites": _("A travel time is a number of minutes, 0 or more.")})
    minutes = ProjectSite._meta.get_field("travel_minutes")
    for _site, given in served:
        try:
            check_bounds(minutes, given)
        except ValidationError as exc:
            raise ValidationError({"sites": exc.messages}) from None


def _check_status_date(project: IndustryProject, status_since: dt.date | None) -> None:
    """Refuse a status without its date, dated in the future, or dated before the latest
    status the project has (a later change cannot come first)."""
    status = project.get_status_display()
    if status_since is None:
        raise ValidationError(
            {
                "status_since": _(
                    "Write the date the project became «%(status)s»: figures of past dates "
                    "count the project by the status of that date."
                )
                % {"status": status}
            }
        )
    if status_since > dt.date.today():
        raise ValidationError(
            {
                "status_since": _(
                    "The date the project became «%(status)s» cannot be in the future: record "
                    "the change once it has happened."
                )
                % {"status": status}
            }
        )
    if project.pk is None:
        return
    latest = (
        ProjectStatusChange.objects.filter(project=project)
        .annotate(since=ProjectStatusChange.counted_from())
        .order_by("-since", "-id")
        .first()
    )
    if latest is not None and status_since < latest.since:
        raise ValidationError(
            {
                "status_since": _(
                    "The project is «%(status)s» since %(date)s: a change of status is dated on "
                    "or after it."
                )
                % {"status": latest.get_status_display(), "date": latest.since.isoformat()}
            }
        )


@transaction.atomic
def project_save(
    *,
    actor,
    data: dict,
    served: list[tuple[Site, int | None]] | None = None,
    project: IndustryProject | None = None,
    version: int | None = None,
    status_since: dt.date | None = None,
) -> IndustryProject:
    """Create or change a project (`version` as read when changing) and, when `served` is
    given, the sites it serves with the travel time from each. A new project, or one whose
    `status` changes, needs `status_since`: the day it took that status (a fact, never the day
    of entry), which is kept in its status history (`ProjectStatusChange`) so that a past date
    sees the status of that date (issue 14). Returns the saved project; raises ValidationError
    (by field) for a broken rule, VersionConflict when someone saved it since `version`."""
    if project is None:
        project = IndustryProject(**data)
        status_changed = True
    else:
        project = versioned_update(project, changes=data, version=version, actor=actor)
        # The stored status (the row is locked now): a form may have set it on the instance.
        stored = IndustryProject.objects.filter(pk=project.pk).values_list("status", flat=True)
        status_changed = project.status != stored.get()
    _check_dates(project)
    if served is None and project.pk is not None:
        # The sites it serves stay: they must lie in its county still.
        served = [
            (s.site, s.travel_minutes)
            for s in ProjectSite.objects.filter(project=project).select_related("site")
        ]
    if served is not None:
        _check_sites(project, served)
    if project.area_m2 is not None and project.area_m2 < 0:
        raise ValidationError({"area_m2": _("An area cannot be negative.")})
    if status_changed:
        _check_status_date(project, status_since)
    save_checked(project, actor=actor)
    if status_changed:
        change = ProjectStatusChange.objects.create(
            project=project, status=project.status, changed_on=status_since, by=actor
        )
        _dated_note(
            actor=actor,
            project=project,
            record=change,
            on=status_since,
            what=gettext_noop("project status changed"),
        )
    if served is not None:
        ProjectSite.objects.filter(project=project).delete()
        ProjectSite.objects.bulk_create(
            [ProjectSite(project=project, site=s, travel_minutes=m) for s, m in served]
        )
    return project


def _not_negative(amount: Decimal | None, field: str = "amount") -> None:
    if amount is not None and amount < 0:
        raise ValidationError({field: _("An amount cannot be negative.")})


@transaction.atomic
def investment_add(*, actor, project: IndustryProject, data: dict) -> Investment:
    """Record money put into `project`: `data` has `source`, `amount` (yuan), `year` (the year
    the money was invested, None when not known) and `note`. Figures count it from 1 January of
    its year (`industry.indicators.investment`). Returns it; raises ValidationError for a
    negative amount or a year still to come, PermissionDenied when the actor may not write the project."""
    check_editable(actor, project)
    investment = Investment(project=project, by=actor, **data)
    _not_negative(investment.amount)
    if investment.year is not None and investment.year > dt.date.today().year:
        raise ValidationError(
            {
                "year": _("%(year)s has not come yet: write the year the money was invested.")
                % {"year": investment.year}
            }
        )
    save_checked(investment, actor=actor)
    _dated_note(
        actor=actor,
        project=project,
        record=investment,
        on=dated_on(investment),
        what=gettext_noop("investment recorded"),
    )
    return investment


@transaction.atomic
def link_add(*, actor, project: IndustryProject, household: Household, data: dict) -> BenefitLink:
    check_editable(actor, project)
    if BenefitLink.objects.filter(
        project=project, household=household, kind=data.get("kind")
    ).exists():
        raise ValidationError(
            _("Household %(household)s is already linked to this project that way.")
            % {"household": household.household_no}
        )
    link = BenefitLink(project=project, household=household, by=actor, **data)
    check_not_future(since=link.since)
    save_checked(link, actor=actor)
    _dated_note(
        actor=actor,
        project=project,
        record=link,
        on=dated_on(link),
        what=gettext_noop("benefit link recorded"),
    )
    return link


def dividend_problem(
    project: IndustryProject, household: Household, year: int, linked: bool
) -> str:
    """Why a dividend cannot be recorded, or ""."""
    if not linked:
        return _(
            "Household %(household)s is not linked to project %(project)s: record the benefit "
            "link first."
        ) % {"household": household.household_no, "project": project.code}
    return ""


@transaction.atomic
def dividend_add(*, actor, project: IndustryProject, household: Household, data: dict) -> Dividend:
    """Record a dividend: the household must be linked to the project, once a year. `data` has
    `year`, `amount` (yuan) and `paid_on` (the day it was paid; None when not known, never
    filled in). Returns the dividend; raises ValidationError for a broken rule."""
    check_editable(actor, household)
    check_editable(actor, project)
    dividend = Dividend(project=project, household=household, by=actor, **data)
    _not_negative(dividend.amount)
    if not 2000 <= (dividend.year or 0) <= dt.date.today().year:
        raise ValidationError({"year": str(YEAR_MESSAGE)})
    linked = BenefitLink.objects.filter(project=project, household=household).exists()
    problem = dividend_problem(project, household, dividend.year, linked)
    if problem:
        raise ValidationError(problem)
    if Dividend.objects.filter(project=project, household=household, year=dividend.year).exists():
        raise ValidationError(
            _("Household %(household)s already has a dividend of %(project)s for %(year)s.")
            % {"household": household.household_no, "project": project.code, "year": dividend.year}
        )
    check_not_future(paid_on=dividend.paid_on)
    save_checked(dividend, actor=actor)
    _dated_note(
        actor=actor,
        project=project,
        record=dividend,
        on=dated_on(dividend),
        what=DIVIDEND_PAID,
    )
    return dividend


@transaction.atomic
def record_remove(*, actor, record, reason: str) -> None:
    """Remove an investment, a benefit link or a dividend recorded by mistake; its history keeps
    who removed it, when and why. A link whose household was paid dividends stays."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    check_editable(actor, record)
    check_editable(actor, record.project)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the record is removed.")})
    if (
        isinstance(record, BenefitLink)
        and Dividend.objects.filter(project=record.project, household=record.household).exists()
        and not BenefitLink.objects.filter(project=record.project, household=record.household)
        .exclude(pk=record.pk)
        .exists()
    ):
        raise ValidationError(
            _(
                "Household %(household)s was paid dividends by this project: the link that explains "
                "them stays. Remove the dividends first if they were recorded by mistake."
            )
            % {"household": record.household.household_no}
        )
    record._history_user = actor
    record._change_reason = reason.strip()[:100]
    _dated_note(
        actor=actor,
        project=record.project,
        record=record,
        on=dated_on(record),
        what=gettext_noop("record removed"),
    )
    record.delete()


# --- The dividend import (分红发放表) ---------------------------------------------------------


@dataclass
class DividendPlan:
    """What a dividend import writes: the new dividends (a recorded one is never changed)."""

    new: list[Dividend] = field(default_factory=list)


@dataclass
class _DividendLookups:
    """What a dividend workbook's rows refer to, read in a few queries: the households of the
    actor's area by a registered member's ID number (`by_number`) and by household number
    (`by_no`), those households by id, the area's projects by code, which (project, household)
    pairs are linked, and the recorded dividends by (project, household, year)."""

    by_number: dict[str, int]
    by_no: dict[str, int]
    households: dict[int, Household]
    projects: dict[str, IndustryProject]
    linked: set[tuple[int, int]]
    existing: dict[tuple[int, int, int], Dividend]

    @classmethod
    def of(cls, actor, rows: list[Row]) -> _DividendLookups:
        # Households are looked up in the area the user may record in only: one outside it
        # reads as unknown, so the sheet tells nothing about other areas.
        area = Household.objects.editable_by(actor)
        numbers = sorted({n for r in rows if (n := r.values["id_number"])})
        by_number: dict[str, int] = {}
        for part in chunks(numbers):
            by_number.update(
                Person.objects.filter(
                    id_number__in=part, status=PersonStatus.ACTIVE, household__in=area
                ).values_list("id_number", "household_id")
            )
        household_nos = sorted({n for r in rows if (n := r.values["household_no"])})
        households: dict[int, Household] = {}
        by_no: dict[str, int] = {}
        for part in chunks(household_nos):
            for h in area.filter(household_no__in=part):
                by_no[h.household_no] = h.pk
        ids = sorted(set(by_number.values()) | set(by_no.values()))
        for part in chunks(ids):
            households.update({h.pk: h for h in with_head(Household.objects.filter(pk__in=part))})
        codes = sorted({c for r in rows if (c := r.values["project_code"])})
        projects = {
            p.code: p for p in IndustryProject.objects.editable_by(actor).filter(code__in=codes)
        }
        project_ids = [p.pk for p in projects.values()]
        linked = set(
            BenefitLink.objects.filter(
                project_id__in=project_ids, household_id__in=ids
            ).values_list("project_id", "household_id")
        )
        existing = {
            (d.project_id, d.household_id, d.year): d
            for d in Dividend.objects.filter(project_id__in=project_ids, household_id__in=ids)
        }
        return cls(by_number, by_no, households, projects, linked, existing)

    def household_of(self, row: Row, error) -> int | None:
        """The id of the household `row` names (by household number, ID number or both, which
        must agree), or None after `error(row, column key, message)` says why not."""
        v = row.values
        if not v["id_number"] and not v["household_no"]:
            error(
                row, "id_number", _("Fill in the ID number of a member, or the household number.")
            )
            return None
        household_id = None
        if v["household_no"]:
            household_id = self.by_no.get(v["household_no"])
            if household_id is None:
                error(
                    row,
                    "household_no",
                    _("No household numbered %(no)s in the area where you may record.")
                    % {"no": v["household_no"]},
                )
                return None
        if v["id_number"]:
            holder = self.by_number.get(v["id_number"])
            if holder is None:
                error(
                    row,
                    "id_number",
                    _("Nobody registered has the ID number %(number)s.")
                    % {"number": v["id_number"]},
                )
                return None
            if household_id is not None and holder != household_id:
                error(
                    row,
                    "household_no",
                    _("The ID number %(number)s belongs to another household than %(no)s.")
                    % {"number": v["id_number"], "no": v["household_no"]},
                )
                return None
            household_id = holder
        return household_id


def _dividend_row_problem(
    v: dict, project: IndustryProject, household: Household, linked: bool, today: dt.date
) -> tuple[str, str] | None:
    """(column key, message) of the first thing wrong with a dividend row's amount, year, day
    paid (a blank day is not known: stored blank, never the import day, issue 14) or link
    (`dividend_problem`), or None."""
    if v["amount"] < 0:
        return "amount", _("An amount cannot be negative.")
    if v["year"] > today.year or v["year"] < 2000:
        return "year", str(YEAR_MESSAGE)
    if v["paid_on"] is not None and v["paid_on"] > today:
        return "paid_on", _("The date cannot be in the future.")
    problem = dividend_problem(project, household, v["year"], linked)
    if problem:
        return "project_code", problem
    return None


def dividend_import_plan(
    *, actor, rows: list[Row], result: ImportResult, columns: Mapping[str, Column]
) -> DividendPlan:
    """Check the parsed `rows` of a dividend workbook (分红发放表; `Row.values` by column key, see
    `industry.excel`) as `actor`, without writing: each row finds a household of the actor's
    area by a registered member's ID number or the household number, and a project of the
    area by its code; the household is linked to the project, the amount is not negative, the
    year is from 2000 to this year, the payment day not in the future, and a household has one
    dividend of a project a year (a row equal to the recorded one is unchanged). Adds each
    row's errors (RowError, by column header) and the counts to `result`; `columns` (the
    ledger's columns by key) name the fields. Returns what `dividend_import_commit` writes."""

    def error(row, key, message):
        result.errors.append(RowError(row.number, columns[key].header, message))

    found = _DividendLookups.of(actor, rows)
    plan = DividendPlan()
    today = dt.date.today()
    seen: dict[tuple, int] = {}
    for row in rows:
        v = row.values
        if row.invalid:
            continue
        household_id = found.household_of(row, error)
        if household_id is None:
            continue
        household = found.households[household_id]
        project = found.projects.get(v["project_code"])
        if project is None:
            error(
                row,
                "project_code",
                _("There is no project with the code %(code)s in your area.")
                % {"code": v["project_code"]},
            )
            continue
        problem = _dividend_row_problem(
            v, project, household, (project.pk, household_id) in found.linked, today
        )
        if problem:
            error(row, *problem)
            continue
        paid_on = v["paid_on"]
        key = (project.pk, household_id, v["year"])
        if key in seen:
            error(
                row,
                "year",
                _("Row %(row)d has the same household, project and year: one dividend a year.")
                % {"row": seen[key]},
            )
            continue
        seen[key] = row.number
        recorded = found.existing.get(key)
        if recorded is not None:
            if recorded.amount == v["amount"]:
                result.unchanged += 1
                continue
            error(
                row,
                "amount",
                _(
                    "Household %(household)s already has %(amount)s yuan from %(project)s for "
                    "%(year)s: one dividend a year."
                )
                % {
                    "household": household.household_no,
                    "amount": recorded.amount,
                    "project": project.code,
                    "year": v["year"],
                },
            )
            continue
        plan.new.append(
            Dividend(
                project=project,
                household_id=household_id,
                year=v["year"],
                amount=v["amount"],
                paid_on=paid_on,
                by=actor,
            )
        )
        result.created += 1
        fields = [
            field_change(columns[k], None, v[k])
            for k in ("project_code", "year", "amount", "paid_on")
            if v[k] is not None
        ]
        result.preview.add("created", household.household_no, household.head_name or "", fields)
    return plan


@transaction.atomic
def dividend_import_commit(*, actor, plan: DividendPlan) -> None:
    """Write the `plan` of `dividend_import_plan`: the new dividends with their creation record
    in the history, attributed to `actor`, and the late changes to approved reports (a payment
    dated into an approved month), told to the actor."""
    insert_with_history(Dividend, plan.new, user=actor)
    until = latechanges.covered_until()  # None: no report is approved, no row looked at
    latechanges.note(
        actor=actor,
        changes=[
            DatedChange(
                on=dividend.paid_on,
                what=DIVIDEND_PAID,
                record=dividend,
                household_id=dividend.household_id,
            )
            for dividend in plan.new
            if until and dividend.paid_on and dividend.paid_on <= until
        ],
    )
