"""python -m bench registry [--keep] [--runs N]

Seeds the province scale into a fresh PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/resettle_bench), then measures the API in-process:
the household list of the largest county (first and a deep page) and the province's indicator
values by county. Prints the figures as a Markdown table for BENCHMARKS.md.
"""

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/resettle_bench"


def run(args: list[str], env: dict) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def recreate_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def timings(client, url: str, runs: int) -> dict:
    started = time.perf_counter()
    response = client.get(url)
    cold = time.perf_counter() - started
    if response.status_code != 200:
        sys.exit(f"GET {url} answered {response.status_code}: {response.content[:300]!r}")
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - started)
    samples.sort()
    return {
        "first": cold * 1000,
        "p50": statistics.median(samples) * 1000,
        "p95": samples[max(0, round(0.95 * len(samples)) - 1)] * 1000,
    }


def registry(args) -> None:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    env.pop("REDIS_URL", None)
    if not args.reuse:
        recreate_database(url)
        run(["migrate", "--no-input", "-v", "0"], env)
        run(["loaddata", "fixtures/regions.json", "-v", "0"], env)
        started = time.perf_counter()
        seed_output = run(["seed_demo", "--scale", "province", "--seed", "1"], env)
        seed_seconds = time.perf_counter() - started
        print(seed_output)
    os.environ.update(DATABASE_URL=url, DEBUG="1", DJANGO_SETTINGS_MODULE="resettle.settings")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db.models import Count
    from django.test import Client

    from households.models import Household, Person
    from households.services import membership_grant

    persons = Person.objects.count()
    households = Household.objects.count()
    county = (
        Household.objects.values("site__county_id").annotate(n=Count("id")).order_by("-n").first()
    )
    county_code, county_households = county["site__county_id"], county["n"]
    reviewer, _ = User.objects.get_or_create(username="bench-reviewer")
    membership_grant(user=reviewer, role="prefecture_reviewer", scope_code="52")
    operator, _ = User.objects.get_or_create(username="bench-county")
    membership_grant(user=operator, role="county_operator", scope_code=county_code)

    province = Client()
    province.force_login(reviewer)
    cadre = Client()
    cadre.force_login(operator)
    deep_page = max(1, county_households // 50 // 2)
    rows = [
        (
            "households list, county, page 1",
            timings(cadre, f"/api/v1/households/?region={county_code}", args.runs),
        ),
        (
            f"households list, county, page {deep_page}",
            timings(cadre, f"/api/v1/households/?region={county_code}&page={deep_page}", args.runs),
        ),
        (
            "households list, province reviewer, region=county, page 1",
            timings(province, f"/api/v1/households/?region={county_code}", args.runs),
        ),
        (
            "indicator-values, province by county",
            timings(
                province, "/api/v1/indicator-values/?region=52&by=county", max(5, args.runs // 4)
            ),
        ),
        (
            "indicator-values, province total",
            timings(province, "/api/v1/indicator-values/?region=52", max(5, args.runs // 4)),
        ),
    ]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"data: {persons:,} persons, {households:,} households; county {county_code} has {county_households:,} households"
    )
    if not args.reuse:
        rate = re.findall(r"([\d,]+) persons/s", seed_output)
        print(
            f"seed: {seed_seconds:.1f} s wall for the command; reported {rate[-1] if rate else '?'} persons/s"
        )
    print("| request | first (ms) | p50 (ms) | p95 (ms) |")
    print("|---|---:|---:|---:|")
    for name, t in rows:
        print(f"| {name} | {t['first']:.0f} | {t['p50']:.0f} | {t['p95']:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    sub = parser.add_subparsers(dest="suite", required=True)
    registry_parser = sub.add_parser("registry", help="seed the province scale and time the API")
    registry_parser.add_argument("--runs", type=int, default=40, help="timed requests per URL")
    registry_parser.add_argument(
        "--reuse", action="store_true", help="skip seeding; reuse the database"
    )
    args = parser.parse_args()
    {"registry": registry}[args.suite](args)


if __name__ == "__main__":
    main()
