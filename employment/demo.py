"""The labor ledger of the demo: profiles and jobs for the seeded persons, in the proportions of
the seeds, written by set-based SQL so the province scale stays quick.

Kashgar (seeds/000 §二(三)): every employable person employed, across the six channels, earning
1,200–2,500 yuan a month. Tacheng (seeds/001 §三): wage work, livestock, security, cleaning,
forest and border guards, trade. Left in on purpose, so the worklists are not empty: one
household in forty without work, one laborer in twenty without a training intention on record,
one employed person in ten not yet visited this year, and one person of working age in fifty
not yet profiled.

Shares come from the person's key (id × a prime, mod 100): the same seed gives the same ledger.
"""

import datetime as dt

from django.conf import settings
from django.db import connection

from employment.models import Employment, FollowUpVisit, LaborProfile
from employment.selectors import years_before
from industry.choices import Kind
from industry.models import IndustryProject, ProjectSite
from resettle.demo import LEDGERS, Context, register


def _share(column: str, prime: int) -> str:
    # %% is a % once the query's parameters are bound (every query here passes some).
    return f"(({column} * {prime}) %% 100)"


def _pick(column: str, prime: int, choices: list[tuple[int, str]]) -> str:
    """CASE over cumulative percentages: [(60, 'local'), (85, 'away'), …, (100, 'none')]."""
    share = _share(column, prime)
    whens = " ".join(f"WHEN {share} < {upto} THEN '{code}'" for upto, code in choices[:-1])
    return f"CASE {whens} ELSE '{choices[-1][1]}' END"


def seed_labor(context: Context) -> None:
    """Profile the persons of working age as of `context.as_of`, give jobs to the willing and
    able, and record visits to most of them (the shares in the module's docstring)."""
    as_of = context.as_of
    low, high = settings.EMPLOYMENT_WORKING_AGE
    young, old = years_before(as_of, low), years_before(as_of, high)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO employment_laborprofile (created, updated, version, person_id, capacity,
                skill, language, willingness, training_intention, service_needs, recorded_on)
            SELECT CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, p.id,
                {_pick("p.id", 7, [(82, "ordinary"), (92, "skilled"), (97, "weak"), (100, "lost")])},
                {_pick("p.id", 11, [(55, "none"), (85, "basic"), (100, "certified")])},
                {_pick("p.id", 13, [(30, "none"), (70, "basic"), (100, "fluent")])},
                {_pick("p.id", 17, [(60, "local"), (82, "away"), (90, "business"), (100, "none")])},
                {_pick("p.id", 19, [(5, ""), (55, "wants"), (100, "no")])},
                '', p.registered_on
            FROM households_person p
            WHERE p.status = 'active' AND p.birth_date <= %s AND p.birth_date > %s
              AND {_share("p.id", 47)} >= 2
            """,
            [young, old],
        )
        channels = [
            (12, "agriculture"),
            (30, "labor_export"),
            (55, "park_workshop"),
            (62, "business"),
            (85, "local_temporary"),
            (100, "public_welfare"),
        ]
        job_types = [
            (35, "wage_work"),
            (50, "livestock"),
            (58, "crops"),
            (64, "security"),
            (70, "cleaner"),
            (74, "forest_ranger"),
            (77, "border_guard"),
            (80, "auxiliary_police"),
            (86, "trade"),
            (96, "flexible"),
            (100, "other"),
        ]
        cursor.execute(
            f"""
            INSERT INTO employment_employment (created, updated, version, person_id, channel,
                job_type, place, employer, industry, monthly_income, start_date, end_date,
                organised, is_main)
            SELECT CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, p.id,
                {_pick("p.id", 23, channels)},
                {_pick("p.id", 29, job_types)},
                {_pick("p.id", 31, [(70, "county"), (90, "province"), (100, "outside")])},
                '', '', 1200 + (p.id * 37) %% 1301, p.registered_on, NULL,
                {_share("p.id", 41)} < 40, TRUE
            FROM households_person p
            JOIN employment_laborprofile l ON l.person_id = p.id
            WHERE l.capacity IN ('ordinary', 'skilled', 'weak')
              AND l.willingness <> 'none'
              AND p.household_id %% 40 <> 0
            """,
            [],
        )
        cursor.execute(
            f"""
            INSERT INTO employment_followupvisit (created, updated, person_id, visited_on,
                still_employed, note)
            SELECT CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, e.person_id, %s, TRUE, ''
            FROM employment_employment e
            WHERE {_share("e.person_id", 43)} >= 10
            """,
            [as_of - dt.timedelta(days=40)],
        )


def link_workshop_jobs(context: Context) -> None:
    """Open workshop-channel jobs at a workshop's first site (its first site served) join the
    workshop: 30 for a county's first (of 40 jobs: it keeps the rule), 20 for its second (of
    200: it breaks it). Industry's demo must have made the workshops."""
    workshops = list(IndustryProject.objects.filter(kind=Kind.WORKSHOP).order_by("id"))
    first_site: dict[int, int] = {}
    served = ProjectSite.objects.filter(project__in=workshops).order_by("id")
    for project_id, site_id in served.values_list("project_id", "site_id"):
        first_site.setdefault(project_id, site_id)
    with connection.cursor() as cursor:
        for project in workshops:
            count = 30 if project.jobs_offered <= 40 else 20
            cursor.execute(
                """
                UPDATE employment_employment SET project_id = %s
                WHERE id IN (
                    SELECT e.id FROM employment_employment e
                    JOIN households_person p ON p.id = e.person_id
                    WHERE p.site_id = %s AND e.end_date IS NULL AND e.is_main
                      AND e.channel = 'park_workshop' AND e.project_id IS NULL
                    ORDER BY e.id LIMIT %s)
                """,
                [project.pk, first_site[project.pk], count],
            )


# After industry (a job may be in a project: employment is the layer above industry), before
# monitoring, whose rules read the jobs. The jobs join the workshops in a step of their own,
# after the ledger's tables are whole again (indexes back), as the join reads them.
register(LEDGERS + 10, seed_labor, loads=[LaborProfile, Employment, FollowUpVisit])
register(LEDGERS + 15, link_workshop_jobs, name="employment.workshop_jobs")
