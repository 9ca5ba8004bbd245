"""python -m bench registry [--reuse] [--runs N]
python -m bench excel [--reuse] [--persons N] [--export-persons N]
python -m bench employment [--reuse] [--runs N]
python -m bench monitoring [--reuse [--fresh]]
python -m bench reports [--reuse] [--all]
python -m bench dashboard [--reuse] [--runs N]
python -m bench governance [--reuse]

Seeds the province scale into a fresh PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/resettle_bench), then measures the API in-process:
the household list of the largest county (first and a deep page) and the province's indicator
values by county. Prints the figures as a Markdown table for BENCHMARKS.md.

The excel suite uses the same seeded database: it exports about 200,000 persons (the prefecture
nearest that size) as .xlsx and as CSV, then imports a generated workbook of 50,000 new persons
(dry run, commit, and the same file again). Each step runs in its own process, so that its peak
resident memory (ru_maxrss) is its own.
"""

import argparse
import json
import os
import platform
import re
import resource
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
    started = time.perf_counter()
    url, _env, seed_output = seeded(args)
    seed_seconds = time.perf_counter() - started
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
            f"seed: {seed_seconds:.1f} s wall for migrate, regions and seed; the seed reported {rate[-1] if rate else '?'} persons/s"
        )
    print("| request | first (ms) | p50 (ms) | p95 (ms) |")
    print("|---|---:|---:|---:|")
    for name, t in rows:
        print(f"| {name} | {t['first']:.0f} | {t['p50']:.0f} | {t['p95']:.0f} |")


