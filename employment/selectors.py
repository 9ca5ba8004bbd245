"""The worklists cadres open each morning (issue: labor ledger, item 3), as querysets to scope
with `visible_to`. Each says who needs what, from the policies:

- 零就业家庭: households with labor and nobody employed (Tacheng plan §四(二)).
- 待岗位对接: unemployed laborers who want work with no job match for
  settings.EMPLOYMENT_JOB_MATCH_DAYS (the plan §四(四) asks for at least one match for each).
- 待跟踪回访: employed laborers with no follow-up visit for settings.EMPLOYMENT_FOLLOW_UP_DAYS
  (§四(四): at least once a year).
- 五清不全: laborers missing any of the five clears (Kashgar report §四(二)5).
- 底数不清: registered persons of working age without a labor profile (§四(一): 不漏一人).
"""

import datetime as dt
import operator
from functools import reduce

from django.conf import settings
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.utils.translation import gettext_lazy as _

from employment.choices import LABOR_CAPACITIES, Willingness
from employment.models import (
    Employment,
    FollowUpVisit,
    JobMatch,
    LaborProfile,
    Training,
    Unemployment,
    employed_on,
)
from households.models import Household, Person, registered_on_date
from households.selectors import with_head


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def laborers_on(as_of: dt.date):
    """Persons who are laborers (劳动力) on `as_of`: registered, of working age (settings), with
    a profile counting by then (`recorded_on`: its recording or the person's first labor fact,
    whichever is earlier, services.labor_profile_counts_from) whose capacity is ordinary,
    skilled or weak labor."""
    return Person.objects.filter(is_laborer_on(as_of))


def is_laborer_on(as_of: dt.date, *, person: str = "", profile: str = "labor_profile__") -> Q:
    """The condition of `laborers_on`, for a list of other records: `person` is the path to
    the person, `profile` to their labor profile (from a profile: "person__" and "")."""
    low, high = settings.EMPLOYMENT_WORKING_AGE
    return registered_on_date(as_of, person) & Q(
        **{
            f"{person}birth_date__lte": years_before(as_of, low),
            f"{person}birth_date__gt": years_before(as_of, high),
            f"{profile}capacity__in": LABOR_CAPACITIES,
            f"{profile}recorded_on__lte": as_of,
        }
    )


def working_on(as_of: dt.date) -> Exists:
    """Whether the person (OuterRef "pk") holds a main job on `as_of`."""
    return Exists(
        Employment.objects.filter(employed_on(as_of), person=OuterRef("pk"), is_main=True)
    )


def employed_laborers(as_of: dt.date):
    """Laborers (`laborers_on`) holding a main job on `as_of` (`working_on`: begun by then, not
    ended before it): the employed (Kashgar report §二(三)), the one definition the labor list,
    the worklists and the `employed` indicator use."""
    return laborers_on(as_of).filter(working_on(as_of))


def main_job_on(as_of: dt.date, **job) -> Exists:
    """Whether the person (OuterRef "pk") holds a main job on `as_of` whose fields match `job`
    (channel="...", say): a breakdown of the employed."""
    return Exists(
        Employment.objects.filter(employed_on(as_of), person=OuterRef("pk"), is_main=True, **job)
    )


def recent_visits(as_of: dt.date):
    """Follow-up visits in the settings.EMPLOYMENT_FOLLOW_UP_DAYS to `as_of` (Tacheng plan
    §四(四): at least once a year)."""
    since = as_of - dt.timedelta(days=settings.EMPLOYMENT_FOLLOW_UP_DAYS)
    return FollowUpVisit.objects.filter(visited_on__gt=since, visited_on__lte=as_of)


def visited_on(as_of: dt.date) -> Exists:
    """Whether the person (OuterRef "pk") had a follow-up visit in the
    settings.EMPLOYMENT_FOLLOW_UP_DAYS to `as_of` (`recent_visits`)."""
    return Exists(recent_visits(as_of).filter(person=OuterRef("pk")))


def labor_households(as_of: dt.date):
    """Households with at least one laborer on `as_of`."""
    return Household.objects.filter(Exists(laborers_on(as_of).filter(household=OuterRef("pk"))))


def employed_households(as_of: dt.date):
    """Households with a laborer employed (`employed_laborers`) on `as_of`."""
    employed = employed_laborers(as_of).filter(household=OuterRef("pk"))
    return Household.objects.filter(Exists(employed))


