"""The demo's registry: each app seeds its own part of the demo, and `seed` runs the parts in the
order of the layers (DESIGN.md's, in the order pyproject.toml's import contract writes down:
kernel ← households ← industry ← employment ← monitoring ← governance), so that no app reaches
into another's seeding.

An app's `demo` module registers its seeder when it is imported, as an app's `admin` module
registers its models with the admin site; `autodiscover` imports the `demo` module of every
installed app (Django's `autodiscover_modules`, which `admin.autodiscover` uses too):

    register(LEDGERS + 10, seed_labor, loads=[LaborProfile, Employment, FollowUpVisit])

A seeder takes the run's `Context` (scale, seed, the day the demo describes) and may return a
summary (the registry returns its counts). The kernel imports no app: it knows the seeders only
by what they registered.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils.module_loading import autodiscover_modules

from resettle.bulk import bulk_loading
from resettle.periods import last_day, last_ended, month_before

# The day the demo's ledgers describe. Fixed, so that a seed gives the same rows whenever it
# runs (a run before that day describes the run's day).
AS_OF = dt.date(2026, 10, 31)

# The months of the demo's monthly reports, the last ended by the day the demo describes: the
# ledgers date their records across them (monitoring's rules run as of each month's end), and
# governance reports on each.
MONTHS = 6

# The orders of the layers; an app picks its layer's number, plus a step within the layer where
# its seed reads another's rows of the same layer.
# households: sites, households, persons and the demo logins.
REGISTRY = 100
# industry 200; employment 210 above it (a job may be in a project: 215 links the jobs to the
# workshops); monitoring 220, after both (its rules read the jobs).
LEDGERS = 200
# governance: the monthly reports of the ledgers' figures, made and approved by the demo logins.
OVERSIGHT = 300


def report_months(as_of: dt.date) -> list[str]:
    """The MONTHS months ("YYYY-MM") the demo describing `as_of` reports on, oldest first:
    up to the month `as_of` ends, or else the last month ended before it (and never a month not
    yet ended today)."""
    periods = [min(last_ended(as_of + dt.timedelta(days=1)), last_ended())]
    while len(periods) < MONTHS:
        periods.append(month_before(periods[-1]))
    return periods[::-1]


def report_month_ends(as_of: dt.date) -> list[dt.date]:
    """The last days of `report_months(as_of)`, oldest first."""
    return [last_day(period) for period in report_months(as_of)]


class SeedError(Exception):
    """The database is not ready for seeding; the message says what to run."""


@dataclass(frozen=True)
class Context:
    """One run of the demo: the scale's name ("small", "prefecture", "province": the registry
    knows what they hold), the random seed, and the day the demo describes."""

    scale: str
    seed: int
    as_of: dt.date


Seeder = Callable[[Context], object]


@dataclass(frozen=True)
class Registration:
    """A seeder and where it runs: `order` (a layer's number above), `name` (its app's label:
    one seeder an app), `loads` (the models whose tables it fills in bulk: `seed` prepares them
    for loading around it, resettle.bulk.bulk_loading)."""

    order: int
    name: str
    seeder: Seeder
    loads: tuple[type[models.Model], ...] = ()


@dataclass(frozen=True)
class Step:
    """What one seeder did in a run: its registration, its wall time in seconds (loading
    preparations included) and what it returned."""

    registration: Registration
    seconds: float
    result: object


_registry: dict[str, Registration] = {}


def register(
    order: int,
    seeder: Seeder,
    *,
    loads: Iterable[type[models.Model]] = (),
    name: str = "",
) -> None:
    """Add `seeder` to the demo at `order` (REGISTRY, LEDGERS + n, OVERSIGHT), under `name` (by
    default the app its module belongs to: "employment.demo" registers "employment"; a second
    seeder of an app names itself); `loads` are the models whose tables it fills in bulk. Registering a name again replaces its seeder
    (a module imported twice registers twice)."""
    name = name or seeder.__module__.split(".")[0]
    _registry[name] = Registration(order, name, seeder, tuple(loads))


def autodiscover() -> None:
    """Import the `demo` module of every installed app, which registers its seeder."""
    autodiscover_modules("demo")


def registrations() -> list[Registration]:
    """The registered seeders in the order they run (by order, then name)."""
    autodiscover()
    return sorted(_registry.values(), key=lambda r: (r.order, r.name))


def seed(scale: str, seed: int) -> list[Step]:
    """Run every seeder in order, in one transaction, for `scale` and `seed`, the demo describing
    AS_OF or today if that is earlier. Returns the steps run, in order. Raises SeedError
    (nothing written) where a seeder finds the database not ready."""
    context = Context(scale=scale, seed=seed, as_of=min(AS_OF, dt.date.today()))
    steps = []
    with transaction.atomic():
        for registration in registrations():
            started = time.perf_counter()
            with bulk_loading(registration.loads):
                result = registration.seeder(context)
            steps.append(Step(registration, time.perf_counter() - started, result))
    return steps
