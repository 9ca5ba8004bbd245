"""Monitoring in the demo: income checks for three households in ten (some below the line, some
within the warning band, a few with large medical expenses, a few with income fallen on the year
before), written by set-based SQL; then in each county a few cases at every step, with dated
steps and measures that keep the policy's rules; then, at the prefecture scale, one run of the
early-warning rules so that the alert inbox is not empty.

Shares come from the household's key (id × a prime, mod 100), as in the labor ledger's demo."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connection

from households.models import Household
from monitoring import choices
from monitoring.models import Alert, AssistanceMeasure, CaseEvent, IncomeCheck, MonitoringCase
from monitoring.rules import run_rules
from resettle.demo import LEDGERS, Context, register

# The rules run in the seed up to this many households (the province scale's run is measured by
# the benchmark instead).
RULES_IN_SEED = 100_000


def _share(column: str, prime: int) -> str:
    return f"(({column} * {prime}) %% 100)"


def _size(h: str = "h") -> str:
    return (
        f"(SELECT COUNT(*) FROM households_person p WHERE p.household_id = {h}.id"
        " AND p.status = 'active')"
    )


def seed_checks(as_of: dt.date) -> None:
    year = as_of.year - 1
    share = _share("h.id", 53)
    # The per-capita net income by share: 5 in 100 below 6,000 yuan, 8 within 1.5 times it,
    # the others 10,000–20,000 yuan.
    per_capita = (
        f"CASE WHEN {share} < 5 THEN 3500 + (h.id * 7) %% 2400"
        f" WHEN {share} < 13 THEN 6200 + (h.id * 11) %% 2700"
        f" ELSE 10000 + (h.id * 37) %% 10000 END"
    )
    medical = f"CASE WHEN {_share('h.id', 59)} < 2 THEN 12000 + (h.id %% 9000) ELSE (h.id * 3) %% 3000 END"
    with connection.cursor() as cursor:
        for check_year, checked_on, factor, where in (
            # The year before, for a few whose income then fell by half.
            (year - 1, dt.date(year - 1, 12, 10), 2, f"{_share('h.id', 61)} < 3"),
            (year, as_of - dt.timedelta(days=60), 1, "TRUE"),
        ):
            cursor.execute(
                f"""
                INSERT INTO monitoring_incomecheck (created, updated, household_id, year,
                    checked_on, wage_income, operating_income, property_income, transfer_income,
                    production_costs, medical_expense, schooling_expense, household_size,
                    per_capita_net)
                SELECT CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, h.id, %s, %s,
                    s.pc * {factor} * s.n * 0.7, s.pc * {factor} * s.n * 0.2, 0,
                    s.pc * {factor} * s.n * 0.1, 0, s.medical, 0, s.n, s.pc * {factor}
                FROM (SELECT h.id AS id, {per_capita} AS pc, {medical} AS medical, {_size()} AS n
                      FROM households_household h WHERE {_share("h.id", 67)} < 30) s
                JOIN households_household h ON h.id = s.id
                WHERE s.n > 0 AND {where}
                """,
                [check_year, checked_on],
            )


# The steps of the demo's cases, each with how many days ago it happened (the last is today's
# step): a case opened 200 days ago reached 风险消除 when its income was above the line.
STAGES = [
    ([choices.Status.ALERT], [3]),
    ([choices.Status.ALERT], [40]),  # its home visit is overdue
    ([choices.Status.ALERT, choices.Status.VERIFIED], [20, 12]),
    ([choices.Status.ALERT, choices.Status.VERIFIED, choices.Status.NOTICE], [25, 15, 2]),
    (
        [
            choices.Status.ALERT,
            choices.Status.VERIFIED,
            choices.Status.NOTICE,
            choices.Status.REJECTED,
        ],
        [60, 50, 40, 30],
    ),
    (
        [
            choices.Status.ALERT,
            choices.Status.VERIFIED,
            choices.Status.NOTICE,
            choices.Status.MONITORED,
        ],
        [50, 40, 30, 20],
    ),
    (
        [
            choices.Status.ALERT,
            choices.Status.VERIFIED,
            choices.Status.NOTICE,
            choices.Status.MONITORED,
            choices.Status.ASSISTING,
        ],
        [120, 110, 100, 90, 85],
    ),
    (
        [
            choices.Status.ALERT,
            choices.Status.VERIFIED,
            choices.Status.NOTICE,
            choices.Status.MONITORED,
            choices.Status.ASSISTING,
            choices.Status.ELIMINATED,
        ],
        [330, 320, 310, 300, 295, 10],
    ),
]
REASONS = {
    choices.Status.ALERT: "部门筛查预警：人均纯收入低于监测线",
    choices.Status.VERIFIED: "入户核实：家庭成员患病，务工收入减少",
    choices.Status.NOTICE: "村（社区）民主评议通过，张榜公示",
    choices.Status.MONITORED: "县级审定纳入监测",
    choices.Status.REJECTED: "核实收入高于监测线，不纳入",
    choices.Status.ASSISTING: "落实就业帮扶措施",
    choices.Status.ELIMINATED: "收入持续稳定高于监测线，两不愁三保障及饮水安全有保障",
}
RISKS = [
    "illness",
    "work",
    "illness,disability",
    "disaster",
    "schooling",
    "labor",
    "accident",
    "work",
]
CATEGORIES = ["unstable", "marginal", "sudden"]


def _households_per_county() -> dict[str, list[int]]:
    """Per county, the households to give a case, one per step of STAGES in order, among those
    with an income check: the last (the eliminated case) one well above the line."""
    by_county: dict[str, list[int]] = defaultdict(list)
    well_off: dict[str, int] = {}
    rows = IncomeCheck.objects.values_list(
        "household__site__county_id", "household_id", "per_capita_net"
    ).order_by("household__site__county_id", "household_id")
    for county, household, income in rows:
        chosen = by_county[county]
        if household in chosen or well_off.get(county) == household:
            continue
        if county not in well_off and income >= 10000:
            well_off[county] = household  # the eliminated case: income well above the line
        elif len(chosen) < len(STAGES) - 1:
            chosen.append(household)
    for county, household in well_off.items():
        if len(by_county[county]) == len(STAGES) - 1:
            by_county[county].append(household)
    return by_county


def _date_step(case: MonitoringCase, step: str, day: dt.date) -> None:
    """Set on `case` the date field that `step` taken on `day` dates (as case_transition does)."""
    if step == choices.Status.VERIFIED:
        case.visited_on = day
    elif step == choices.Status.NOTICE:
        case.notice_from = day
    elif step in (choices.Status.MONITORED, choices.Status.REJECTED):
        case.decided_on = day
        if step == choices.Status.MONITORED:
            case.identified_on = day
        else:
            case.closed_on = day
    elif step == choices.Status.ASSISTING:
        case.assisted_from = day
    elif step == choices.Status.ELIMINATED:
        case.closed_on = day


def _new_case(household: int, index: int, as_of: dt.date) -> tuple[MonitoringCase, list, list]:
    """The case (unsaved) at the `index`-th step of STAGES, with its steps and their dates."""
    steps, days = STAGES[index]
    dates = [as_of - dt.timedelta(days=d) for d in days]
    case = MonitoringCase(
        household_id=household,
        category=CATEGORIES[index % 3],
        risks=RISKS[index],
        found_through="screening" if index % 2 else "cadre",
        status=steps[-1],
        opened_on=dates[0],
    )
    for step, day in zip(steps, dates, strict=True):
        _date_step(case, step, day)
    return case, steps, dates


def _history(case: MonitoringCase, steps, dates) -> tuple[list, list]:
    """The saved case's events, one per step, and its measure when it reached assistance."""
    events, measures = [], []
    previous = ""
    for step, day in zip(steps, dates, strict=True):
        evidence = (
            {"basic_needs": True, "drinking_water": True}
            if step == choices.Status.ELIMINATED
            else {}
        )
        events.append(
            CaseEvent(
                case=case,
                from_status=previous,
                to_status=step,
                on=day,
                reason=REASONS[step],
                evidence=evidence,
            )
        )
        previous = step
        if step == choices.Status.ASSISTING:
            measures.append(
                AssistanceMeasure(
                    case=case,
                    kind="employment" if case.risks != "labor" else "safety_net",
                    description="推荐到园区企业务工",
                    responsible="驻村工作队",
                    start_date=day,
                    amount=Decimal("2000"),
                )
            )
    return events, measures


