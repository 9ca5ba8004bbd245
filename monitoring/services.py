"""Writes of monitoring, with the policy's rules (issue: monitoring, items 1 and 3). Every
function runs in one transaction, checks the actor may write the record, and answers a broken
rule with a Chinese message saying what to do."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from employment.selectors import laborers_on
from households.models import Household
from monitoring import selectors
from monitoring.choices import AlertStatus, Risk, Status
from monitoring.models import (
    Alert,
    AssistanceMeasure,
    CaseEvent,
    Incident,
    IncomeCheck,
    MonitoringCase,
    MonitoringLine,
)
from resettle import latechanges
from resettle.latechanges import DatedChange
from resettle.periods import months_after
from resettle.scoping import check_editable, permits
from resettle.services import check_not_future, save_checked
from resettle.versioning import versioned_update

# Roles that decide inclusion and elimination (县级审定); site cadres propose.

# What a case's step dated into an approved month says on the report's page: the status it
# took, as Status names it (msgids, translated there).
STEP_NOTES = {
    Status.ALERT: gettext_noop("Early warning"),
    Status.VERIFIED: gettext_noop("Home visit done"),
    Status.NOTICE: gettext_noop("Review and public notice"),
    Status.MONITORED: gettext_noop("Included in monitoring"),
    Status.REJECTED: gettext_noop("Not included"),
    Status.ASSISTING: gettext_noop("Receiving assistance"),
    Status.ELIMINATED: gettext_noop("Risk eliminated"),
}


def _dated_note(*, actor, household_id: int, record, on: dt.date, what: str) -> None:
    """Tell `resettle.latechanges` of a written fact of monitoring: whoever dates one into an
    approved month is told."""
    latechanges.note(
        actor=actor,
        changes=[DatedChange(on=on, what=what, record=record, household_id=household_id)],
    )


INCOME_FIELDS = ("wage_income", "operating_income", "property_income", "transfer_income")
COST_FIELDS = ("production_costs", "medical_expense", "schooling_expense")


@transaction.atomic
def line_save(*, actor, data: dict, line: MonitoringLine | None = None) -> MonitoringLine:
    """Add or change a line. One line per year and region (one national line per year). An
    administrator sets the lines of the regions in their scope; national lines take one whose
    scope is everything. Changing a line takes that right over its region before and after."""

    def may_set(region_code: str | None) -> bool:
        return actor is None or permits(actor, MonitoringLine, "change", region_code=region_code)

    if line is not None and not may_set(line.region_id):
        raise PermissionDenied(_("Only administrators of the region set its monitoring line."))
    line = line or MonitoringLine()
    for key, value in data.items():
        setattr(line, key, value)
    if line.amount is not None and line.amount <= 0:
        raise ValidationError({"amount": _("The line is an amount above 0 yuan.")})
    same = MonitoringLine.objects.filter(year=line.year, region=line.region).exclude(pk=line.pk)
    if same.exists():
        where = line.region.name if line.region_id else _("the whole country")
        raise ValidationError(
            {
                "year": _("%(where)s already has a line for %(year)s: change that one instead.")
                % {"where": where, "year": line.year}
            }
        )
    if not may_set(line.region_id):
        raise PermissionDenied(_("Only administrators of the region set its monitoring line."))
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def income_check_record(*, actor, household: Household, data: dict) -> IncomeCheck:
    """Record a household's income for a year; the per-capita net income is derived:
    (wage + operating + property + transfer income − production costs) ÷ household size."""
    check = IncomeCheck(household=household, by=actor, **data)
    errors = {}
    for name in INCOME_FIELDS + COST_FIELDS:
        if getattr(check, name) is None:
            setattr(check, name, Decimal(0))
        elif getattr(check, name) < 0:
            errors[name] = _("An amount cannot be negative; write 0 for none.")
    if not check.household_size or check.household_size < 1:
        errors["household_size"] = _("A household has at least one person.")
    today = dt.date.today()
    if check.year and check.year > today.year:
        errors["year"] = _("Income of a year to come cannot be checked yet.")
    elif check.year and check.checked_on and check.checked_on.year < check.year:
        errors["checked_on"] = _("A year's income is checked during or after that year.")
    if errors:
        raise ValidationError(errors)
    check_not_future(checked_on=check.checked_on)
    net = sum(getattr(check, f) for f in INCOME_FIELDS) - check.production_costs
    check.per_capita_net = (Decimal(net) / check.household_size).quantize(Decimal("0.01"))
    ceiling = settings.MONITORING["MAX_PER_CAPITA"]
    if abs(check.per_capita_net) > ceiling:
        raise ValidationError(
            {
                "wage_income": _(
                    "A per-capita net income of %(value)s yuan is beyond %(ceiling)s: check the "
                    "amounts (yuan a year, not fen)."
                )
                % {"value": f"{check.per_capita_net:,.0f}", "ceiling": f"{ceiling:,}"}
            }
        )
    return save_checked(check, actor=actor)


@transaction.atomic
def incident_record(*, actor, household: Household, data: dict) -> Incident:
    incident = Incident(household=household, by=actor, **data)
    check_not_future(occurred_on=incident.occurred_on)
    return save_checked(incident, actor=actor)


@transaction.atomic
def alert_dismiss(*, actor, alert: Alert, reason: str) -> Alert:
    """Close an alert found to be no risk on checking; its rule stays quiet for that household
    for a while (settings.MONITORING["DISMISSED_DAYS"])."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.closed_on is not None or alert.status != AlertStatus.OPEN:
        raise ValidationError(_("This alert is already handled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the alert is dismissed.")})
    alert.status = AlertStatus.DISMISSED
    alert.reason = reason.strip()
    alert.closed_on = dt.date.today()
    alert.handled_by = actor
    return save_checked(alert, actor=actor)