def seeded(args) -> tuple[str, dict, str]:
    """The benchmark database, seeded at province scale unless `--reuse`; its URL, the
    environment for manage.py and what the seed printed."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    env.pop("REDIS_URL", None)
    output = ""
    if args.reuse:  # the code may have new tables since the seed
        run(["migrate", "--no-input", "-v", "0"], env)
    else:
        recreate_database(url)
        run(["migrate", "--no-input", "-v", "0"], env)
        run(["loaddata", "fixtures/regions.json", "-v", "0"], env)
        output = run(["seed_demo", "--scale", "province", "--seed", "1"], env)
        print(output)
    return url, env, output


def step(env: dict, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "excel-step", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"excel-step {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def excel(args) -> None:
    url, env, _output = seeded(args)
    os.environ.update(DATABASE_URL=url, DEBUG="1", DJANGO_SETTINGS_MODULE="resettle.settings")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count

    from households.models import Person, Site

    with connection.cursor() as cursor:  # what an earlier run imported
        for table in ("households_historicalperson", "households_person"):
            cursor.execute(
                f"DELETE FROM {table} p USING households_household h"
                " WHERE p.household_id = h.id AND h.household_no LIKE 'BENCH-%%'"
            )
        cursor.execute(
            "DELETE FROM households_historicalhousehold WHERE household_no LIKE 'BENCH-%%'"
        )
        cursor.execute("DELETE FROM households_household WHERE household_no LIKE 'BENCH-%%'")
        cursor.execute("DELETE FROM resettle_exceljob")
        cursor.execute("VACUUM ANALYZE households_person")
    by_prefecture = {}
    for row in Person.objects.values("site__county_id").annotate(n=Count("id")):
        code = row["site__county_id"][:4]
        by_prefecture[code] = by_prefecture.get(code, 0) + row["n"]
    region = min(by_prefecture, key=lambda c: abs(by_prefecture[c] - args.export_persons))
    site_codes = list(
        Site.objects.filter(region_code__startswith=region).values_list("code", flat=True)[:20]
    )
    workbook = Path("/tmp") / f"bench-import-{args.persons}.xlsx"
    figures = [step(env, "make-workbook", str(workbook), str(args.persons), ",".join(site_codes))]
    for fmt in ("xlsx", "csv"):
        figures.append(step(env, "export", region, fmt))
    for stage in ("dry-run", "commit", "again"):
        figures.append(step(env, "import", str(workbook), region, stage))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print("| step | rows | seconds | rows/s | peak memory (MB) | result |")
    print("|---|---:|---:|---:|---:|---|")
    for f in figures:
        rate = f["rows"] / f["seconds"] if f["seconds"] else 0
        print(
            f"| {f['step']} | {f['rows']:,} | {f['seconds']:.1f} | {rate:,.0f} | "
            f"{f['peak_mb']:.0f} | {f.get('result', '')} |"
        )
    print()
    print("| import step | " + " | ".join(IMPORT_PHASES) + " | rest | total (s) |")
    print("|---|" + "---:|" * (len(IMPORT_PHASES) + 2))
    for f in figures:
        if "phases" in f:
            rest = f["seconds"] - sum(f["phases"].values())
            cells = " | ".join(f"{f['phases'][p]:.1f}" for p in IMPORT_PHASES)
            print(f"| {f['step']} | {cells} | {rest:.1f} | {f['seconds']:.1f} |")


def excel_step(args) -> None:
    """One measured step in a fresh process; prints its figures as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resettle.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User

    from households.excel import LEDGER
    from households.services import membership_grant, user_grant_reveal

    started = time.perf_counter()
    kind = args.what[0]
    if kind == "make-workbook":
        path, persons, sites = args.what[1], int(args.what[2]), args.what[3].split(",")
        rows = make_import_workbook(path, persons, sites)
        figures = {"step": f"generate the {persons:,}-person workbook", "rows": rows}
    elif kind == "export":
        from resettle.jobs import export_file

        region, fmt = args.what[1], args.what[2]
        user, _ = User.objects.get_or_create(username="bench-exporter")
        membership_grant(user=user, role="prefecture_reviewer", scope_code=region)
        user_grant_reveal(user=user)
        query = LEDGER.export_query(user, {})
        rows = query.count()
        started = time.perf_counter()
        with export_file(LEDGER, query, fmt=fmt, reveal=False) as file:
            size = len(file.read())
        figures = {
            "step": f"export {fmt}, prefecture {region}",
            "rows": rows,
            "result": f"{size / 2**20:.1f} MB file",
        }
    else:
        from resettle.jobs import import_start

        path, region, stage = args.what[1], args.what[2], args.what[3]
        user, _ = User.objects.get_or_create(username="bench-importer")
        membership_grant(user=user, role="county_operator", scope_code=region)
        data = Path(path).read_bytes()
        phases = _time_import_phases(LEDGER)
        job = import_start(
            user=user,
            ledger=LEDGER.name,
            file_name=Path(path).name,
            data=data,
            commit=stage != "dry-run",
            wait=True,
        )
        result = job.result
        if result.get("errors"):
            sys.exit(f"import reported errors: {result['errors'][:5]}")
        figures = {
            "step": {
                "dry-run": "import, dry run",
                "commit": "import, commit",
                "again": "import the same file again",
            }[stage],
            "rows": result["rows"],
            "result": f"created {result['created']:,}, updated {result['updated']:,}, unchanged {result['unchanged']:,}",
            "phases": phases,
        }
    figures["seconds"] = time.perf_counter() - started
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


# The phases of an import (resettle.excel.run_import), timed in the step's process.
IMPORT_PHASES = {"read": "read_sheet", "parse": "parse_rows", "check": "plan", "write": "commit"}


def _time_import_phases(ledger) -> dict[str, float]:
    """Wrap the phases of `run_import` for `ledger` (reading the workbook, parsing its cells,
    the check against the registry, writing) with timers; returns the dict their wall-clock
    seconds accumulate in, by phase. The job record, the transaction's end (its deferred
    foreign-key checks) and the result are the step's rest."""
    import resettle.excel

    seconds = dict.fromkeys(IMPORT_PHASES, 0.0)

    def timed(phase, function):
        def run(*args, **kwargs):
            begun = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[phase] += time.perf_counter() - begun

        return run

    for phase, name in IMPORT_PHASES.items():
        owner = resettle.excel if name in {"read_sheet", "parse_rows"} else ledger
        setattr(owner, name, timed(phase, getattr(owner, name)))
    return seconds