def _checks_above_the_line(case: MonitoringCase, as_of: dt.date) -> list[IncomeCheck]:
    """An eliminated case's household checked above the line twice since its inclusion."""
    size = max(case.household.members.filter(status="active").count(), 1)
    checks = []
    for months in (4, 1):
        day = as_of - dt.timedelta(days=30 * months)
        checks.append(
            IncomeCheck(
                household_id=case.household_id,
                year=day.year,
                checked_on=day,
                wage_income=Decimal(9800 * size),
                transfer_income=Decimal(600 * size),
                household_size=size,
                per_capita_net=Decimal(10400),
            )
        )
    return checks


def seed_cases(as_of: dt.date) -> None:
    """Per county, one case at each step, on households with an income check (the eliminated
    one above the line since its inclusion)."""
    cases = [
        _new_case(household, index, as_of)
        for households in _households_per_county().values()
        for index, household in enumerate(households)
    ]
    MonitoringCase.objects.bulk_create([c for c, _s, _d in cases], batch_size=1000)
    events, measures, checks = [], [], []
    for case, steps, dates in cases:
        case_events, case_measures = _history(case, steps, dates)
        events += case_events
        measures += case_measures
        if case.status == choices.Status.ELIMINATED:
            checks += _checks_above_the_line(case, as_of)
    CaseEvent.objects.bulk_create(events, batch_size=2000)
    AssistanceMeasure.objects.bulk_create(measures, batch_size=2000)
    IncomeCheck.objects.bulk_create(checks, batch_size=2000)


def seed_monitoring(context: Context) -> None:
    """Income checks, cases at every step and (up to RULES_IN_SEED households) one run of the
    early-warning rules, as of `context.as_of`."""
    as_of = context.as_of
    seed_checks(as_of)
    seed_cases(as_of)
    if Household.objects.count() <= RULES_IN_SEED:
        run_rules(as_of=as_of)


# After the labor ledger and industry: the zero-employment rule reads the jobs.
register(
    LEDGERS + 20,
    seed_monitoring,
    loads=[IncomeCheck, MonitoringCase, CaseEvent, AssistanceMeasure, Alert],
)
