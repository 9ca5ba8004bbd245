"""What the labor ledger contributes to the indicator catalogue: laborers, the employed and the
households without work, each as of the grouping's date (a spell that ended in November still
counts in October's figure)."""

from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Max, Sum
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from employment import choices
from employment.models import Employment, employed_on
from employment.selectors import (
    awaiting_follow_up,
    awaiting_job_match,
    employed_households,
    employed_laborers,
    five_clears_complete,
    five_clears_incomplete,
    labor_households,
    laborers_on,
    main_job_on,
    recent_matches,
    recent_visits,
    trained_this_year,
    trainings_this_year,
    unemployment_open_on,
    unprofiled,
    visited_on,
    zero_employment_households,
)
from resettle import worklists
from resettle.indicators import (
    Area,
    Grouping,
    Indicator,
    Mean,
    Values,
    analytic_session,
    catalogue,
)
from resettle.scoping import LEVEL_LENGTHS
from resettle.worklists import Worklist


def _with_visit_days(text: str):
    """`text`, a msgid holding %(days)d, in the reader's language with the follow-up visits'
    days (settings.EMPLOYMENT_FOLLOW_UP_DAYS), translated when shown."""
    return lazy(lambda: gettext(text) % {"days": settings.EMPLOYMENT_FOLLOW_UP_DAYS}, str)()


def _with_match_days(text: str):
    """`text`, a msgid holding %(days)d, with the job matches' days
    (settings.EMPLOYMENT_JOB_MATCH_DAYS), translated when shown."""
    return lazy(lambda: gettext(text) % {"days": settings.EMPLOYMENT_JOB_MATCH_DAYS}, str)()


APP = "employment"
COUNTY = LEVEL_LENGTHS["county"]


# The rules of the five clears, as FIVE_CLEARS_MISSING states them for the worklist, over the
# columns of `labor_counts`'s rows (l: the laborer and profile, w: the job, u: unemployment).
FIVE_CLEARS_SQL = (
    "l.edu <> '' AND l.cap <> '' AND l.will <> '' AND l.train <> '' AND "
    "(w.person_id IS NOT NULL OR u.person_id IS NOT NULL OR l.will = %s)"
)
# The rule of `awaiting_job_match` over the same rows (m: a job match in the recent days): wants
# work, holds no job, was offered none.
AWAITING_MATCH_SQL = "l.will <> '' AND l.will <> %s AND w.person_id IS NULL AND m.person_id IS NULL"

# Each breakdown: the column of the job's row (`jobs` in labor_counts) and its categories.
BREAKDOWNS = {
    "employed_by_channel": ("ch", choices.Channel),
    "employed_by_place": ("pl", choices.Place),
    "employed_by_job_type": ("jt", choices.JobType),
}
# The job's field of each breakdown, for its drill-through list.
BREAKDOWN_FIELDS = {
    "employed_by_channel": "channel",
    "employed_by_place": "place",
    "employed_by_job_type": "job_type",
}


def _records(population):
    """The drill-through of a count: `population(as_of)` (the selector the lists use) in the
    area."""
    return lambda area: area.within(population(area.as_of))


def _employed_by(code: str):
    """The employed whose main job on the date is of the area's category of breakdown `code`."""

    def records(area: Area):
        job = {BREAKDOWN_FIELDS[code]: area.category} if area.category else {}
        return area.within(laborers_on(area.as_of).filter(main_job_on(area.as_of, **job)))

    return records