def open_main_jobs(as_of: dt.date, path: str = "") -> Prefetch:
    """A person's main job on `as_of` as `open_jobs` (a list of at most one: main jobs do not
    overlap), for lists: begun by then and not ended before it (`employed_on`), the job the
    `employed` indicator counts, so a job ending that day still shows. `path` leads to the
    person, e.g. "person__"."""
    return Prefetch(
        f"{path}employments",
        queryset=Employment.objects.filter(employed_on(as_of), is_main=True),
        to_attr="open_jobs",
    )


def zero_employment(as_of: dt.date) -> Q:
    """Whether a household has labor and nobody of it holds a main job on `as_of`: a filter on
    households, to apply to an already narrowed list (a county's) rather than as a subquery."""
    laborers = laborers_on(as_of).filter(household=OuterRef("pk"))
    return Q(Exists(laborers)) & ~Q(Exists(laborers.filter(working_on(as_of))))


def zero_employment_households(as_of: dt.date):
    """Households with labor and nobody employed on `as_of` (零就业家庭, Tacheng plan §四(二))."""
    return Household.objects.filter(zero_employment(as_of))


def recent_matches(as_of: dt.date):
    """Job matches in the settings.EMPLOYMENT_JOB_MATCH_DAYS to `as_of` (Tacheng plan §四(四))."""
    since = as_of - dt.timedelta(days=settings.EMPLOYMENT_JOB_MATCH_DAYS)
    return JobMatch.objects.filter(matched_on__gt=since, matched_on__lte=as_of)


def awaiting_job_match(as_of: dt.date):
    """Laborers on `as_of` who want work (a willingness other than 暂无意愿), hold no main job
    and had no job match in the settings.EMPLOYMENT_JOB_MATCH_DAYS to then (待岗位对接)."""
    return (
        laborers_on(as_of)
        .exclude(labor_profile__willingness__in=["", Willingness.NONE])
        .filter(~working_on(as_of), ~Exists(recent_matches(as_of).filter(person=OuterRef("pk"))))
    )


def awaiting_follow_up(as_of: dt.date):
    """Employed laborers on `as_of` with no follow-up visit in the
    settings.EMPLOYMENT_FOLLOW_UP_DAYS to then (待跟踪回访)."""
    return employed_laborers(as_of).filter(~visited_on(as_of))


def unemployment_open_on(as_of: dt.date):
    """Unemployment registrations open on `as_of`: registered by then, not closed by then."""
    return Unemployment.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=as_of), registered_on__lte=as_of
    )


def unemployed_on(as_of: dt.date) -> Exists:
    """Whether the person (OuterRef "pk") is registered unemployed on `as_of`."""
    return Exists(unemployment_open_on(as_of).filter(person=OuterRef("pk")))


def with_employment_status(persons, as_of: dt.date):
    """`persons` annotated with `working` and `unemployed` on `as_of`, which FIVE_CLEARS_MISSING
    reads."""
    return persons.annotate(working=working_on(as_of), unemployed=unemployed_on(as_of))


# The five clears (五清, Kashgar report §四(二)5), each as (code, what a worklist row names as
# missing, the condition of a laborer missing it): 底数 (education on record), 劳动能力
# (capacity), 就业状态 (employed, registered unemployed, or not wanting work), 就业意愿
# (willingness), 培训意向 (training intention). The conditions need `with_employment_status`.
FIVE_CLEARS = (
    ("education", _("education"), Q(education="")),
    ("capacity", _("labor capacity"), Q(labor_profile__capacity="")),
    (
        "status",
        _("employment status"),
        ~(Q(working=True) | Q(unemployed=True) | Q(labor_profile__willingness=Willingness.NONE)),
    ),
    ("willingness", _("willingness to work"), Q(labor_profile__willingness="")),
    ("training", _("training intention"), Q(labor_profile__training_intention="")),
)
# Laborers missing any of the five clears.
FIVE_CLEARS_MISSING = reduce(operator.or_, (missing for _code, _label, missing in FIVE_CLEARS))


def with_five_clears_missing(persons):
    """`persons` (`with_employment_status`) annotated with `missing_<code>` for each of
    FIVE_CLEARS: whether the person lacks it, which a worklist row names."""
    return persons.annotate(
        **{
            f"missing_{code}": ExpressionWrapper(missing, output_field=BooleanField())
            for code, _label, missing in FIVE_CLEARS
        }
    )


