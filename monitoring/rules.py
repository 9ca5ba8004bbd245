"""The early-warning rules (预警规则, issue: monitoring, item 2). Each is a small registered
function giving, as one set-based query, the households it warns about on a day and the figures
behind each warning; `run_rules` turns them into alerts, once per household and rule while an
alert is open. Parameters are settings (settings.MONITORING) or reference data (the line)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, Subquery

from employment.selectors import zero_employment
from households.choices import Health
from households.models import Household, Person
from monitoring import selectors
from monitoring.choices import AlertRule, AlertStatus, IncidentKind
from monitoring.models import Alert, Incident, IncomeCheck, MonitoringCase

# Rows per INSERT of new alerts.
BATCH = 2000


@dataclass(frozen=True)
class Rule:
    code: AlertRule
    # The households it warns about on a day: value rows of household_id and the figures kept
    # as the alert's details (their reason in words: monitoring.reasons).
    candidates: Callable[[dt.date], object]
    # Whether it warns about a household that has an open case: a new event (an illness, a
    # disaster) does; what the case already watches (income, work) does not.
    during_case: bool = False

    @property
    def name(self) -> str:
        return self.code.label


# Every rule, by code, in the order they run.
RULES: dict[str, Rule] = {}


def rule(code: AlertRule, *, during_case: bool = False):
    """Register the decorated function as the candidates of the rule `code`."""

    def register(candidates):
        RULES[code] = Rule(code, candidates, during_case)
        return candidates

    return register


def _checks(as_of: dt.date):
    return selectors.latest_checks(as_of)


@rule(AlertRule.BELOW_LINE)
def below_line(as_of: dt.date):
    return (
        _checks(as_of)
        .filter(per_capita_net__lt=F("line"))
        .values("household_id", "year", income=F("per_capita_net"), line_value=F("line"))
    )


@rule(AlertRule.WARNING_BAND)
def warning_band(as_of: dt.date):
    band = settings.MONITORING["WARNING_BAND"]
    return (
        _checks(as_of)
        .filter(per_capita_net__gte=F("line"), per_capita_net__lt=F("line") * band)
        .values("household_id", "year", income=F("per_capita_net"), line_value=F("line"))
    )


@rule(AlertRule.INCOME_DROP)
def income_drop(as_of: dt.date):
    share = settings.MONITORING["INCOME_DROP"]
    before = IncomeCheck.objects.filter(
        household_id=OuterRef("household_id"), year=OuterRef("year") - 1, checked_on__lte=as_of
    ).order_by("-checked_on", "-id")
    return (
        _checks(as_of)
        .annotate(before=Subquery(before.values("per_capita_net")[:1]))
        .filter(before__gt=0, per_capita_net__lte=F("before") * (1 - share))
        .values("household_id", "year", "before", income=F("per_capita_net"))
    )


@rule(AlertRule.ZERO_EMPLOYMENT)
def zero_employment_rule(as_of: dt.date):
    return Household.objects.filter(zero_employment(as_of)).values(household_id=F("id"))


@rule(AlertRule.NEW_CONDITION, during_case=True)
def new_condition(as_of: dt.date):
    since = as_of - dt.timedelta(days=settings.MONITORING["NEW_CONDITION_DAYS"])
    history = Person.history.model
    previous = history.objects.filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date")
    ).order_by("-history_date", "-history_id")
    serious = [Health.SERIOUS, Health.DISABLED]
    return (
        # A change of a recorded member ("~"), not the first record of one: loading an existing
        # ledger is not news.
        history.objects.filter(
            history_type="~",
            health__in=serious,
            history_date__date__gt=since,
            history_date__date__lte=as_of,
        )
        .annotate(before=Subquery(previous.values("health")[:1]))
        .filter(Q(before__isnull=True) | ~Q(before=F("health")))
        .order_by("household_id", "-history_date")
        .values("household_id", "name", "health", date=F("history_date__date"))
    )


@rule(AlertRule.MEDICAL_EXPENSE)
def medical_expense(as_of: dt.date):
    threshold = settings.MONITORING["MEDICAL_EXPENSE"]
    return (
        _checks(as_of)
        .filter(medical_expense__gt=threshold)
        .values("household_id", "year", expense=F("medical_expense"))
    )


@rule(AlertRule.INCIDENT, during_case=True)
def incident(as_of: dt.date):
    since = as_of - dt.timedelta(days=settings.MONITORING["INCIDENT_DAYS"])
    return (
        Incident.objects.filter(occurred_on__gt=since, occurred_on__lte=as_of)
        .order_by("household_id", "-occurred_on")
        .values("household_id", "kind", "note", date=F("occurred_on"))
    )


def _details(code: str, row: dict) -> dict:
    """The JSON kept with an alert: plain numbers and strings."""
    details = {}
    for key, value in row.items():
        if key == "household_id":
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif hasattr(value, "as_tuple"):  # Decimal
            value = float(value)
        details["line" if key == "line_value" else key] = value
    if code == AlertRule.WARNING_BAND:
        details["band"] = settings.MONITORING["WARNING_BAND"]
    if code == AlertRule.INCOME_DROP:
        details["drop"] = round(1 - details["income"] / details["before"], 4)
    if code == AlertRule.MEDICAL_EXPENSE:
        details["threshold"] = settings.MONITORING["MEDICAL_EXPENSE"]
    if code == AlertRule.INCIDENT:
        details["kind_label"] = str(dict(IncidentKind.choices)[details["kind"]])
    return details


def run_rules(*, region: str | None = None, as_of: dt.date | None = None) -> dict[str, int]:
    """Run every rule for the households of `region` (all when None) as of `as_of` (today), and
    raise an alert for each household a rule names, unless it has an open alert of that rule or
    one dismissed lately (settings.MONITORING["DISMISSED_DAYS"]), or, for the rules that watch
    what a case already watches (income, work), an open case or one closed lately. Returns the new
    alerts per rule. Running it again raises nothing new."""
    as_of = as_of or dt.date.today()
    quiet_since = as_of - dt.timedelta(days=settings.MONITORING["DISMISSED_DAYS"])
    households = Household.objects.all()
    if region:
        households = households.filter(site__region_code__startswith=region)
    created: dict[str, int] = {}
    for code, current in RULES.items():
        quiet = Alert.objects.filter(household_id=OuterRef("household_id"), rule=code).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=quiet_since, status=AlertStatus.DISMISSED)
        )
        rows = (
            current.candidates(as_of)
            .filter(household_id__in=households.values("id"))
            .filter(~Exists(quiet))
        )
        if not current.during_case:
            reviewed = MonitoringCase.objects.filter(
                Q(closed_on__isnull=True) | Q(closed_on__gt=quiet_since),
                household_id=OuterRef("household_id"),
            )
            rows = rows.filter(~Exists(reviewed))
        before = Alert.objects.filter(rule=code).count()
        seen: set[int] = set()
        batch: list[Alert] = []
        for row in rows.iterator(chunk_size=BATCH):
            household = row["household_id"]
            if household in seen:  # a rule names a household once a run
                continue
            seen.add(household)
            batch.append(
                Alert(
                    household_id=household,
                    rule=code,
                    raised_on=as_of,
                    details=_details(code, row),
                )
            )
            if len(batch) >= BATCH:
                Alert.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        if batch:
            Alert.objects.bulk_create(batch, ignore_conflicts=True)
        # Counted, not taken from bulk_create, which lists the rows a conflict skipped too.
        created[code] = Alert.objects.filter(rule=code).count() - before
    return created