@catalogue.source(
    Indicator(
        "labor_force",
        _("Labor force"),
        _("persons"),
        _("Registered persons of working age whose labor profile says they can work."),
        source=_("Tacheng plan §四(一)"),
        app=APP,
        records=_records(laborers_on),
    ),
    Indicator(
        "employed",
        _("Employed laborers"),
        _("persons"),
        _("Laborers holding a main job on the date."),
        source=_("Kashgar report §二(三)"),
        app=APP,
        records=_records(employed_laborers),
    ),
    Indicator(
        "employed_visited",
        _("Employed laborers visited"),
        _("persons"),
        _with_visit_days(
            gettext_noop(
                "Employed laborers with a follow-up visit in the %(days)d days to the date."
            )
        ),
        app=APP,
        records=lambda area: area.within(
            employed_laborers(area.as_of).filter(visited_on(area.as_of))
        ),
    ),
    Indicator(
        "five_clears_complete",
        _("Laborers with the five clears"),
        _("persons"),
        _(
            "Laborers whose education, capacity, employment status, willingness and training "
            "intention are all on record."
        ),
        source=_("Kashgar report §四(二)5"),
        app=APP,
        records=_records(five_clears_complete),
    ),
    Indicator(
        "five_clears_incomplete",
        _("Laborers missing some of the five clears"),
        _("persons"),
        _(
            "Laborers of whom education, capacity, employment status, willingness or training "
            "intention is not on record (五清不全): the labor force less those with the five clears."
        ),
        source=_("Kashgar report §四(二)5"),
        app=APP,
        records=_records(five_clears_incomplete),
    ),
    Indicator(
        "awaiting_follow_up",
        _("Employed laborers awaiting a follow-up visit"),
        _("persons"),
        _with_visit_days(
            gettext_noop(
                "Employed laborers with no follow-up visit in the %(days)d days to the date "
                "(待跟踪回访)."
            )
        ),
        source=_("Tacheng plan §四(四)"),
        app=APP,
        records=_records(awaiting_follow_up),
    ),
    Indicator(
        "awaiting_job_match",
        _("Laborers awaiting a job match"),
        _("persons"),
        _with_match_days(
            gettext_noop(
                "Laborers who want work, hold no job on the date and had no job match in the "
                "%(days)d days to it (待岗位对接)."
            )
        ),
        source=_("Tacheng plan §四(四)"),
        app=APP,
        records=_records(awaiting_job_match),
    ),
    Indicator(
        "labor_households",
        _("Households with labor"),
        _("households"),
        _("Households with at least one laborer on the date."),
        app=APP,
        records=_records(labor_households),
    ),
    Indicator(
        "employed_households",
        _("Households with someone employed"),
        _("households"),
        _("Households with labor in which at least one laborer holds a job on the date."),
        app=APP,
        records=_records(employed_households),
    ),
    Indicator(
        "zero_employment_households",
        _("Zero-employment households"),
        _("households"),
        _("Households with labor in which no laborer holds a job on the date (零就业家庭)."),
        source=_("Tacheng plan §二"),
        app=APP,
        records=_records(zero_employment_households),
    ),
    Indicator(
        "employed_by_channel",
        _("Employed by channel"),
        _("persons"),
        _("Employed laborers by the channel of their main job (the six channels)."),
        kind="breakdown",
        source=_("Kashgar report §二(三)"),
        app=APP,
        records=_employed_by("employed_by_channel"),
        categories=tuple(choices.Channel.choices),
    ),
    Indicator(
        "employed_by_place",
        _("Employed by place of work"),
        _("persons"),
        _("Employed laborers by where their main job is: in the county, the province, outside."),
        kind="breakdown",
        source=_("Tacheng plan §三"),
        app=APP,
        records=_employed_by("employed_by_place"),
        categories=tuple(choices.Place.choices),
    ),
    Indicator(
        "employed_by_job_type",
        _("Employed by job type"),
        _("persons"),
        _("Employed laborers by the type of their main job, as in the Tacheng tables."),
        kind="breakdown",
        source=_("Tacheng plan §三"),
        app=APP,
        records=_employed_by("employed_by_job_type"),
        categories=tuple(choices.JobType.choices),
    ),
    additive=True,
)
def labor_counts(grouping: Grouping) -> Values:
    """Every laborer once, with their job, visit and unemployment joined (not probed per row),
    counted per group in one query."""
    as_of = grouping.as_of
    laborers = grouping.rows(
        laborers_on(as_of),
        pid=F("id"),
        hh=F("household_id"),
        edu=F("education"),
        cap=F("labor_profile__capacity"),
        will=F("labor_profile__willingness"),
        train=F("labor_profile__training_intention"),
    )

    # Each person's job, visit and unemployment on the date, joined to the laborers. For a
    # county or a site they are read within it (by the indexes); for a prefecture or province
    # whole, which is quicker than narrowing them by a join (the laborers are narrowed anyway).
    def narrowed(queryset):
        return grouping.within(queryset) if len(grouping.region_code) >= COUNTY else queryset

    # Main jobs do not overlap (services.check_no_overlap); grouping by person makes sure nobody
    # counts twice all the same.
    jobs = (
        narrowed(Employment.objects.filter(employed_on(as_of), is_main=True))
        .order_by()
        .values("person_id")
        .annotate(ch=Max("channel"), jt=Max("job_type"), pl=Max("place"))
    )
    visited = narrowed(recent_visits(as_of)).order_by().values("person_id").distinct()
    unemployed = narrowed(unemployment_open_on(as_of)).order_by().values("person_id").distinct()
    matched = narrowed(recent_matches(as_of)).order_by().values("person_id").distinct()
    parts = [q.query.sql_with_params() for q in (laborers, jobs, visited, unemployed, matched)]
    # Per household first (its laborers, and whether any works), then per group: two plain
    # aggregations rather than COUNT(DISTINCT household), which sorts every laborer.
    sums = []
    params: list = [choices.Willingness.NONE, choices.Willingness.NONE]
    for column, categories in BREAKDOWNS.values():
        for value in categories.values:
            sums.append(f"SUM(CASE WHEN w.{column} = %s THEN 1 ELSE 0 END)")
            params.append(value)
    per_household = (
        "SELECT l._key, COUNT(*) AS labor, COUNT(w.person_id) AS employed, "
        "SUM(CASE WHEN w.person_id IS NOT NULL AND v.person_id IS NOT NULL THEN 1 ELSE 0 END)"
        " AS visited, "
        f"SUM(CASE WHEN {FIVE_CLEARS_SQL} THEN 1 ELSE 0 END) AS complete, "
        f"SUM(CASE WHEN {AWAITING_MATCH_SQL} THEN 1 ELSE 0 END) AS unmatched, "
        + ", ".join(f"{sql} AS b{i}" for i, sql in enumerate(sums))
        + f" FROM ({parts[0][0]}) l"
        f" LEFT JOIN ({parts[1][0]}) w ON w.person_id = l.pid"
        f" LEFT JOIN ({parts[2][0]}) v ON v.person_id = l.pid"
        f" LEFT JOIN ({parts[3][0]}) u ON u.person_id = l.pid"
        f" LEFT JOIN ({parts[4][0]}) m ON m.person_id = l.pid"
        " GROUP BY l._key, l.hh"
    )
    for _sql, part_params in parts:
        params.extend(part_params)
    sql = (
        "SELECT h._key, SUM(h.labor), SUM(h.employed), SUM(h.visited), SUM(h.complete), "
        "SUM(h.unmatched), COUNT(*), SUM(CASE WHEN h.employed > 0 THEN 1 ELSE 0 END), "
        + ", ".join(f"SUM(h.b{i})" for i in range(len(sums)))
        + f" FROM ({per_household}) h GROUP BY h._key"
    )
    values: Values = {}
    with analytic_session() as cursor:
        cursor.execute(sql, params)
        for key, *figures in cursor.fetchall():
            # (PostgreSQL's SUM of counts is a numeric)
            labor, employed, visited_count, complete, unmatched, households, working, *rest = map(
                int, figures
            )
            counts = iter(rest)
            values[key] = {
                "labor_force": labor,
                "employed": employed,
                "employed_visited": visited_count,
                "five_clears_complete": complete,
                "five_clears_incomplete": labor - complete,
                "awaiting_follow_up": employed - visited_count,
                "awaiting_job_match": unmatched,
                "labor_households": households,
                "employed_households": working,
                "zero_employment_households": households - working,
                **{
                    code: {value: next(counts) for value in categories.values}
                    for code, (_column, categories) in BREAKDOWNS.items()
                },
            }
    return values


