"""The API against its own schema: schemathesis on a live server (gunicorn, DEBUG off) over a
throwaway database seeded with the small demo, signed in as a county operator and as a site
operator. It fails on any server error, any answer whose status, content type or body the
schema does not document, and any traceback in the server's log.

    .venv/bin/python .ci/api_fuzz.py [--max-examples N] [--seed N] [--coverage]

CI runs schemathesis's examples, fuzzing (positive and negative data) and stateful phases, a
fixed number of examples per operation; `--coverage` adds its coverage phase (every boundary
and every wrong type of every field: some 12,000 requests more, a quarter of an hour).

The database is SQLite in a temporary directory, or the PostgreSQL database named by
API_FUZZ_DATABASE_URL, whose name must end in `_fuzz`: it is dropped and made again, and dropped
at the end. API_FUZZ_REDIS_URL (optional) gives the server a Redis for its cache and broker;
without it Celery runs tasks in the request. Reports go to test-artifacts/api-fuzz/.

Every operation is fuzzed but the sign-in and token routes (/api/v1/auth/): the run's own token
would be revoked by them; the accounts tests cover them.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REPORTS = ROOT / "test-artifacts" / "api-fuzz"
# The demo logins (households.demo): a county operator of 莎车县 and a site operator of its
# first site, with their share of the examples.
USERS = (("county", 1.0), ("site", 0.5))
PASSWORD = "Demo#2026resettle"
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)
PHASES = "examples,fuzzing,stateful"
# Answers in the server's log that no client saw as a 500 (a task run in the request, say).
SERVER_ERRORS = ("Traceback (most recent call last)", "Internal Server Error")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=20, help="per operation (default 20)")
    parser.add_argument("--seed", type=int, default=16, help="schemathesis's seed (default 16)")
    parser.add_argument("--coverage", action="store_true", help="add the coverage phase")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="api-fuzz-"))
    database_url = os.environ.get("API_FUZZ_DATABASE_URL") or f"sqlite:///{work}/api-fuzz.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    if os.environ.get("API_FUZZ_REDIS_URL"):
        env["REDIS_URL"] = os.environ["API_FUZZ_REDIS_URL"]
        flush_redis(env["REDIS_URL"])
    server = None
    try:
        make_database(database_url)
        started = time.monotonic()
        manage(env, "migrate", "--no-input", "-v", "0")
        # As in production (docker-compose.yml): with DEBUG off, a page (a 404's) names hashed
        # static files.
        manage(env, "collectstatic", "--no-input", "-v", "0")
        manage(env, "loaddata", "fixtures/regions.json", "-v", "0")
        manage(env, "seed_demo", "--scale", "small", "--seed", "1")
        print(f"== database ready in {time.monotonic() - started:.0f} s ({safe(database_url)})")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = work / "server.log"
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "resettle.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(f"{base}/api/schema/", server)

        failed = []
        for username, share in USERS:
            token = sign_in(base, username)
            examples = max(1, round(args.max_examples * share))
            print(f"== schemathesis as {username}: {examples} examples per operation")
            code = subprocess.call(
                [
                    str(BIN / "schemathesis"),
                    "run",
                    f"{base}/api/schema/",
                    "--header",
                    f"Authorization: Token {token}",
                    "--checks",
                    CHECKS,
                    "--phases",
                    PHASES + (",coverage" if args.coverage else ""),
                    "--max-examples",
                    str(examples),
                    "--seed",
                    str(args.seed),
                    # One worker: several threads trip Python 3.11.7's parser (hypothesis
                    # describing a strategy: "AST constructor recursion depth mismatch").
                    "--workers",
                    "1",
                    "--exclude-path-regex",
                    "^/api/v1/auth/",
                    "--generation-database",
                    "none",
                    "--request-timeout",
                    "120",
                    "--no-color",
                    "--report",
                    "junit",
                    "--report-dir",
                    str(REPORTS / username),
                ],
                cwd=work,  # schemathesis keeps its cache (.schemathesis/) there
            )
            if code:
                failed.append(f"schemathesis as {username} found failures (exit {code})")
            if not token_works(base, token):
                failed.append(f"{username}'s token stopped working during the run")

        logged = log.read_text(errors="replace")
        if any(marker in logged for marker in SERVER_ERRORS):
            failed.append(f"the server logged errors (copied to {REPORTS / 'server.log'})")
        REPORTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(log, REPORTS / "server.log")
        for problem in failed:
            print(f"FAILED: {problem}", file=sys.stderr)
        if failed and any(marker in logged for marker in SERVER_ERRORS):
            print(tracebacks(logged), file=sys.stderr)
        return 1 if failed else 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        drop_database(database_url)
        shutil.rmtree(work, ignore_errors=True)


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def postgres(database_url: str) -> tuple[str, str] | None:
    """(the server's maintenance database URL, the database's name) of a PostgreSQL URL whose
    database is a throwaway one (named …_fuzz); None for SQLite. Exits on any other."""
    parts = urlsplit(database_url)
    if parts.scheme.startswith("sqlite"):
        return None
    name = parts.path.lstrip("/")
    if not parts.scheme.startswith("postgres") or not name.endswith("_fuzz"):
        sys.exit(
            f"API_FUZZ_DATABASE_URL must name a PostgreSQL database ending in _fuzz "
            f"(it is dropped and made again): {safe(database_url)}"
        )
    return urlunsplit(parts._replace(path="/postgres")), name


def make_database(database_url: str) -> None:
    target = postgres(database_url)
    if target is None:
        return
    drop_database(database_url)

    server, name = target
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(database_url: str) -> None:
    target = postgres(database_url)
    if target is None:
        return

    server, name = target
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flush_redis(url: str) -> None:
    """Empty the run's Redis database: no task or cached figure of an earlier run."""
    redis.Redis.from_url(url).flushdb()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("the server stopped before answering (see its log above)")
        try:
            # The schema takes seconds to build: the first answer may be slow.
            with urllib.request.urlopen(url, timeout=seconds):
                return
        except OSError:  # not listening yet (URLError), or reset while starting
            time.sleep(0.5)
    sys.exit(f"the server did not answer {url} within {seconds} s")


def sign_in(base: str, username: str) -> str:
    """An API token of `username`, from the API's own sign-in route."""
    request = urllib.request.Request(
        f"{base}/api/v1/auth/token/",
        data=json.dumps({"username": username, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)["token"]


def token_works(base: str, token: str) -> bool:
    request = urllib.request.Request(
        f"{base}/api/v1/regions/", headers={"Authorization": f"Token {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status == 200
    except urllib.error.HTTPError:
        return False


def tracebacks(log: str) -> str:
    """The server log's error reports, each from its first line to its exception."""
    lines = log.splitlines()
    keep = [i for i, line in enumerate(lines) if line.startswith("Internal Server Error")]
    return "\n".join("\n".join(lines[i : i + 80]) for i in keep[:10]) or log[-5000:]


def safe(database_url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(database_url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)


if __name__ == "__main__":
    sys.exit(main())
