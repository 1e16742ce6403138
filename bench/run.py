"""`make bench`: how the directory's and the meetings' pages hold up at scale 1 and scale 10.

It drops and creates its PostgreSQL database, then for each scale loads the generated data
(`generate_data` replaces the previous scale's), serves the portal with gunicorn on 127.0.0.1
with production settings, and measures each page with wrk for a few seconds, beside the login
page as the baseline of the same server in the same run. Then it checks the targets and exits
non-zero when one is missed. The server it starts, it stops, whatever happens.
"""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from contextlib import closing
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path

import psycopg2
from pages import BASELINE, COLD, paths

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench"
)
REDIS_URL = "redis://127.0.0.1:6379/2"
SCALES = (1, 10)
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS, THREADS, WORKERS = 4, 2, 3
# Targets: each page's p50 within this many times the login page's at the largest scale,
# and within this many times its own p50 at the smallest scale.
MAX_RATIO_TO_LOGIN = 4.0
MAX_GROWTH = 1.5
# Pages with targets of their own: p50 within this many times the login page's at this scale,
# and at the largest scale within this many times its own p50 at the smallest.
OWN_TARGETS = {
    "dashboard, warm": (3.0, SCALES[-1], MAX_GROWTH),
    COLD: (8.0, SCALES[0], 4.0),
}
LINE = re.compile(r"BENCH (.*)")


@dataclass
class Figures:
    p50_ms: float
    p95_ms: float
    rps: float


def main() -> int:
    env = _environment()
    _reset_database()
    _manage(env, "migrate", "--no-input", "-v0")
    _manage(env, "collectstatic", "--no-input", "-v0")
    results: dict[int, dict[str, Figures]] = {}
    for scale in SCALES:
        print(f"\n== Scale {scale}", flush=True)
        _manage(env, "generate_data", "--scale", str(scale))
        _analyse()
        results[scale] = _measure(env)
        _print_table(scale, results[scale])
    return 0 if _check_targets(results) else 1


def _environment() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
    }


def _connect(dbname: str) -> "psycopg2.extensions.connection":
    url = urllib.parse.urlsplit(DATABASE_URL)
    connection = psycopg2.connect(
        dbname=dbname,
        user=url.username or "postgres",
        password=url.password or "",
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
    )
    # DROP DATABASE and VACUUM run outside a transaction.
    connection.autocommit = True
    return connection


def _database_name() -> str:
    return urllib.parse.urlsplit(DATABASE_URL).path.lstrip("/")


def _reset_database() -> None:
    """Drop and create the benchmark's database, so that each run starts from nothing."""
    name = _database_name()
    if not re.fullmatch(r"\w+", name):
        raise SystemExit(f"Unexpected database name {name!r} in BENCH_DATABASE_URL.")
    with closing(_connect("postgres")) as connection, connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    print(f"Database {name} created afresh.", flush=True)


def _analyse() -> None:
    """Give the planner statistics after a bulk load, as autovacuum would in a while."""
    with closing(_connect(_database_name())) as connection, connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _measure(env: dict[str, str]) -> dict[str, Figures]:
    login = json.loads(
        subprocess.run(
            [PYTHON, "bench/session.py"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    pages = paths(login)
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "portal.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        _wait_for(port)
        figures = {}
        for page, path in pages.items():
            cookie = "" if page == BASELINE else login["cookie"]
            script = "cold.lua" if page == COLD else "report.lua"
            _check_answer(port, path + ("&to=2023-12-31" if page == COLD else ""), cookie)
            figures[page] = _wrk(port, path, cookie, script)
            print(f"  {page:26} {path}: p50 {figures[page].p50_ms:.1f} ms", flush=True)
        return figures
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            _get(port, "/accounts/login/", "")
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on port {port} within 30 s.")


def _get(port: int, path: str, cookie: str) -> tuple[int, str]:
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        connection.close()


def _check_answer(port: int, path: str, cookie: str) -> None:
    """Fail before measuring a page that does not answer 200 (e.g. a redirect to login)."""
    status, location = _get(port, path, cookie)
    if status != 200:
        raise SystemExit(f"{path} answered {status} {location}, not 200: nothing measured.")


def _wrk(port: int, path: str, cookie: str, script: str) -> Figures:
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{DURATION}",
        "--latency",
        # A slow answer is a figure to report, not a socket error.
        "--timeout",
        "30s",
        "-s",
        str(ROOT / "bench" / script),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    match = LINE.search(output)
    if match is None:
        raise SystemExit(f"wrk printed no BENCH line for {path}:\n{output}")
    values = dict(item.split("=") for item in match.group(1).split())
    if int(values["non200"]) or int(values["errors"]) or not int(values["requests"]):
        raise SystemExit(
            f"{path}: {values['non200']} answers other than 200 and {values['errors']} "
            f"socket errors in {values['requests']} requests."
        )
    return Figures(float(values["p50_ms"]), float(values["p95_ms"]), float(values["rps"]))


def _print_table(scale: int, figures: dict[str, Figures]) -> None:
    login = figures[BASELINE].p50_ms
    print(f"\nScale {scale} (wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION}, {WORKERS} workers)")
    print(f"| {'page':26} | {'p50 ms':>7} | {'p95 ms':>7} | {'req/s':>7} | {'p50 / login':>11} |")
    print(f"|{'-' * 28}|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|{'-' * 12}:|")
    for page, f in figures.items():
        print(
            f"| {page:26} | {f.p50_ms:7.1f} | {f.p95_ms:7.1f} | {f.rps:7.1f} "
            f"| {f.p50_ms / login:10.1f}x |"
        )


def _check_targets(results: dict[int, dict[str, Figures]]) -> bool:
    small, large = results[SCALES[0]], results[SCALES[-1]]
    print("\nTargets")
    passed = True
    for page, f in large.items():
        if page == BASELINE:
            continue
        ratio_limit, at_scale, growth_limit = OWN_TARGETS.get(
            page, (MAX_RATIO_TO_LOGIN, SCALES[-1], MAX_GROWTH)
        )
        measured = results[at_scale]
        checks = [
            (
                f"p50 within {ratio_limit:g}x the login page's at scale {at_scale}",
                measured[page].p50_ms / measured[BASELINE].p50_ms,
                ratio_limit,
            ),
            (
                f"p50 at scale {SCALES[-1]} within {growth_limit:g}x its p50 at scale {SCALES[0]}",
                f.p50_ms / small[page].p50_ms,
                growth_limit,
            ),
        ]
        for target, ratio, limit in checks:
            ok = ratio <= limit
            passed &= ok
            print(f"  {'PASS' if ok else 'FAIL'}  {page}: {target} ({ratio:.2f}x)")
    print("\nAll targets met." if passed else "\nSome targets missed.")
    return passed


if __name__ == "__main__":
    sys.exit(main())