catalogue.ratio(
    Indicator(
        "employment_rate",
        _("Employment rate"),
        _("%"),
        _("Employed laborers ÷ labor force."),
        kind="ratio",
        app=APP,
    ),
    numerator="employed",
    denominator="labor_force",
)


catalogue.ratio(
    Indicator(
        "one_per_household_rate",
        _("One employed per household"),
        _("%"),
        _("Households with labor and someone employed ÷ households with labor (一户一人)."),
        kind="ratio",
        source=_("Tacheng plan §一"),
        app=APP,
    ),
    numerator="employed_households",
    denominator="labor_households",
)


catalogue.ratio(
    Indicator(
        "followup_coverage",
        _("Follow-up coverage"),
        _("%"),
        _with_visit_days(
            gettext_noop("Employed laborers visited in the last %(days)d days ÷ employed laborers.")
        ),
        kind="ratio",
        source=_("Tacheng plan §四(四)"),
        app=APP,
    ),
    numerator="employed_visited",
    denominator="employed",
)
catalogue.ratio(
    Indicator(
        "five_clears_rate",
        _("Five clears rate"),
        _("%"),
        _("Laborers with the five clears ÷ labor force."),
        kind="ratio",
        source=_("Kashgar report §四(二)5"),
        app=APP,
    ),
    numerator="five_clears_complete",
    denominator="labor_force",
)


