"""The labor ledger of the demo: profiles and jobs for the seeded persons, in the proportions of
the seeds and in agreement with what the registry says of each person, written by set-based SQL
so the province scale stays quick.

Kashgar (seeds/000 §二(三)): every employable person employed, across the six channels, earning
1,200–2,500 yuan a month. Tacheng (seeds/001 §三): wage work, livestock, security, cleaning,
forest and border guards, trade. The labor capacity follows the person's health (a serious
illness or a disability of grade 1 or 2: lost; a chronic illness or a lighter disability: weak),
and a pupil of senior school or college is no labor (无劳动力, as the national monitoring
system records 在校生); who has lost labor or is no labor wishes no work and no training, and
holds no job; a weak laborer wishes no work away from home. A job is where the wish is (locally: in the county; away: elsewhere in the
province or outside it; a business: one's own), and starts no earlier than the person's 16th
birthday. Left in on purpose, so the worklists and the monthly figures have something to show:
one household in eighty whose laborers never found work and one in eighty whose jobs ended in
the last months (on the 10th of one of them: zero-employment households come month by month),
one laborer in twenty without a training intention on record, one employed person in ten not
yet visited this year, and one person of working age in fifty not yet profiled.

Shares come from the person's key (id × a prime, mod 100): the same seed gives the same ledger.
"""

import datetime as dt
import math

from django.conf import settings
from django.db import connection

from employment.choices import LABOR_CAPACITIES, Capacity, Willingness
from employment.models import Employment, FollowUpVisit, LaborProfile
from employment.selectors import years_before
from households.choices import DisabilityGrade, Health, Schooling
from industry.choices import Kind
from industry.models import IndustryProject, ProjectSite
from resettle.demo import LEDGERS, Context, register, report_months
from resettle.periods import first_day, month_before

# Jobs offered by a small workshop (the demo's keep the rules; its large ones break them).
SMALL_WORKSHOP = 60
# Who is no labor (在校生) and who has lost it, from the registry's facts about the person.
PUPILS = (Schooling.SENIOR, Schooling.HIGHER)
LOST = f"""p.health = '{Health.SERIOUS}' OR (p.health = '{Health.DISABLED}'
    AND p.disability_grade IN ('{DisabilityGrade.GRADE_1}', '{DisabilityGrade.GRADE_2}'))"""
WEAK = f"p.health IN ('{Health.CHRONIC}', '{Health.DISABLED}')"
# The channels and job types of a job wished locally, by cumulative percentage (Kashgar's six
# channels: seeds/000 §二(三)); away from home is organised labor export, a business one's own.
LOCAL_CHANNELS = [
    (18, "agriculture"),
    (55, "park_workshop"),
    (80, "local_temporary"),
    (100, "public_welfare"),
]
JOB_TYPES = {
    "agriculture": [(65, "livestock"), (100, "crops")],
    "park_workshop": [(100, "wage_work")],
    "local_temporary": [(45, "wage_work"), (65, "security"), (80, "cleaner"), (100, "flexible")],
    "public_welfare": [
        (30, "cleaner"),
        (55, "forest_ranger"),
        (75, "border_guard"),
        (90, "auxiliary_police"),
        (100, "security"),
    ],
    "labor_export": [(80, "wage_work"), (100, "flexible")],
    "business": [(70, "trade"), (100, "other")],
}


def _share(column: str, prime: int) -> str:
    # %% is a % once the query's parameters are bound (every query here passes some).
    return f"(({column} * {prime}) %% 100)"


def _pick(column: str, prime: int, choices: list[tuple[int, str]]) -> str:
    """CASE over cumulative percentages: [(60, 'local'), (85, 'away'), …, (100, 'none')]."""
    if len(choices) == 1:
        return f"'{choices[0][1]}'"
    share = _share(column, prime)
    whens = " ".join(f"WHEN {share} < {upto} THEN '{code}'" for upto, code in choices[:-1])
    return f"CASE {whens} ELSE '{choices[-1][1]}' END"


def _years_after(column: str, years: int) -> str:
    """The date `years` years after the date `column`, in the database's SQL."""
    if connection.vendor == "postgresql":
        return f"CAST({column} + make_interval(years => {int(years)}) AS date)"
    return f"date({column}, '+{int(years)} years')"


def _ended(household: str, as_of: dt.date) -> tuple[str, list[dt.date]]:
    """The end of a job of the household `household` (an SQL column), and its parameters: none,
    but in one household in eighty the 10th of one of the demo's report months or of the month
    before them (by the household's key), a day before `as_of`."""
    months = report_months(as_of)
    ends = [
        day
        for day in (first_day(p).replace(day=10) for p in [month_before(months[0]), *months])
        if day < as_of
    ]
    whens = " ".join(f"WHEN {n} THEN %s" for n in range(len(ends)))
    return (
        f"CASE WHEN {household} %% 80 = 40 THEN CASE ({household} / 80) %% {len(ends)} {whens}"
        " END END",
        ends,
    )