def _check_risks(risks: list[str]) -> str:
    """The case's risk codes as stored ("illness,work"). Raises ValidationError for none, an
    unknown code, or one given twice (named)."""
    known = {r.value for r in Risk}
    if not risks:
        raise ValidationError({"risks": _("Choose at least one risk type.")})
    unknown = [r for r in risks if r not in known]
    if unknown:
        raise ValidationError(
            {"risks": _("Unknown risk types: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    twice = [r for r in dict.fromkeys(risks) if risks.count(r) > 1]
    if twice:
        raise ValidationError(
            {
                "risks": _("%(risks)s given twice: name each risk type once.")
                % {"risks": "、".join(str(Risk(r).label) for r in twice)}
            }
        )
    return ",".join(risks)


@transaction.atomic
def case_open(
    *, actor, household: Household, data: dict, alerts: list[Alert] | None = None
) -> MonitoringCase:
    """Open a case at 预警 for a household (from its alerts, or declared or found otherwise).
    Its open alerts are answered by the case (all of them unless `alerts` names some)."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    check_editable(actor, household)
    current = MonitoringCase.objects.filter(household=household, closed_on__isnull=True).first()
    if current is not None:
        raise ValidationError(
            _("Household %(household)s already has an open case (%(status)s since %(date)s).")
            % {
                "household": household.household_no,
                "status": current.get_status_display(),
                "date": current.opened_on.isoformat(),
            }
        )
    given = [a.pk for a in alerts or []]
    twice = sorted({pk for pk in given if given.count(pk) > 1})
    if twice:
        raise ValidationError(
            {
                "alerts": _("Alerts %(alerts)s given twice: name each alert once.")
                % {"alerts": "、".join(str(pk) for pk in twice)}
            }
        )
    data = dict(data)
    risks = _check_risks(list(data.pop("risks", [])))
    case = MonitoringCase(household=household, risks=risks, **data)
    case.opened_on = case.opened_on or dt.date.today()
    check_not_future(opened_on=case.opened_on)
    save_checked(case, actor=actor)
    CaseEvent.objects.create(
        case=case, to_status=Status.ALERT, on=case.opened_on, by=actor, reason=case.note
    )
    _dated_note(
        actor=actor,
        household_id=household.pk,
        record=case,
        on=case.opened_on,
        what=STEP_NOTES[Status.ALERT],
    )
    if alerts is None:
        alerts = list(
            Alert.objects.filter(household=household, closed_on__isnull=True, case__isnull=True)
        )
    for alert in alerts:
        if alert.household_id != household.pk or alert.closed_on is not None:
            raise ValidationError(_("Only the household's open alerts can start its case."))
    Alert.objects.filter(pk__in=[a.pk for a in alerts]).update(
        status=AlertStatus.CASE, case=case, handled_by=actor
    )
    return case


# The steps a case may take, and what each needs (issue: monitoring, item 3).
NEXT = {
    Status.ALERT: (Status.VERIFIED,),
    Status.VERIFIED: (Status.NOTICE,),
    Status.NOTICE: (Status.MONITORED, Status.REJECTED),
    Status.MONITORED: (Status.ASSISTING,),
    Status.ASSISTING: (Status.ELIMINATED,),
}
DECIDED = (Status.MONITORED, Status.REJECTED, Status.ELIMINATED)


def may_decide(actor, case: MonitoringCase) -> bool:
    """Whether `actor` takes the county's decisions on `case` (its `decide` action): a
    county-level role or above over the case's household."""
    return permits(
        actor,
        MonitoringCase,
        "decide",
        region_code=case.household.site.region_code,
        site_id=case.household.site_id,
    )


def _check_elimination(case: MonitoringCase, on: dt.date, evidence: dict) -> None:
    """风险消除: income at or above the line, stably for the months the policy asks since the
    case was included; 两不愁三保障 and safe drinking water confirmed; not a household without
    labor living on social assistance, which stays monitored (兜底保障)."""
    months = settings.MONITORING["STABLE_MONTHS"]
    stable_from = months_after(case.identified_on, months)
    if on < stable_from:
        raise ValidationError(
            _(
                "The case was included on %(date)s: a risk is eliminated after at least %(months)d "
                "months of stable income, from %(from)s."
            )
            % {
                "date": case.identified_on.isoformat(),
                "months": months,
                "from": stable_from.isoformat(),
            }
        )
    missing = [
        label
        for key, label in (
            ("basic_needs", _("两不愁三保障 secured")),
            ("drinking_water", _("safe drinking water secured")),
        )
        if evidence.get(key) is not True
    ]
    if missing:
        raise ValidationError(
            _("Confirm before eliminating the risk: %(items)s.") % {"items": "、".join(missing)}
        )
    household = case.household
    members = household.members.filter(status="active")
    if not laborers_on(on).filter(household=household).exists() and (
        members.filter(dibao=True).exists() or members.filter(tekun=True).exists()
    ):
        raise ValidationError(
            _(
                "Household %(household)s has no labor and lives on social assistance: it stays "
                "monitored under the safety net (兜底保障) and its risk is not marked eliminated."
            )
            % {"household": household.household_no}
        )
    checks = IncomeCheck.objects.filter(
        household=household, checked_on__gt=case.identified_on, checked_on__lte=on
    )
    recent = list(checks.order_by("checked_on"))
    window = months_after(on, -months)
    if not any(c.checked_on >= window for c in recent):
        raise ValidationError(
            _(
                "Record an income check made in the %(months)d months before the elimination "
                "(since %(from)s) first."
            )
            % {"months": months, "from": max(window, case.identified_on).isoformat()}
        )
    known = selectors.lines()
    region = household.site.region_code
    for check in recent:
        line = selectors.line_for(check.year, region, known)
        if line is None:
            raise ValidationError(
                _("No monitoring line is set for %(year)s: an administrator sets it first.")
                % {"year": check.year}
            )
        if check.per_capita_net < line:
            raise ValidationError(
                _(
                    "The income check of %(date)s found %(income)s yuan per person, below the line "
                    "of %(line)s yuan: the income is not yet stably above it."
                )
                % {
                    "date": check.checked_on.isoformat(),
                    "income": f"{check.per_capita_net:,.0f}",
                    "line": f"{line:,.0f}",
                }
            )


def _check_next_step(case: MonitoringCase, to: str) -> None:
    """Refuse `to` unless it is a next step of the case's status (NEXT): no step is skipped."""
    allowed = NEXT.get(case.status, ())
    if to in allowed:
        return
    target = dict(Status.choices).get(to, to)
    if allowed:
        nexts = "、".join(str(dict(Status.choices)[s]) for s in allowed)
        message = _(
            "A case at %(status)s goes next to %(next)s, not %(target)s: no step is skipped."
        ) % {"status": case.get_status_display(), "next": nexts, "target": target}
    else:
        message = _("The case is closed (%(status)s): it takes no further step.") % {
            "status": case.get_status_display()
        }
    raise ValidationError(message)


def _check_after_last_step(case: MonitoringCase, on: dt.date) -> None:
    """Refuse a step dated before the case's last step taken (proposals aside)."""
    last = case.events.filter(proposal=False).order_by("-on", "-id").first()
    if last is not None and on < last.on:
        raise ValidationError(
            {
                "on": _("The step cannot be dated before the one before it (%(date)s).")
                % {"date": last.on.isoformat()}
            }
        )


def _take_step(case: MonitoringCase, to: str, on: dt.date, reason: str, evidence: dict) -> None:
    """Check what step `to` needs and set its date on `case` (not saved): the home visit's
    finding, the public notice's length before the county decides (settings.MONITORING
    NOTICE_DAYS) and why a household is not included, a measure before assistance, and the
    elimination's conditions (`_check_elimination`)."""
    if to == Status.VERIFIED:
        if not reason:
            raise ValidationError({"reason": _("Write what the home visit found.")})
        case.visited_on = on
    elif to == Status.NOTICE:
        case.notice_from = on
    elif to in (Status.MONITORED, Status.REJECTED):
        _decide(case, to, on, reason)
    elif to == Status.ASSISTING:
        if not AssistanceMeasure.objects.filter(case=case).exists():
            raise ValidationError(_("Record at least one assistance measure first."))
        case.assisted_from = on
    elif to == Status.ELIMINATED:
        _check_elimination(case, on, evidence)
        case.closed_on = on


def _decide(case: MonitoringCase, to: str, on: dt.date, reason: str) -> None:
    """The county's decision after the public notice: included (monitored) or not (rejected)."""
    days = settings.MONITORING["NOTICE_DAYS"]
    ends = case.notice_from + dt.timedelta(days=days)
    if on < ends:
        raise ValidationError(
            _(
                "The public notice began on %(from)s and lasts at least %(days)d days: the "
                "county decides on %(ends)s or later."
            )
            % {"from": case.notice_from.isoformat(), "days": days, "ends": ends.isoformat()}
        )
    if to == Status.REJECTED and not reason:
        raise ValidationError({"reason": _("Say why the household is not included.")})
    case.decided_on = on
    if to == Status.MONITORED:
        case.identified_on = on
    else:
        case.closed_on = on


@transaction.atomic
def case_transition(
    *,
    actor,
    case: MonitoringCase,
    to: str,
    on: dt.date | None = None,
    reason: str = "",
    evidence: dict | None = None,
    version: int,
) -> MonitoringCase:
    """Move a case one step, with the date it happened, why, and the evidence the step needs.
    A county decision asked by a site cadre (who may not decide) is checked the same way and
    recorded as a proposal: the case stays, and comes back with `proposal_recorded`."""
    on = on or dt.date.today()
    evidence = evidence or {}
    reason = (reason or "").strip()
    case = versioned_update(case, changes={}, version=version, actor=actor)
    check_editable(actor, case)
    check_not_future(on=on)
    _check_next_step(case, to)
    _check_after_last_step(case, on)
    _take_step(case, to, on, reason, evidence)
    if to in DECIDED and not may_decide(actor, case):
        # A site cadre proposes; the county decides. The case stays where it is.
        CaseEvent.objects.create(
            case=case,
            from_status=case.status,
            to_status=to,
            on=on,
            by=actor,
            reason=reason,
            evidence=evidence,
            proposal=True,
        )
        case = MonitoringCase.objects.get(pk=case.pk)
        case.proposal_recorded = True
        return case
    from_status = case.status
    case.status = to
    save_checked(case, actor=actor)
    CaseEvent.objects.create(
        case=case,
        from_status=from_status,
        to_status=to,
        on=on,
        by=actor,
        reason=reason,
        evidence=evidence,
    )
    _dated_note(
        actor=actor,
        household_id=case.household_id,
        record=case,
        on=on,
        what=STEP_NOTES[to],
    )
    if to == Status.VERIFIED:
        # The alerts that started the case are answered by the visit.
        Alert.objects.filter(case=case, closed_on__isnull=True).update(closed_on=on)
    return case


@transaction.atomic
def measure_add(*, actor, case: MonitoringCase, data: dict) -> AssistanceMeasure:
    """Record a measure. A case included in monitoring moves to 帮扶中 with its first one."""
    case = MonitoringCase.objects.select_for_update().get(pk=case.pk)
    check_editable(actor, case)
    if case.status not in (Status.MONITORED, Status.ASSISTING):
        raise ValidationError(
            _(
                "Measures are recorded for households included in monitoring; this case is at %(status)s."
            )
            % {"status": case.get_status_display()}
        )
    measure = AssistanceMeasure(case=case, by=actor, **data)
    errors = {}
    if measure.amount is not None and measure.amount < 0:
        errors["amount"] = _("An amount cannot be negative.")
    if measure.end_date and measure.end_date < measure.start_date:
        errors["end_date"] = _("The end date cannot be before the start date (%(date)s).") % {
            "date": measure.start_date.isoformat()
        }
    if errors:
        raise ValidationError(errors)
    check_not_future(start_date=measure.start_date)
    save_checked(measure, actor=actor)
    _dated_note(
        actor=actor,
        household_id=case.household_id,
        record=measure,
        on=measure.start_date,
        what=gettext_noop("assistance measure started"),
    )
    if case.status == Status.MONITORED:
        case_transition(
            actor=actor,
            case=case,
            to=Status.ASSISTING,
            on=max(measure.start_date, case.identified_on),
            reason=measure.get_kind_display(),
            version=case.version,
        )
    return measure


@transaction.atomic
def measure_end(*, actor, measure: AssistanceMeasure, end_date: dt.date) -> AssistanceMeasure:
    """Record the day a measure ended (a case whose measures have all ended counts among the
    monitored households without a measure)."""
    measure = AssistanceMeasure.objects.select_for_update().get(pk=measure.pk)
    if measure.end_date is not None:
        raise ValidationError(
            _("This measure already ended on %(date)s.") % {"date": measure.end_date.isoformat()}
        )
    if end_date < measure.start_date:
        raise ValidationError(
            {
                "end_date": _("The end date cannot be before the start date (%(date)s).")
                % {"date": measure.start_date.isoformat()}
            }
        )
    check_not_future(end_date=end_date)
    measure.end_date = end_date
    save_checked(measure, actor=actor)
    _dated_note(
        actor=actor,
        household_id=measure.case.household_id,
        record=measure,
        on=end_date,
        what=gettext_noop("assistance measure ended"),
    )
    return measure