def five_clears_missing(person) -> list[str]:
    """What a person of `with_five_clears_missing` lacks of the five clears, as the user reads
    it: ["培训意向", "就业状态"]. Empty when all five are on record."""
    return [str(label) for code, label, _q in FIVE_CLEARS if getattr(person, f"missing_{code}")]


def five_clears_incomplete(as_of: dt.date):
    return with_employment_status(laborers_on(as_of), as_of).filter(FIVE_CLEARS_MISSING)


def five_clears_complete(as_of: dt.date):
    """Laborers with all five clears on record on `as_of` (Kashgar report §四(二)5)."""
    return with_employment_status(laborers_on(as_of), as_of).exclude(FIVE_CLEARS_MISSING)


def trainings_this_year(as_of: dt.date):
    """Trainings finished from 1 January of `as_of`'s year to `as_of`."""
    return Training.objects.filter(end_date__gte=as_of.replace(month=1, day=1), end_date__lte=as_of)


def trained_this_year(as_of: dt.date):
    """Persons who finished a training from 1 January of `as_of`'s year to `as_of`."""
    return Person.objects.filter(Exists(trainings_this_year(as_of).filter(person=OuterRef("pk"))))


def unprofiled(as_of: dt.date):
    """Registered persons of working age on `as_of` with no labor profile counting by then
    (底数不清, Tacheng plan §四(一): 不漏一人)."""
    low, high = settings.EMPLOYMENT_WORKING_AGE
    profiled = LaborProfile.objects.filter(person=OuterRef("pk"), recorded_on__lte=as_of)
    return Person.objects.filter(
        registered_on_date(as_of),
        birth_date__lte=years_before(as_of, low),
        birth_date__gt=years_before(as_of, high),
    ).filter(~Exists(profiled))


# What a worklist's rows show ----------------------------------------------------------------


def _latest(queryset, field: str) -> Subquery:
    """The latest `field` (a date) of `queryset`'s rows, for the list row it is filtered to."""
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


def worklist_persons(records, as_of: dt.date, *, five_clears: bool = False, job: bool = False):
    """A worklist's persons (`records`, scoped) with what its rows show, in household-number
    order, each read once whatever the rows: the household and site, `head_name` (the
    household's head), `last_visit` (the latest follow-up visit by `as_of`), `last_match` (the
    latest job match by then) and `last_job_end` (when their last job ended, by then); with
    `five_clears`, which of them each lacks (`with_five_clears_missing`, for records of
    `with_employment_status`); with `job`, their main job on `as_of` (`open_jobs`)."""
    person = OuterRef("pk")
    rows = with_head(records.select_related("household", "site"), "household_id").annotate(
        last_visit=_latest(
            FollowUpVisit.objects.filter(person=person, visited_on__lte=as_of), "visited_on"
        ),
        last_match=_latest(
            JobMatch.objects.filter(person=person, matched_on__lte=as_of), "matched_on"
        ),
        last_job_end=_latest(
            Employment.objects.filter(person=person, is_main=True, end_date__lt=as_of), "end_date"
        ),
    )
    if five_clears:
        rows = with_five_clears_missing(rows)
    if job:
        rows = rows.prefetch_related(open_main_jobs(as_of))
    return rows.order_by("household__household_no", "id")


def worklist_households(records, as_of: dt.date):
    """A worklist's households (`records`, scoped) with what its rows show, in household-number
    order, each read once whatever the rows: the site, `head_name`, `laborers` (their laborers
    on `as_of`, a list), `last_job_end` (when a member's last main job ended, by then) and
    `last_visit` (a member's latest follow-up visit by then)."""
    household = OuterRef("pk")
    return (
        with_head(records.select_related("site"))
        .annotate(
            last_job_end=_latest(
                Employment.objects.filter(
                    person__household=household, is_main=True, end_date__lt=as_of
                ),
                "end_date",
            ),
            last_visit=_latest(
                FollowUpVisit.objects.filter(person__household=household, visited_on__lte=as_of),
                "visited_on",
            ),
        )
        .prefetch_related(
            Prefetch(
                "members",
                queryset=laborers_on(as_of).only("id", "name", "household_id").order_by("id"),
                to_attr="laborers",
            )
        )
        .order_by("household_no")
    )