@catalogue.source(
    Indicator(
        "avg_monthly_wage",
        _("Average monthly income"),
        _("yuan"),
        _("Mean monthly income of the main jobs open on the date that record one."),
        kind="amount",
        app=APP,
    ),
    additive=True,
)
def wages(grouping: Grouping) -> Values:
    """The average as its sum and count (`Mean`): a region's is added up from its sites'."""
    values = grouping.aggregate(
        Employment.objects.filter(
            employed_on(grouping.as_of), is_main=True, monthly_income__isnull=False
        ),
        wage_total=Sum("monthly_income"),
        wage_jobs=Count("id"),
    )
    return {
        key: {"avg_monthly_wage": Mean(row["wage_total"] or Decimal(0), row["wage_jobs"])}
        for key, row in values.items()
    }


@catalogue.source(
    Indicator(
        "trained_ytd",
        _("Trained this year"),
        _("persons"),
        _("Persons who finished a training between 1 January and the date."),
        source=_("Tacheng plan §四(二)"),
        app=APP,
        records=_records(trained_this_year),
    ),
    additive=True,
)
def trainings(grouping: Grouping) -> Values:
    as_of = grouping.as_of
    return grouping.aggregate(
        trainings_this_year(as_of), trained_ytd=Count("person_id", distinct=True)
    )


@catalogue.source(
    Indicator(
        "unprofiled",
        _("Persons of working age without a labor profile"),
        _("persons"),
        _(
            "Registered persons of working age on the date with no labor profile counting by "
            "then (底数不清)."
        ),
        source=_("Tacheng plan §四(一)"),
        app=APP,
        records=_records(unprofiled),
    ),
    additive=True,
)
def unprofiled_counts(grouping: Grouping) -> Values:
    return grouping.aggregate(unprofiled(grouping.as_of), unprofiled=Count("id"))


# The labor ledger's worklists (employment.views.worklist), each the records of its figure.
worklists.register(
    *(
        Worklist(code, title, "labor", "labor-worklist", (slug,))
        for code, title, slug in (
            ("zero_employment_households", _("Zero-employment households"), "zero-employment"),
            ("awaiting_job_match", _("Awaiting a job match"), "job-matching"),
            ("awaiting_follow_up", _("Awaiting a follow-up visit"), "follow-up"),
            ("five_clears_incomplete", _("Five clears incomplete"), "five-clears"),
            ("unprofiled", _("No labor profile"), "unprofiled"),
        )
    )
)
