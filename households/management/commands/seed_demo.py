"""seed_demo [--scale small|prefecture|province] [--seed N]

Fills an empty registry with plausible demo data and the demo logins, one per role: every app's
seeder registered with the demo's registry (resettle.demo), in the order of the layers, the
registry's first (households.demo). Does nothing if a household exists already, so `make run`
can call it every time; either way it ends with the table of demo logins.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from households import demo
from households.demo_data import SCALES
from resettle import demo as registry


class Command(BaseCommand):
    help = "Seed demo sites, households, members and one login per role (once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=list(SCALES),
            default="prefecture",
            help="small: a test set; prefecture: Kashgar-like (default); province: Guizhou-like",
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    def handle(self, *args, scale, seed, **options):
        result = demo.present()
        if result is not None:
            self.stdout.write(f"Demo data is already present ({_counts(result)}); nothing changed.")
            self.write_logins()
            return
        registry.autodiscover()  # the apps' demo modules: imported before the clock starts
        started = time.perf_counter()
        try:
            steps = registry.seed(scale, seed)
        except registry.SeedError as exc:
            raise CommandError(str(exc)) from None
        total = time.perf_counter() - started
        [result] = [step.result for step in steps if step.registration.seeder is demo.seed_registry]
        seconds = max(result.registry_seconds, 1e-6)
        self.stdout.write(
            self.style.SUCCESS(f"Seeded the {scale} demo (seed {seed}): {_counts(result)}.")
        )
        self.stdout.write(
            f"registry {result.registry_seconds:.1f} s: {result.persons / seconds:,.0f} "
            f"persons/s, {result.households / seconds:,.0f} households/s; "
            f"{total:.1f} s in all with the other ledgers"
        )
        self.write_logins()

    def write_logins(self):
        rows = demo.login_table()
        if not rows:
            self.stdout.write("No demo logins in this database.")
            return
        header = ("username", "role", "scope", "password")
        widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
        self.stdout.write("Demo logins:")
        for row in [header, *rows]:
            cells = (_pad(value, width) for value, width in zip(row, widths, strict=True))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())


def _counts(result: demo.Result) -> str:
    return f"{result.sites:,} sites, {result.households:,} households, {result.persons:,} persons"


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text))


def _pad(text: str, width: int) -> str:
    return str(text) + " " * (width - _width(text))
