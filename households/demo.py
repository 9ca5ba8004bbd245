"""The registry's part of the demo: loads the sites, households and members that
households.demo_generator generates (from households.demo_data) and creates one login per role;
registered with the demo's registry (resettle.demo) as the first layer, before the ledgers that
build on it.

The rows are inserted in bulk, without change history, as a data load would be: COPY on
PostgreSQL, `bulk_create` elsewhere (a row's first change records what it held before:
resettle.history.record_previous_values), into tables prepared for loading
(resettle.bulk.bulk_loading). Nothing here goes through the services except the memberships of
the demo logins.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import connection, models

from households.demo_data import PERSONS_PER_HOUSEHOLD, SCALES, Scale
from households.demo_generator import (
    HOUSEHOLD_COLUMNS,
    PERSON_COLUMNS,
    AddRow,
    Generator,
    Row,
    SitePlan,
)
from households.models import Household, Membership, Person, Region, Site
from households.services import membership_grant, user_grant_reveal
from households.tasks import site_refresh_population
from resettle.bulk import bulk_loading, column_types, copy_sql
from resettle.demo import REGISTRY, Context, SeedError, register
from resettle.scoping import LEVEL_LENGTHS, Role

DEMO_PASSWORD = "Demo#2026resettle"


# ---------------------------------------------------------------------------------------------
# Writing

Generate = Callable[[AddRow, AddRow], tuple[int, int]]


def _defaults(model: type[models.Model], columns: tuple[str, ...]) -> tuple[tuple[str, ...], Row]:
    """The model's columns that the generator does not fill (added since), with their defaults."""
    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.attname in columns:
            continue
        if not (field.has_default() or field.null or field.empty_strings_allowed):
            raise SeedError(f"{model.__name__}.{field.name} has no default: the demo must fill it")
        names.append(field.attname)
        values.append(field.get_default())
    return tuple(names), tuple(values)


def _write_bulk(generate: Generate) -> tuple[int, int]:
    """`bulk_create` in large batches, each household before the persons that point at it."""
    batch = 20_000
    household_names, household_values = _defaults(Household, HOUSEHOLD_COLUMNS)
    person_names, person_values = _defaults(Person, PERSON_COLUMNS)
    household_columns = HOUSEHOLD_COLUMNS + household_names
    person_columns = PERSON_COLUMNS + person_names
    households: list[Household] = []
    persons: list[Person] = []

    def flush():
        Household.objects.bulk_create(households, batch_size=batch)
        Person.objects.bulk_create(persons, batch_size=batch)
        households.clear()
        persons.clear()

    def add_household(row: Row) -> None:
        households.append(
            Household(**dict(zip(household_columns, row + household_values, strict=True)))
        )

    def add_person(row: Row) -> None:
        persons.append(Person(**dict(zip(person_columns, row + person_values, strict=True))))
        if len(persons) >= batch:
            flush()

    result = generate(add_household, add_person)
    flush()
    return result


def _write_copy(generate: Generate) -> tuple[int, int]:
    """PostgreSQL: the persons streamed into one binary COPY as they are generated, then the
    households (kept meanwhile) into another; the sequences are then moved past the primary keys
    given."""
    household_names, household_values = _defaults(Household, HOUSEHOLD_COLUMNS)
    person_names, person_values = _defaults(Person, PERSON_COLUMNS)
    person_columns = PERSON_COLUMNS + person_names
    household_columns = HOUSEHOLD_COLUMNS + household_names
    households: list[Row] = []
    with connection.cursor() as cursor:
        raw = cursor.cursor
        person_types = column_types(raw, Person, person_columns)
        household_types = column_types(raw, Household, household_columns)
        with raw.copy(copy_sql(Person, person_columns)) as copy:
            copy.set_types(person_types)
            write = copy.write_row
            if person_values:
                result = generate(households.append, lambda row: write(row + person_values))
            else:
                result = generate(households.append, write)
        with raw.copy(copy_sql(Household, household_columns)) as copy:
            copy.set_types(household_types)
            write = copy.write_row
            for row in households:
                write(row + household_values)
        for model in (Household, Person):
            table = model._meta.db_table
            raw.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))",
                [table],
            )
    return result


def _next_ids() -> tuple[int, int]:
    """The first free primary keys of households and persons."""
    last_household = Household.objects.aggregate(last=models.Max("id"))["last"] or 0
    last_person = Person.objects.aggregate(last=models.Max("id"))["last"] or 0
    return last_household + 1, last_person + 1


# ---------------------------------------------------------------------------------------------
# Demo logins


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    scope: str
    reveal: bool = False
    name: str = ""  # 姓名, shown wherever the user is named


DEMO_USERNAMES = ("admin", "reviewer", "county", "county2", "site", "leader")


def logins_for(scale: Scale, plans: list[SitePlan]) -> list[Login]:
    """One login per role. Kashgar: the prefecture, the counties 莎车县 and 疏附县 (those of the
    test trio), the first site of 莎车县. Province: the province, its first prefecture, that
    prefecture's first two counties, the first site of the first."""
    top = scale.region
    if len(top) == LEVEL_LENGTHS["prefecture"]:
        prefecture, county, county2 = top, "653125", "653121"
    else:
        prefecture = min(p.county[: LEVEL_LENGTHS["prefecture"]] for p in plans)
        county, county2 = sorted({p.county for p in plans if p.county.startswith(prefecture)})[:2]
    site = min(p.code for p in plans if p.county == county)
    return [
        Login("admin", Role.ADMIN, top, reveal=True, name="陈立新"),
        Login("reviewer", Role.PREFECTURE_REVIEWER, prefecture, name="李建华"),
        Login("county", Role.COUNTY_OPERATOR, county, reveal=True, name="阿依古丽·买买提"),
        Login("county2", Role.COUNTY_OPERATOR, county2, name="王志强"),
        Login("site", Role.SITE_OPERATOR, site, name="艾力·吐尔逊"),
        Login("leader", Role.LEADER_VIEWER, top, name="张国庆"),
    ]


