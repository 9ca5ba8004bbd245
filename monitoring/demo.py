"""Monitoring in the demo, month by month as a county works it.

First the income checks: three households in ten, their per-capita net income a multiple of the
line of the income year (MonitoringLine, the reference data): 5 in 100 below it, 8 within the
warning band (settings.MONITORING["WARNING_BAND"]), the others above; a few with large medical
expenses, a few whose income fell by half on the year before. They were made on days spread over
the half year before the demo's date, set-based SQL.

Then, as of the last day of each of the demo's report months (resettle.demo.report_months),
oldest first: the early-warning rules run, as the daily task would (up to RULES_IN_SEED
households; the province scale's run is measured by the benchmark instead); some of the alerts
they raise are dismissed after a home visit, with the reason the household's records give (an
income above the line, medical costs reimbursed, laborers who wish no work); and the cases each
county opened in the weeks after are opened, from an alert where one fits (部门筛查预警) or for a
household its cadres found (干部排查). So the open alerts of the monthly reports rise month by
month instead of all at once.

Each county has a case at every step (STAGES), and none, one or two included in monitoring
without a measure yet, by its code. A case's household fits its risks (an illness: a member
recorded ill; lack of labor: no laborer; an accident: the incident recorded), and its steps say
what the household's records say: the warning names the income check made by then when it is
below the line (低于监测线) or within the band (接近监测线), else the risk; a case not included
was found above the line at the home visit; an eliminated case's household was checked above
the line twice since its inclusion.

Shares come from the household's key (id × a prime, mod 100), as in the labor ledger's demo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

from employment.choices import Willingness
from employment.selectors import laborers_on
from households.choices import Health, PersonStatus, PovertyStatus, Schooling
from households.models import Household, Person, Site
from monitoring import choices, selectors
from monitoring.choices import AlertRule, AlertStatus, Risk, Status
from monitoring.models import (
    Alert,
    AssistanceMeasure,
    CaseEvent,
    Incident,
    IncomeCheck,
    MonitoringCase,
)
from monitoring.rules import run_rules
from resettle.demo import LEDGERS, Context, SeedError, register, report_month_ends

# The rules run in the seed up to this many households (the province scale's run is measured by
# the benchmark instead).
RULES_IN_SEED = 100_000
# The days before the demo's date the checks of the last income year were made on: every ten
# days over the half year.
CHECK_DAYS = list(range(10, 200, 10))
# The households of a county a case found by the cadres is chosen among (the first by key without
# a check): their facts are looked up for these only, not for a province's half million.
POOL = 200


def _share(column: str, prime: int) -> str:
    return f"(({column} * {prime}) %% 100)"


def _size(h: str = "h") -> str:
    return (
        f"(SELECT COUNT(*) FROM households_person p WHERE p.household_id = {h}.id"
        " AND p.status = 'active')"
    )


def _yuan(value) -> str:
    return f"{value:,.0f}"


class Lines:
    """The monitoring line of an income year for a site's region, read from the reference data
    (MonitoringLine) once. Raises SeedError where no line applies."""

    def __init__(self):
        self.known = selectors.lines()

    def of(self, year: int, region_code: str) -> Decimal:
        line = selectors.line_for(year, region_code, self.known)
        if line is None:
            raise SeedError(
                f"No monitoring line applies to {year} in {region_code}: run "
                "`python manage.py migrate` (it records the national line) or set one."
            )
        return line

    def sql(self, year: int) -> tuple[str, list]:
        """The line of `year` for the site `st` in SQL, with its parameters: one value where every
        site has the same."""
        regions = sorted(set(Site.objects.values_list("region_code", flat=True)))
        amounts = {region: self.of(year, region) for region in regions}
        if len(set(amounts.values())) <= 1:
            return "%s", [amounts[regions[0]] if regions else self.of(year, "")]
        whens = " ".join("WHEN %s THEN %s" for _r in regions)
        return f"(CASE st.region_code {whens} END)", [v for r in regions for v in (r, amounts[r])]


def seed_checks(as_of: dt.date, lines: Lines) -> None:
    """Income checks for three households in ten (the shares in the module's docstring), made
    on one of CHECK_DAYS before `as_of`; for a few, a check of the year before with twice the
    income."""
    year = as_of.year - 1
    band = Decimal(str(settings.MONITORING["WARNING_BAND"]))
    # Thousandths of the line: below it (0.58–0.98), within the band, above the band.
    within = max(int((band - Decimal("1.03")) * 1000), 1)
    fraction = (
        f"CASE WHEN {_share('h.id', 53)} < 5 THEN 580 + (h.id * 7) %% 400"
        f" WHEN {_share('h.id', 53)} < 13 THEN 1030 + (h.id * 11) %% {within}"
        f" ELSE {int(band * 1000) + 170} + (h.id * 37) %% 1667 END"
    )
    medical = (
        f"CASE WHEN {_share('h.id', 59)} < 2 THEN 12000 + (h.id %% 9000)"
        " ELSE (h.id * 3) %% 3000 END"
    )
    whens = " ".join(f"WHEN {n} THEN %s" for n in range(len(CHECK_DAYS)))
    with connection.cursor() as cursor:
        for check_year, checked_on, days, factor, chosen in (
            # The year before, for a few whose income then fell by half.
            (year - 1, "%s", [dt.date(year - 1, 12, 10)], 2, f"AND {_share('h.id', 61)} < 3"),
            (
                year,
                f"CASE (h.id * 17) %% {len(CHECK_DAYS)} {whens} END",
                [as_of - dt.timedelta(days=d) for d in CHECK_DAYS],
                1,
                "",
            ),
        ):
            line, line_params = lines.sql(check_year)
            cursor.execute(
                f"""
                INSERT INTO monitoring_incomecheck (created, updated, household_id, year,
                    checked_on, wage_income, operating_income, property_income, transfer_income,
                    production_costs, medical_expense, schooling_expense, household_size,
                    per_capita_net)
                SELECT CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, s.id, %s, s.checked_on,
                    s.pc * {factor} * s.n * 0.7, s.pc * {factor} * s.n * 0.2, 0,
                    s.pc * {factor} * s.n * 0.1, 0, s.medical, 0, s.n, s.pc * {factor}
                FROM (SELECT h.id AS id, ROUND({line} * ({fraction}) / 1000.0, 0) AS pc,
                        {medical} AS medical, {_size()} AS n, {checked_on} AS checked_on
                      FROM households_household h
                      JOIN households_site st ON st.id = h.site_id
                      WHERE {_share("h.id", 67)} < 30 {chosen}) s
                WHERE s.n > 0
                """,
                [check_year, *line_params, *days],
            )


# ---------------------------------------------------------------------------------------------
# The cases


@dataclass(frozen=True)
class Stage:
    """A case of the demo: its steps with the days before the demo's date each was taken (the
    last is where it stands), its risks (the first gives the warning's reason when the income
    does not), the rules whose alerts it may be opened from, preferred first (none: found by
    the cadres), and whether its household's income was above the line when it was opened (a
    case not included)."""

    steps: tuple[str, ...]
    days: tuple[int, ...]
    risks: tuple[str, ...]
    rules: tuple[str, ...] = ()
    above_line: bool = False


_INCLUDED = (Status.ALERT, Status.VERIFIED, Status.NOTICE, Status.MONITORED)
STAGES = {
    "alert": Stage(
        (Status.ALERT,),
        (3,),
        (Risk.WORK,),
        (AlertRule.BELOW_LINE, AlertRule.ZERO_EMPLOYMENT, AlertRule.INCOME_DROP),
    ),
    # Its home visit is overdue.
    "overdue": Stage(
        (Status.ALERT,),
        (40,),
        (Risk.ILLNESS,),
        (AlertRule.MEDICAL_EXPENSE, AlertRule.BELOW_LINE, AlertRule.WARNING_BAND),
    ),
    "visited": Stage(
        (Status.ALERT, Status.VERIFIED),
        (20, 12),
        (Risk.DISABILITY,),
        (AlertRule.BELOW_LINE, AlertRule.WARNING_BAND, AlertRule.MEDICAL_EXPENSE),
    ),
    "notice": Stage(
        (Status.ALERT, Status.VERIFIED, Status.NOTICE),
        (25, 15, 2),
        (Risk.SCHOOLING,),
        (AlertRule.WARNING_BAND, AlertRule.BELOW_LINE),
    ),
    # Found above the line at the home visit.
    "rejected": Stage(
        (Status.ALERT, Status.VERIFIED, Status.NOTICE, Status.REJECTED),
        (60, 50, 40, 30),
        (Risk.WORK,),
        (AlertRule.WARNING_BAND,),
        above_line=True,
    ),
    "assisting": Stage(
        (*_INCLUDED, Status.ASSISTING),
        (120, 110, 100, 90, 85),
        (Risk.LABOR,),
        (AlertRule.BELOW_LINE,),
    ),
    # Included after an accident 330 days ago, eliminated when its income was above the line.
    "eliminated": Stage(
        (*_INCLUDED, Status.ASSISTING, Status.ELIMINATED),
        (330, 320, 310, 300, 295, 10),
        (Risk.ACCIDENT,),
    ),
}
# Included in monitoring, no measure yet: none, one or both in a county, by its code.
MONITORED = [
    Stage(
        _INCLUDED,
        (50, 40, 30, 20),
        (Risk.WORK,),
        (AlertRule.BELOW_LINE, AlertRule.ZERO_EMPLOYMENT, AlertRule.INCOME_DROP),
    ),
    Stage(
        _INCLUDED,
        (45, 35, 28, 16),
        (Risk.ILLNESS,),
        (AlertRule.BELOW_LINE, AlertRule.MEDICAL_EXPENSE),
    ),
]

# What the home visit found, by risk.
RISK_FACTS = {
    Risk.ILLNESS: "家庭成员{name}患{health}，因病刚性支出大",
    Risk.DISABILITY: "家庭成员{name}残疾（{grade}级），生活困难",
    Risk.SCHOOLING: "{name}在读，因学支出增加",
    Risk.LABOR: "家庭无劳动力，收入来源少",
    Risk.WORK: "家庭劳动力务工就业不稳定，收入减少",
    Risk.ACCIDENT: "{note}",
}
# The measure of an assisted case, by its first risk: kind and description.
MEASURES = {
    Risk.WORK: (choices.MeasureKind.EMPLOYMENT, "推荐到园区企业务工，落实稳岗补贴"),
    Risk.LABOR: (choices.MeasureKind.SAFETY_NET, "纳入最低生活保障，落实兜底保障"),
    Risk.ILLNESS: (choices.MeasureKind.HEALTH, "落实基本医保、大病保险和医疗救助"),
    Risk.DISABILITY: (choices.MeasureKind.SAFETY_NET, "落实困难残疾人生活补贴和护理补贴"),
    Risk.SCHOOLING: (choices.MeasureKind.EDUCATION, "落实教育资助，申请助学金"),
    Risk.ACCIDENT: (choices.MeasureKind.HEALTH, "落实医疗救助和临时救助"),
}
ACCIDENT = "家庭主要劳动力务工时意外受伤，住院治疗"
STEP_REASONS = {
    Status.NOTICE: "村（社区）民主评议通过，张榜公示",
    Status.MONITORED: "县级审定纳入监测",
    Status.ELIMINATED: "收入持续稳定高于监测线，两不愁三保障及饮水安全有保障",
}
# Alerts dismissed after a home visit: per rule, the share (of 100) and the reason, which the
# household's records bear out (the rule's own condition says so, or the query in `_dismiss`).
DISMISSED = {
    AlertRule.WARNING_BAND: (
        50,
        "入户核实：家庭成员务工收入稳定，人均纯收入高于监测线，暂无返贫致贫风险",
    ),
    AlertRule.MEDICAL_EXPENSE: (
        40,
        "入户核实：医疗费用经基本医保、大病保险和医疗救助报销后自付较少，暂无返贫致贫风险",
    ),
    AlertRule.ZERO_EMPLOYMENT: (
        60,
        "入户核实：家庭劳动力暂无就业意愿（在家照料老人和子女），已登记，持续跟踪",
    ),
}


def county_stages(county: str) -> list[Stage]:
    """The cases of the county `county` (its code): one at each step of STAGES, and none, one or
    two included without a measure yet (the county's code modulo 3)."""
    return [*STAGES.values(), *MONITORED[: int(county) % 3]]


@dataclass
class Plan:
    """A case to open: its county, stage and opening day."""

    county: str
    stage: Stage
    opened_on: dt.date


@dataclass
class _Made:
    """What opening cases makes, saved together."""

    cases: list = field(default_factory=list)
    events: list = field(default_factory=list)
    measures: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    incidents: list = field(default_factory=list)
    alerts: list = field(default_factory=list)


def _fits(risk: str, day: dt.date) -> Q:
    """Households (as a filter) whose records bear the risk `risk` out on `day`."""
    members = Person.objects.filter(household=OuterRef("pk"), status=PersonStatus.ACTIVE)
    laborers = laborers_on(day).filter(household=OuterRef("pk"))
    if risk == Risk.ILLNESS:
        return Q(Exists(members.filter(health__in=[Health.SERIOUS, Health.CHRONIC])))
    if risk == Risk.DISABILITY:
        return Q(Exists(members.filter(health=Health.DISABLED)))
    if risk == Risk.SCHOOLING:
        return Q(Exists(members.filter(schooling__in=[Schooling.SENIOR, Schooling.HIGHER])))
    if risk == Risk.LABOR:
        return Q(Exists(members)) & ~Q(Exists(laborers))
    return Q(Exists(laborers))  # work, an accident at work


class Cases:
    """Opens the demo's cases, each on a household that fits it, with its steps, their reasons,
    its measure and the records its steps rest on."""

    def __init__(self, as_of: dt.date, lines: Lines):
        self.as_of, self.lines = as_of, lines
        self.band = Decimal(str(settings.MONITORING["WARNING_BAND"]))
        self.pools: dict[str, list[int]] = {}

    def open(self, plans: list[Plan]) -> None:
        """Open the cases of `plans`, in their order, and save them with what they rest on; a
        plan no household of its county fits is left out."""
        made = _Made()
        taken: set[int] = set()
        for plan in plans:
            picked = self._pick(plan, taken)
            if picked is not None:
                taken.add(picked[0].pk)
                self._case(plan, *picked, made)
        MonitoringCase.objects.bulk_create(made.cases, batch_size=1000)
        CaseEvent.objects.bulk_create(made.events, batch_size=2000)
        AssistanceMeasure.objects.bulk_create(made.measures, batch_size=2000)
        IncomeCheck.objects.bulk_create(made.checks, batch_size=2000)
        Incident.objects.bulk_create(made.incidents, batch_size=2000)
        for alert in made.alerts:
            alert.case_id = alert.case.pk
        Alert.objects.bulk_update(made.alerts, ["status", "case", "closed_on"], batch_size=1000)

    def _pick(self, plan: Plan, taken: set[int]) -> tuple[Household, Alert | None] | None:
        """The household for `plan`: of an open alert of one of its rules (the preferred rule,
        then the latest raised: a county answers the new ones first), else the first (by site,
        then key) that has no check, alert or case; either fitting its risks on the day (and above the
        line then, if the stage says so). None where no household of the county fits."""
        stage, day = plan.stage, plan.opened_on
        if stage.rules:
            preference = Case(
                *(When(rule=rule, then=Value(n)) for n, rule in enumerate(stage.rules)),
                output_field=IntegerField(),
            )
            alerts = list(
                Alert.objects.filter(
                    status=AlertStatus.OPEN,
                    closed_on__isnull=True,
                    raised_on__lt=day,
                    rule__in=stage.rules,
                    household__site__county_id=plan.county,
                )
                .exclude(household_id__in=taken)
                .order_by(preference, "-raised_on", "id")
                .values_list("pk", "household_id")
            )
            fitting = self._fitting([h for _a, h in alerts], stage, day)
            for chosen, household in alerts:
                if household not in fitting:
                    continue
                alert = Alert.objects.select_related("household__site").get(pk=chosen)
                if not stage.above_line or self._above_line(alert.household, day):
                    return alert.household, alert
        # Found by the cadres: a household of the county no check or alert speaks of.
        pool = [h for h in self._pool(plan.county) if h not in taken]
        alerted = set(
            Alert.objects.filter(household_id__in=pool).values_list("household_id", flat=True)
        )
        pool = [h for h in pool if h not in alerted]
        fitting = self._fitting(pool, stage, day)
        first = next((h for h in pool if h in fitting), None)
        if first is None:
            return None
        return Household.objects.select_related("site").get(pk=first), None

    def _pool(self, county: str) -> list[int]:
        """The first POOL households (keys) of `county` without an income check, site by site
        (by code), read once: the demo's checks are all made before the cases, but for those of
        the cases' own households."""
        if county not in self.pools:
            pool: list[int] = []
            for site in (
                Site.objects.filter(county_id=county).order_by("code").values_list("pk", flat=True)
            ):
                first = list(
                    Household.objects.filter(site_id=site)
                    .order_by("id")
                    .values_list("pk", flat=True)[: POOL * 2]
                )
                checked = set(
                    IncomeCheck.objects.filter(household_id__in=first).values_list(
                        "household_id", flat=True
                    )
                )
                pool += [h for h in first if h not in checked]
                if len(pool) >= POOL:
                    break
            self.pools[county] = pool[:POOL]
        return self.pools[county]

    def _fitting(self, candidates: list[int], stage: Stage, day: dt.date) -> set[int]:
        """Of the households `candidates` (keys), those without a case whose records bear the
        stage's risks out on `day`: one query over those households only."""
        households = Household.objects.filter(pk__in=candidates).filter(
            ~Exists(MonitoringCase.objects.filter(household=OuterRef("pk")))
        )
        for risk in stage.risks:
            households = households.filter(_fits(risk, day))
        return set(households.values_list("pk", flat=True))

    def _check(self, household: Household, day: dt.date) -> tuple[IncomeCheck, Decimal] | None:
        """The household's latest income check made by `day` (as the rules take it) and the
        line of its income year."""
        check = (
            IncomeCheck.objects.filter(household=household, checked_on__lte=day)
            .order_by("-year", "-checked_on", "-id")
            .first()
        )
        if check is None:
            return None
        return check, self.lines.of(check.year, household.site.region_code)

    def _above_line(self, household: Household, day: dt.date) -> bool:
        found = self._check(household, day)
        return found is not None and found[0].per_capita_net >= found[1]

    def _income(self, found: tuple[IncomeCheck, Decimal] | None) -> str:
        """What a check says against the line: below it, within the band, or "" (above)."""
        if found is None:
            return ""
        check, line = found
        income = f"{check.year}年人均纯收入{_yuan(check.per_capita_net)}元"
        if check.per_capita_net < line:
            return f"{income}，低于监测线{_yuan(line)}元"
        if check.per_capita_net < line * self.band:
            return f"{income}，接近监测线（不足{_yuan(line)}元的{self.band}倍）"
        return ""

    def _case(self, plan: Plan, household: Household, alert: Alert | None, made: _Made) -> None:
        stage, as_of = plan.stage, self.as_of
        dates = [as_of - dt.timedelta(days=d) for d in stage.days]
        risk = stage.risks[0]
        case = MonitoringCase(
            household=household,
            category=(
                choices.Category.SUDDEN
                if risk == Risk.ACCIDENT
                else choices.Category.UNSTABLE
                if household.poverty_status == PovertyStatus.LIFTED
                else choices.Category.MARGINAL
            ),
            risks=",".join(stage.risks),
            found_through=(
                choices.FoundThrough.SCREENING if alert is not None else choices.FoundThrough.CADRE
            ),
            status=stage.steps[-1],
            opened_on=dates[0],
        )
        for step, day in zip(stage.steps, dates, strict=True):
            _date_step(case, step, day)
        made.cases.append(case)
        facts = self._facts(household, risk, dates[0], made)
        verified = (
            self._verified(household, case.visited_on, made)
            if case.status == Status.REJECTED
            else None
        )
        previous = ""
        for step, day in zip(stage.steps, dates, strict=True):
            made.events.append(
                CaseEvent(
                    case=case,
                    from_status=previous,
                    to_status=step,
                    on=day,
                    reason=self._reason(case, step, day, alert, facts, verified),
                    evidence=(
                        {"basic_needs": True, "drinking_water": True}
                        if step == Status.ELIMINATED
                        else {}
                    ),
                )
            )
            previous = step
            if step == Status.ASSISTING:
                kind, description = MEASURES[risk]
                made.measures.append(
                    AssistanceMeasure(
                        case=case,
                        kind=kind,
                        description=description,
                        responsible="驻村工作队",
                        start_date=day,
                        end_date=case.closed_on,
                        amount=Decimal(1200 + household.pk * 37 % 25 * 100),
                    )
                )
        if case.status == Status.ELIMINATED:
            made.checks += self._checks_above_the_line(household)
        if alert is not None:
            # The case answers the household's open alerts, and its home visit closes them.
            for answered in Alert.objects.filter(
                household=household, status=AlertStatus.OPEN, raised_on__lt=dates[0]
            ):
                answered.status, answered.case = AlertStatus.CASE, case
                answered.closed_on = case.visited_on
                made.alerts.append(answered)

    def _facts(self, household: Household, risk: str, day: dt.date, made: _Made) -> str:
        """What the home visit found of `risk` in the household's records (a member named), or
        the incident recorded for it."""
        members = household.members.filter(status=PersonStatus.ACTIVE).order_by("id")
        if risk == Risk.ACCIDENT:
            made.incidents.append(
                Incident(
                    household=household,
                    kind=choices.IncidentKind.ACCIDENT,
                    occurred_on=day - dt.timedelta(days=4),
                    note=ACCIDENT,
                )
            )
            return ACCIDENT
        person = None
        if risk == Risk.ILLNESS:
            person = members.filter(health__in=[Health.SERIOUS, Health.CHRONIC]).first()
        elif risk == Risk.DISABILITY:
            person = members.filter(health=Health.DISABLED).first()
        elif risk == Risk.SCHOOLING:
            person = members.filter(schooling__in=[Schooling.SENIOR, Schooling.HIGHER]).first()
        if person is None:
            return RISK_FACTS[risk]
        return RISK_FACTS[risk].format(
            name=person.name,
            health="重病" if person.health == Health.SERIOUS else "慢性病",
            grade=person.disability_grade,
        )

    def _verified(
        self, household: Household, visit: dt.date, made: _Made
    ) -> tuple[IncomeCheck, Decimal]:
        """A case not included: the household's check by the home visit, above the line, and
        its line; recorded at the visit where the household had none above the line."""
        found = self._check(household, visit)
        if found is None or found[0].per_capita_net < found[1]:
            line = self.lines.of(visit.year - 1, household.site.region_code)
            check = _check_at(household, visit, visit.year - 1, line * (self.band + 1) / 2)
            made.checks.append(check)
            found = (check, line)
        return found

    def _reason(self, case, step: str, day: dt.date, alert, facts: str, verified) -> str:
        """The reason of the case's `step` taken on `day`, from the household's records: the
        income check made by then, else the `alert`'s figures, else the `facts` of its risk; a
        case not included, the income `verified` at the home visit (check, line)."""
        household = case.household
        if step == Status.ALERT:
            source = "部门筛查预警" if alert is not None else "干部排查发现"
            income = self._income(self._check(household, day))
            return f"{source}：{income or self._alert_facts(alert) or facts}"
        if verified is not None and step in (Status.VERIFIED, Status.REJECTED):
            check, line = verified
            income = (
                f"{check.year}年人均纯收入{_yuan(check.per_capita_net)}元，"
                f"高于监测线{_yuan(line)}元"
            )
            return f"入户核实：{income}" if step == Status.VERIFIED else f"{income}，不纳入监测"
        if step == Status.VERIFIED:
            income = self._income(self._check(household, day))
            return f"入户核实：{facts}{'；' + income if income else ''}，情况属实"
        if step == Status.ASSISTING:
            return f"落实帮扶措施：{MEASURES[case.risks.split(',')[0]][1]}"
        return STEP_REASONS[step]

    def _alert_facts(self, alert: Alert | None) -> str:
        """An alert's reason where it is not the income: the medical expenses, no one in work,
        the income's fall."""
        if alert is None:
            return ""
        details = alert.details
        if alert.rule == AlertRule.MEDICAL_EXPENSE:
            return f"{details['year']}年医疗支出{_yuan(details['expense'])}元，因病刚性支出大"
        if alert.rule == AlertRule.ZERO_EMPLOYMENT:
            return "家庭有劳动力但无人就业（零就业家庭）"
        if alert.rule == AlertRule.INCOME_DROP:
            return (
                f"{details['year']}年人均纯收入{_yuan(details['income'])}元，"
                f"较上年下降{round(details['drop'] * 100)}%"
            )
        return ""

    def _checks_above_the_line(self, household: Household) -> list[IncomeCheck]:
        """An eliminated case's household checked above the line twice since its inclusion."""
        checks = []
        for months in (4, 1):
            day = self.as_of - dt.timedelta(days=30 * months)
            line = self.lines.of(day.year, household.site.region_code)
            checks.append(_check_at(household, day, day.year, line * Decimal("1.8")))
        return checks


def _check_at(household: Household, day: dt.date, year: int, per_capita) -> IncomeCheck:
    """An income check of `household` made on `day` for the income `year`, `per_capita` yuan a
    person, mostly wages."""
    size = max(household.members.filter(status=PersonStatus.ACTIVE).count(), 1)
    per_capita = Decimal(per_capita).quantize(Decimal("1"))
    return IncomeCheck(
        household=household,
        year=year,
        checked_on=day,
        wage_income=per_capita * size * Decimal("0.9"),
        transfer_income=per_capita * size * Decimal("0.1"),
        household_size=size,
        per_capita_net=per_capita,
    )


def _date_step(case: MonitoringCase, step: str, day: dt.date) -> None:
    """Set on `case` the date field that `step` taken on `day` dates (as case_transition does)."""
    if step == Status.VERIFIED:
        case.visited_on = day
    elif step == Status.NOTICE:
        case.notice_from = day
    elif step in (Status.MONITORED, Status.REJECTED):
        case.decided_on = day
        if step == Status.MONITORED:
            case.identified_on = day
        else:
            case.closed_on = day
    elif step == Status.ASSISTING:
        case.assisted_from = day
    elif step == Status.ELIMINATED:
        case.closed_on = day


def _dismiss(day: dt.date, as_of: dt.date) -> None:
    """Dismiss, a week or three after `day`, a share of the alerts raised on `day` (DISMISSED),
    with the reason the household's records give; a zero-employment household only where none
    of its laborers wishes work."""
    wishing = laborers_on(day).filter(household=OuterRef("household_id"))
    wishing = wishing.exclude(labor_profile__willingness__in=["", Willingness.NONE])
    raised = Alert.objects.filter(raised_on=day, status=AlertStatus.OPEN, rule__in=list(DISMISSED))
    raised = raised.filter(~Q(rule=AlertRule.ZERO_EMPLOYMENT) | ~Q(Exists(wishing)))
    dismissed = []
    for alert in raised.order_by("id"):
        share, reason = DISMISSED[alert.rule]
        # Keyed by the household and the day, as the other shares (not by the alert's key).
        key = alert.household_id * 7 + day.toordinal()
        closed_on = min(day + dt.timedelta(days=5 + key % 20), as_of)
        if key % 100 < share and closed_on > day:
            alert.status, alert.reason, alert.closed_on = AlertStatus.DISMISSED, reason, closed_on
            dismissed.append(alert)
    Alert.objects.bulk_update(dismissed, ["status", "reason", "closed_on"], batch_size=1000)


def seed_checks_step(context: Context) -> None:
    """The income checks of the demo (`seed_checks`), as of `context.as_of`."""
    seed_checks(context.as_of, Lines())


def seed_months(context: Context) -> None:
    """The report months of the demo one by one: the rules as of each month's end (up to
    RULES_IN_SEED households), some alerts dismissed, and the cases opened in the weeks after,
    as the module's docstring says."""
    as_of = context.as_of
    run = Household.objects.count() <= RULES_IN_SEED
    days = [day for day in report_month_ends(as_of) if day <= as_of]
    if not days or days[-1] < as_of:
        days.append(as_of)
    counties = sorted(set(Site.objects.values_list("county_id", flat=True)))
    plans = sorted(
        (
            Plan(county, stage, as_of - dt.timedelta(days=stage.days[0]))
            for county in counties
            for stage in county_stages(county)
        ),
        key=lambda p: (p.opened_on, p.county),
    )
    cases = Cases(as_of, Lines())
    cases.open([p for p in plans if p.opened_on <= days[0]])
    for n, day in enumerate(days):
        if run:
            run_rules(as_of=day)
            _dismiss(day, as_of)
        until = days[n + 1] if n + 1 < len(days) else as_of
        cases.open([p for p in plans if day < p.opened_on <= until])


# After the labor ledger and industry: the zero-employment rule reads the jobs. The checks are
# loaded first, in bulk; the months after, on the checks' tables whole again (the rules and the
# choice of households read them).
register(LEDGERS + 20, seed_checks_step, loads=[IncomeCheck])
register(
    LEDGERS + 25,
    seed_months,
    loads=[Incident, MonitoringCase, CaseEvent, AssistanceMeasure, Alert],
    name="monitoring.months",
)