def seed_labor(context: Context) -> None:
    """Profile the persons of working age as of `context.as_of`, give jobs to the willing and
    able, and record visits to most of them (the shares in the module's docstring)."""
    as_of = context.as_of
    low, high = settings.EMPLOYMENT_WORKING_AGE
    young, old = years_before(as_of, low), years_before(as_of, high)
    not_labor = f"('{Capacity.LOST}', '{Capacity.NONE}')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO employment_laborprofile (created, updated, version, person_id, capacity,
                skill, language, willingness, training_intention, service_needs, recorded_on)
            SELECT CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, p.id, p.capacity,
                {_pick("p.id", 11, [(55, "none"), (85, "basic"), (100, "certified")])},
                {_pick("p.id", 13, [(30, "none"), (70, "basic"), (100, "fluent")])},
                CASE WHEN p.capacity IN {not_labor} THEN '{Willingness.NONE}'
                WHEN p.capacity = '{Capacity.WEAK}' THEN
                {_pick("p.id", 17, [(75, "local"), (85, "business"), (100, "none")])} ELSE
                {_pick("p.id", 17, [(60, "local"), (82, "away"), (90, "business"), (100, "none")])}
                END,
                CASE WHEN p.capacity IN {not_labor} THEN 'no' ELSE
                {_pick("p.id", 19, [(5, ""), (55, "wants"), (100, "no")])} END,
                '', p.registered_on
            FROM (SELECT p.id, p.registered_on,
                    CASE WHEN p.schooling IN ('{PUPILS[0]}', '{PUPILS[1]}') THEN '{Capacity.NONE}'
                    WHEN {LOST} THEN '{Capacity.LOST}'
                    WHEN {WEAK} THEN '{Capacity.WEAK}'
                    ELSE {_pick("p.id", 7, [(88, "ordinary"), (98, "skilled"), (100, "weak")])}
                    END AS capacity
                  FROM households_person p
                  WHERE p.status = 'active' AND p.birth_date <= %s AND p.birth_date > %s
                    AND {_share("p.id", 47)} >= 2) p
            """,
            [young, old],
        )
        channel = (
            f"CASE l.willingness WHEN 'away' THEN 'labor_export' WHEN 'business' THEN 'business'"
            f" ELSE {_pick('p.id', 23, LOCAL_CHANNELS)} END"
        )
        job_type = " ".join(
            f"WHEN '{code}' THEN {_pick('j.id', 29, types)}" for code, types in JOB_TYPES.items()
        )
        place = (
            "CASE WHEN l.willingness <> 'away' THEN 'county'"
            f" WHEN {_share('p.id', 31)} < 70 THEN 'province' ELSE 'outside' END"
        )
        sixteen = _years_after("p.birth_date", low)
        labor = "', '".join(LABOR_CAPACITIES)
        ended, ends = _ended("j.household_id", as_of)
        cursor.execute(
            f"""
            INSERT INTO employment_employment (created, updated, version, person_id, channel,
                job_type, place, employer, industry, monthly_income, start_date, end_date,
                organised, is_main)
            SELECT CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, j.id, j.channel,
                CASE j.channel {job_type} END, j.place, '', '', j.income, j.start_date,
                CASE WHEN {ended} > j.start_date THEN {ended} END, j.organised, TRUE
            FROM (SELECT p.id, p.household_id, {channel} AS channel, {place} AS place,
                    1200 + (p.id * 37) %% 1301 AS income,
                    CASE WHEN {sixteen} > p.registered_on THEN {sixteen}
                    ELSE p.registered_on END AS start_date,
                    {_share("p.id", 41)} < 40 AS organised
                  FROM households_person p
                  JOIN employment_laborprofile l ON l.person_id = p.id
                  WHERE l.capacity IN ('{labor}')
                    AND l.willingness <> '{Willingness.NONE}'
                    AND p.household_id %% 80 <> 0) j
            """,
            ends + ends,
        )
        cursor.execute(
            f"""
            INSERT INTO employment_followupvisit (created, updated, person_id, visited_on,
                still_employed, note)
            SELECT CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, e.person_id, %s, TRUE, ''
            FROM employment_employment e
            WHERE {_share("e.person_id", 43)} >= 10 AND e.end_date IS NULL
            """,
            [as_of - dt.timedelta(days=40)],
        )


def link_workshop_jobs(context: Context) -> None:
    """Open workshop-channel jobs at a workshop's first site (its first site served) join the
    workshop: for a small one (up to SMALL_WORKSHOP jobs offered) a quarter more than the share
    of relocated workers the rules ask (settings.INDUSTRY), so that it keeps them where its site
    has the workers; for a large one a tenth of its jobs, so that it breaks them. Industry's demo
    must have made the workshops. A job that joins a workshop starts no earlier than it opened."""
    share = settings.INDUSTRY["WORKSHOP_RELOCATED_SHARE"] + 0.25
    workshops = list(IndustryProject.objects.filter(kind=Kind.WORKSHOP).order_by("id"))
    first_site: dict[int, int] = {}
    served = ProjectSite.objects.filter(project__in=workshops).order_by("id")
    for project_id, site_id in served.values_list("project_id", "site_id"):
        first_site.setdefault(project_id, site_id)
    with connection.cursor() as cursor:
        for project in workshops:
            jobs = project.jobs_offered
            count = math.ceil(jobs * share) if jobs <= SMALL_WORKSHOP else jobs // 10
            # A job in the workshop starts when it opened at the earliest.
            opened = project.actual_completion or project.actual_start
            cursor.execute(
                """
                UPDATE employment_employment SET project_id = %s,
                    start_date = CASE WHEN start_date < %s THEN %s ELSE start_date END
                WHERE id IN (
                    SELECT e.id FROM employment_employment e
                    JOIN households_person p ON p.id = e.person_id
                    WHERE p.site_id = %s AND e.end_date IS NULL AND e.is_main
                      AND e.channel = 'park_workshop' AND e.project_id IS NULL
                    ORDER BY e.id LIMIT %s)
                """,
                [project.pk, opened, opened, first_site[project.pk], count],
            )


# After industry (a job may be in a project: employment is the layer above industry), before
# monitoring, whose rules read the jobs. The jobs join the workshops in a step of their own,
# after the ledger's tables are whole again (indexes back), as the join reads them.
register(LEDGERS + 10, seed_labor, loads=[LaborProfile, Employment, FollowUpVisit])
register(LEDGERS + 15, link_workshop_jobs, name="employment.workshop_jobs")