def create_logins(logins: list[Login]) -> None:
    """Create (or reset) the demo users with the demo password and grant their memberships."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: the hasher is slow on purpose
    for login in logins:
        user, _created = User.objects.get_or_create(username=login.username)
        user.password = password
        user.first_name, user.last_name = login.name, ""
        user.is_staff = login.role == Role.ADMIN
        user.save()
        membership_grant(user=user, role=login.role, scope_code=login.scope)
        if login.reveal:
            user_grant_reveal(user=user)
        if login.role == Role.ADMIN:
            # The demo's administrator reads the security audit trail in the admin.
            user.user_permissions.add(
                Permission.objects.get(
                    content_type__app_label="resettle", codename="view_accesslog"
                )
            )


def login_table() -> list[tuple[str, str, str, str]]:
    """(username, role, scope, password) of the demo logins in the database."""
    memberships = Membership.objects.filter(user__username__in=DEMO_USERNAMES).select_related(
        "user", "region", "site"
    )
    rows = []
    for m in sorted(memberships, key=lambda m: (DEMO_USERNAMES.index(m.user.username), m.pk)):
        scope = (
            f"{m.region.code} {m.region.name}" if m.region_id else f"{m.site.code} {m.site.name}"
        )
        rows.append((m.user.username, Role(m.role).label, scope, DEMO_PASSWORD))
    return rows


# ---------------------------------------------------------------------------------------------
# The registry's seeder


@dataclass(frozen=True)
class Result:
    """What the registry holds after the seeder (`created`: whether it seeded them), and how long
    its own load took (sites, households and persons, their tables prepared and restored)."""

    created: bool
    sites: int
    households: int
    persons: int
    registry_seconds: float = 0.0


def present() -> Result | None:
    """The counts of the registry if a household exists already (the demo then changes
    nothing), else None."""
    if not Household.objects.exists():
        return None
    return Result(
        created=False,
        sites=Site.objects.count(),
        households=Household.objects.count(),
        persons=Person.objects.count(),
    )


def seed_registry(context: Context) -> Result:
    """Seed the sites, households and members of `context.scale` (households.demo_data.SCALES)
    for `context.seed`, then each site's registered persons and the demo logins (the monthly
    reports of governance's seeder are theirs). Raises SeedError if the reference regions are
    missing or a site to create exists already. Inside resettle.demo.seed's transaction."""
    scale = SCALES[context.scale]
    province = scale.region[: LEVEL_LENGTHS["province"]]
    regions = {r.code: r for r in Region.objects.filter(code__startswith=province)}
    missing = [c for c in (scale.region, *scale.counties) if c not in regions]
    if missing or not any(
        len(code) == LEVEL_LENGTHS["county"] and code.startswith(scale.region) for code in regions
    ):
        raise SeedError(
            f"The reference regions of {scale.region} are missing: run "
            "`python manage.py loaddata fixtures/regions.json` first."
        )
    started = time.perf_counter()
    generator = Generator(scale, context.seed, regions, context.as_of)
    plans = generator.plan_sites()
    taken = list(Site.objects.filter(code__in=[p.code for p in plans]).values_list("code")[:3])
    if taken:
        raise SeedError(
            f"Sites {', '.join(c for (c,) in taken)} exist already: the demo fills an empty "
            "registry (flush the database, or add households to the existing sites)."
        )
    with bulk_loading([Site, Household, Person]):
        # Site.save() sets region_code; bulk_create does not call it.
        Site.objects.bulk_create(
            Site(
                code=p.code,
                name=p.name,
                county_id=p.county,
                region_code=p.county,
                placement=p.placement,
                area_type=p.area_type,
                build_year=p.build_year,
                planned_households=_round_up(p.households * 1.03),
                planned_persons=_round_up(p.households * 1.03 * PERSONS_PER_HOUSEHOLD),
                address=p.address,
                latitude=p.latitude,
                longitude=p.longitude,
            )
            for p in plans
        )
        site_ids = dict(
            Site.objects.filter(code__in=[p.code for p in plans]).values_list("code", "id")
        )
        for plan in plans:
            plan.site_id = site_ids[plan.code]
        household_id, person_id = _next_ids()
        write = _write_copy if connection.vendor == "postgresql" else _write_bulk
        households, persons = write(
            functools.partial(generator.generate, plans, household_id, person_id)
        )
    registry_seconds = time.perf_counter() - started
    site_refresh_population()
    create_logins(logins_for(scale, plans))
    return Result(
        created=True,
        sites=len(plans),
        households=households,
        persons=persons,
        registry_seconds=registry_seconds,
    )


def _round_up(value: float, step: int = 10) -> int:
    return math.ceil(value / step) * step


# The registry comes first: every ledger refers to its households and persons. It prepares its
# own tables for loading (not `loads=`): the site figures and logins after the load want them
# whole.
register(REGISTRY, seed_registry)