def make_import_workbook(path: str, persons: int, sites: list[str]) -> int:
    """A workbook of new households (1–6 members) in the template's columns, with ID numbers of
    a county code the seed does not use, so that every row is new."""
    import datetime as dt
    import random
    import shutil

    from households.excel import LEDGER
    from resettle.idcard import check_char
    from resettle.xlsx import PLAIN, SheetWriter

    rng = random.Random(7)
    keys = [c.key for c in LEDGER.columns]
    sheet = SheetWriter(LEDGER.title, [12] * len(keys), [PLAIN] * len(keys))
    sheet.write_row([c.header for c in LEDGER.columns])
    row = household = 0
    relations = ["户主", "配偶", "子女", "子女", "父母", "孙子女"]
    while row < persons:
        household += 1
        size = min(rng.randint(1, 6), persons - row)
        common = {
            "household_no": f"BENCH-{household:06d}",
            "site_code": rng.choice(sites),
            "dwelling": f"{rng.randint(1, 30)}栋{rng.randint(1, 4)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}",
            "category": rng.choice(["建档立卡搬迁户", "同步搬迁户"]),
            "origin_region_code": "522725203",
            "origin_address": "某乡某村",
            "relocation_year": 2019,
            "move_in_date": "2019-06-01",
            "old_house_demolished": "是",
            "homestead_reclaimed": "否",
            "property_certificate_status": "办理中",
            "hukou_transferred": "是",
            "phone": f"139{household:08d}",
        }
        for member in range(size):
            row += 1
            # a distinct (birth date, sequence) per row: unique ID numbers
            birth = dt.date(1950, 1, 1) + dt.timedelta(days=(row // 1000) * 173 % 20000)
            first17 = f"529999{birth:%Y%m%d}{row % 1000:03d}"
            values = {
                **common,
                "name": f"居民{row}",
                "id_number": first17 + check_char(first17),
                "relation": relations[member],
                "ethnicity": "苗族",
                "education": "初中",
                "schooling": "非在校生",
                "health": "健康",
                "disability_grade": "无",
                "medical_insurance": "是",
                "pension_insurance": "是",
                "dibao": "否",
                "tekun": "否",
                "status": "在册",
            }
            sheet.write_row([str(values.get(key, "")) for key in keys])
    with sheet.close() as made, open(path, "wb") as out:
        shutil.copyfileobj(made, out)
    return row


EMPLOYMENT_CODES = [
    "labor_force",
    "employed",
    "employment_rate",
    "labor_households",
    "employed_households",
    "zero_employment_households",
    "one_per_household_rate",
    "employed_visited",
    "followup_coverage",
    "five_clears_complete",
    "five_clears_rate",
    "avg_monthly_wage",
    "trained_ytd",
    "employed_by_channel",
    "employed_by_place",
    "employed_by_job_type",
]


def employment(args) -> None:
    """The employment indicators for the province by county and by site, and the
    zero-employment worklist of the largest county."""
    url, _env, _output = seeded(args)
    os.environ.update(DATABASE_URL=url, DEBUG="1", DJANGO_SETTINGS_MODULE="resettle.settings")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    import datetime as dt

    from django.contrib.auth.models import User
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from employment.models import Employment, LaborProfile
    from households.models import Household, Person, Site
    from households.services import membership_grant
    from resettle.indicators import Grouping, catalogue
    from resettle.scoping import Scope

    as_of = dt.date.today()
    print(
        f"data: {Person.objects.count():,} persons, {LaborProfile.objects.count():,} labor "
        f"profiles, {Employment.objects.count():,} jobs"
    )
    print("| computation | rows | seconds | queries |")
    print("|---|---:|---:|---:|")
    for by in ("county", "site"):
        grouping = Grouping(region_code="52", as_of=as_of, scope=Scope.system(), by=by)
        for run_ in range(2):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                values = catalogue.values(grouping, EMPLOYMENT_CODES)
                seconds = time.perf_counter() - started
            label = (
                f"all employment indicators, province by {by} ({'first' if run_ == 0 else 'again'})"
            )
            print(f"| {label} | {len(values)} | {seconds:.2f} | {len(queries)} |")
    county = (
        Household.objects.values("site__county_id").annotate(n=Count("id")).order_by("-n").first()
    )["site__county_id"]
    site = Household.objects.filter(site__county_id=county).values("site_id").first()["site_id"]
    site_code = Site.objects.get(pk=site).code
    for label, region, by in (
        (f"county {county} by site", county, "site"),
        (f"site {site_code} in total", site_code[:6], "total"),
    ):
        # A site cadre's scope: the one site.
        scope = Scope(sites=frozenset({(site, site_code)})) if by == "total" else Scope.system()
        grouping = Grouping(region_code=region, as_of=as_of, scope=scope, by=by)
        for run_ in range(2):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                values = catalogue.values(grouping, EMPLOYMENT_CODES)
                seconds = time.perf_counter() - started
            print(
                f"| all employment indicators, {label} ({'first' if run_ == 0 else 'again'}) "
                f"| {len(values)} | {seconds:.2f} | {len(queries)} |"
            )
    operator, _ = User.objects.get_or_create(username="bench-county")
    membership_grant(user=operator, role="county_operator", scope_code=county)
    cadre = Client()
    cadre.force_login(operator)
    for label, path in (
        ("API", f"/api/v1/households/?zero_employment=true&region={county}"),
        ("page", f"/labor/worklists/zero-employment/?region={county}"),
    ):
        t = timings(cadre, path, args.runs)
        print(
            f"zero-employment worklist, county {county}, {label}: first {t['first']:.0f} ms, "
            f"p50 {t['p50']:.0f} ms, p95 {t['p95']:.0f} ms"
        )


def monitoring(args) -> None:
    """One full run of the early-warning rules over the province, then a second run, which must
    raise nothing new; seconds and queries of each, and the alerts by rule."""
    url, _env, _output = seeded(args)
    os.environ.update(DATABASE_URL=url, DEBUG="1", DJANGO_SETTINGS_MODULE="resettle.settings")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from households.models import Household
    from monitoring.models import Alert, IncomeCheck
    from monitoring.rules import run_rules

    if args.fresh:
        Alert.objects.all().delete()
    print(
        f"data: {Household.objects.count():,} households, {IncomeCheck.objects.count():,} income "
        f"checks, {Alert.objects.count():,} alerts before the run"
    )
    print("| run | seconds | queries | new alerts |")
    print("|---|---:|---:|---:|")
    for label in ("first", "second"):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            created = run_rules()
            seconds = time.perf_counter() - started
        print(f"| {label} | {seconds:.1f} | {len(queries)} | {sum(created.values()):,} |")
        if label == "first":
            print("by rule: " + ", ".join(f"{k} {v:,}" for k, v in created.items()))


def reports(args) -> None:
    """The monthly reports: one prefecture's report and all its counties', then (with --all)
    every county and prefecture of the province; seconds, queries, peak memory; then the
    prefecture's workbook."""
    url, _env, _output = seeded(args)
    os.environ.update(DATABASE_URL=url, DEBUG="1", DJANGO_SETTINGS_MODULE="resettle.settings")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from governance.generation import report_generate
    from governance.models import DispatchReport
    from governance.selectors import regions_to_report
    from governance.tasks import dispatch_reports_task
    from governance.workbook import build
    from households.models import Household, Region
    from resettle.periods import last_ended

    period = last_ended()
    DispatchReport.objects.filter(period=period).delete()
    prefecture_code = (
        Household.objects.values("site__county_id").annotate(n=Count("id")).order_by("-n").first()
    )["site__county_id"][:4]
    regions = [r for r in regions_to_report() if r.code.startswith(prefecture_code)]
    if args.all:
        regions = regions_to_report()
    print(
        f"period {period}: {len(regions)} reports ({'province' if args.all else prefecture_code})"
    )
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        if args.all:  # the monthly task itself: prefectures first, counties reusing them
            result = dispatch_reports_task(period=period)
            assert len(result["made"]) == len(regions), result
        else:
            for region in regions:
                report_generate(actor=None, period=period, region=region)
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| reports | seconds | queries | peak memory (MB) |")
    print("|---:|---:|---:|---:|")
    print(f"| {len(regions)} | {seconds:.1f} | {len(queries)} | {peak:.0f} |")
    report = DispatchReport.objects.get(period=period, region_id=prefecture_code)
    started = time.perf_counter()
    data = build(report)
    print(
        f"workbook of {Region.objects.get(code=prefecture_code).name}: {time.perf_counter() - started:.2f} s, {len(data):,} bytes"
    )


def governance(args) -> None:
    """Site governance's indicators for the province by county and by site, and the shortfall
    worklist of the province and of its largest county: seconds and queries, each computed twice.
    A database seeded before site governance had its demo gets the demo's records first."""
    url, _env, _output = seeded(args)
    os.environ.update(DATABASE_URL=url, DEBUG="1", DJANGO_SETTINGS_MODULE="resettle.settings")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    import datetime as dt

    from django.contrib.auth.models import User
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from governance.sitegov.demo import seed_site_governance
    from governance.sitegov.models import FarmingWish, SiteFacility, SiteLeader, TeamMember
    from governance.sitegov.selectors import site_shortfall_list
    from households.models import Household, Site
    from households.services import membership_grant
    from resettle.demo import AS_OF, Context
    from resettle.indicators import Grouping, catalogue
    from resettle.scoping import Scope

    if not SiteFacility.objects.exists():
        started = time.perf_counter()
        with transaction.atomic():
            seed_site_governance(Context("province", 1, min(AS_OF, dt.date.today())))
        print(f"seeded the site governance demo in {time.perf_counter() - started:.1f} s")
    print(
        f"data: {Site.objects.count():,} sites, {SiteFacility.objects.count():,} facility "
        f"records, {TeamMember.objects.count():,} team members, {SiteLeader.objects.count():,} "
        f"leaders, {FarmingWish.objects.count():,} households willing to farm"
    )
    codes = [i.code for i in catalogue.all() if i.app == "governance"]
    as_of = dt.date.today()
    county = (
        Household.objects.values("site__county_id").annotate(n=Count("id")).order_by("-n").first()
    )["site__county_id"]

    def timed(label: str, compute) -> None:
        for run_ in ("first", "again"):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                rows = compute()
                seconds = time.perf_counter() - started
            print(f"| {label} ({run_}) | {len(rows)} | {seconds:.2f} | {len(queries)} |")

    print("| computation | rows | seconds | queries |")
    print("|---|---:|---:|---:|")
    for by in ("total", "county", "site"):
        grouping = Grouping(region_code="52", as_of=as_of, scope=Scope.system(), by=by)
        timed(
            f"governance indicators, province by {by}",
            lambda g=grouping: catalogue.values(g, codes),
        )
    grouping = Grouping(region_code=county, as_of=as_of, scope=Scope.system(), by="site")
    timed(
        f"governance indicators, county {county} by site", lambda: catalogue.values(grouping, codes)
    )
    reviewer, _ = User.objects.get_or_create(username="bench-reviewer")
    membership_grant(user=reviewer, role="prefecture_reviewer", scope_code="52")
    timed(
        "shortfall worklist, province (reviewer)",
        lambda: site_shortfall_list(user=reviewer, as_of=as_of),
    )
    timed(
        f"shortfall worklist, county {county} (reviewer)",
        lambda: site_shortfall_list(user=reviewer, as_of=as_of, region=county),
    )


def dashboard(args) -> None:
    """The dashboards' JSON for the province, its largest county and that county's largest
    site: live and as of last month's report. Each URL is asked first in a new process (cold:
    no connection, no Python-level cache), then `--runs` times (warm). Also times the task that
    refreshes the live figures, which the cold figures assume has run."""
    url, _env, _output = seeded(args)
    os.environ.update(DATABASE_URL=url, DEBUG="1", DJANGO_SETTINGS_MODULE="resettle.settings")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.db.models import Count

    from governance.models import DispatchReport, LiveFigures
    from governance.tasks import dispatch_reports_task, refresh_live_figures_task
    from households.models import Household
    from resettle.periods import last_ended, month_before

    periods = [last_ended()]
    for _ in range(5):
        periods.append(month_before(periods[-1]))
    for period in reversed(periods):  # the trend reads six months of reports
        if not DispatchReport.objects.filter(period=period, region__level="province").exists():
            print(f"making the reports of {period} …", flush=True)
            dispatch_reports_task(period=period)
    LiveFigures.objects.all().delete()
    started = time.perf_counter()
    stored = refresh_live_figures_task()
    print(
        f"refresh of the live figures (every province): {time.perf_counter() - started:.1f} s, {stored}"
    )
    site = (
        Household.objects.values("site_id", "site__county_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    county = (
        Household.objects.values("site__county_id").annotate(n=Count("id")).order_by("-n").first()
    )["site__county_id"]
    site_id = (
        Household.objects.filter(site__county_id=county)
        .values("site_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )["site_id"]
    del site
    targets = [
        ("province", f"/api/v1/dashboard/regions/{county[:2]}/"),
        ("county", f"/api/v1/dashboard/regions/{county}/"),
        ("site", f"/api/v1/dashboard/sites/{site_id}/"),
    ]
    print(f"period {periods[0]}; county {county}, site {site_id}")
    print("| dashboard | figures | cold (ms) | warm p50 (ms) | warm p95 (ms) | bytes |")
    print("|---|---|---:|---:|---:|---:|")
    for name, path in targets:
        for label, query in (("live", ""), (periods[0], f"?period={periods[0]}")):
            result = subprocess.run(
                [sys.executable, "-m", "bench", "dashboard-step", path + query, str(args.runs)],
                cwd=ROOT,
                env={**os.environ},
                capture_output=True,
                text=True,
            )
            if result.returncode:
                sys.exit(f"dashboard-step failed:\n{result.stdout}\n{result.stderr}")
            t = json.loads(result.stdout.strip().splitlines()[-1])
            print(
                f"| {name} | {label} | {t['first']:.0f} | {t['p50']:.0f} | {t['p95']:.0f} "
                f"| {t['bytes']:,} |"
            )


def dashboard_step(args) -> None:
    path, runs = args.what[0], int(args.what[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resettle.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    User = get_user_model()
    user, _created = User.objects.get_or_create(
        username="bench-superuser", defaults={"is_superuser": True, "is_staff": True}
    )
    client = APIClient()
    client.force_authenticate(user)
    figures = timings(client, path, runs)
    figures["bytes"] = len(client.get(path).content)
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    sub = parser.add_subparsers(dest="suite", required=True)
    registry_parser = sub.add_parser("registry", help="seed the province scale and time the API")
    registry_parser.add_argument("--runs", type=int, default=40, help="timed requests per URL")
    registry_parser.add_argument(
        "--reuse", action="store_true", help="skip seeding; reuse the database"
    )
    excel_parser = sub.add_parser("excel", help="time Excel import and export on the seeded data")
    excel_parser.add_argument("--reuse", action="store_true", help="skip seeding")
    excel_parser.add_argument("--persons", type=int, default=50_000, help="persons to import")
    excel_parser.add_argument(
        "--export-persons", type=int, default=200_000, help="about how many persons to export"
    )
    employment_parser = sub.add_parser("employment", help="time the employment indicators")
    employment_parser.add_argument("--reuse", action="store_true", help="skip seeding")
    employment_parser.add_argument("--runs", type=int, default=40, help="timed requests per URL")
    monitoring_parser = sub.add_parser("monitoring", help="time a run of the early-warning rules")
    monitoring_parser.add_argument("--reuse", action="store_true", help="skip seeding")
    monitoring_parser.add_argument(
        "--fresh", action="store_true", help="delete the alerts first (with --reuse)"
    )
    reports_parser = sub.add_parser("reports", help="time the monthly dispatch reports")
    reports_parser.add_argument("--reuse", action="store_true", help="skip seeding")
    reports_parser.add_argument("--all", action="store_true", help="the whole province")
    reports_parser.add_argument("--verbose", action="store_true", help="time each report")
    governance_parser = sub.add_parser("governance", help="time site governance's figures")
    governance_parser.add_argument("--reuse", action="store_true", help="skip seeding")
    dashboard_parser = sub.add_parser("dashboard", help="time the dashboards' JSON")
    dashboard_parser.add_argument("--reuse", action="store_true", help="skip seeding")
    dashboard_parser.add_argument("--runs", type=int, default=40, help="timed requests per URL")
    step_parser = sub.add_parser("excel-step", help=argparse.SUPPRESS)
    step_parser.add_argument("what", nargs="+")
    dashboard_step_parser = sub.add_parser("dashboard-step", help=argparse.SUPPRESS)
    dashboard_step_parser.add_argument("what", nargs="+")
    args = parser.parse_args()
    suites = {
        "registry": registry,
        "excel": excel,
        "employment": employment,
        "monitoring": monitoring,
        "reports": reports,
        "dashboard": dashboard,
        "governance": governance,
    }
    {**suites, "excel-step": excel_step, "dashboard-step": dashboard_step}[args.suite](args)


if __name__ == "__main__":
    main()
