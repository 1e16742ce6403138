"""Time the benchmark's pages in this process, for work on a page's speed: no server and no
wrk, a few seconds a run, and CPU time beside wall time, which a busy machine disturbs less.

Run it from the project folder with the production settings the benchmark uses (DEBUG off),
on a database filled by `manage.py generate_data`, the static files collected:

    DATABASE_URL=postgres://... DEBUG=false SECRET_KEY=... python bench/in_process.py

It prints each page's median wall and CPU milliseconds and their multiples of the login
page's, or, with `--profile PAGE`, where one page's time goes (cProfile).
"""

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from itertools import count

from django.test import Client
from pages import BASELINE, COLD, paths
from session import found  # sets Django up

# A host the default ALLOWED_HOSTS accept; requests are made as HTTPS, as behind the proxy.
HOST = "localhost"
WARM_UP = 5


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the benchmark's pages in this process.")
    parser.add_argument("--requests", type=int, default=30, help="measured requests a page")
    parser.add_argument("--profile", metavar="PAGE", help="profile the page named so")
    args = parser.parse_args()
    facts = found()
    pages = paths(facts)
    visitor, user = Client(HTTP_HOST=HOST), Client(HTTP_HOST=HOST)
    name, _, key = facts["cookie"].partition("=")
    user.cookies[name] = key

    days = count()

    def get(page: str) -> None:
        path = pages[page]
        if page == COLD:  # a period of its own each time, as bench/cold.lua asks
            path += f"&to={date(2024, 1, 1) + timedelta(days=next(days)):%Y-%m-%d}"
        response = (visitor if page == BASELINE else user).get(path, secure=True)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}, not 200.")

    if args.profile:
        if args.profile not in pages:
            sys.exit(f"No page named {args.profile!r}: {', '.join(map(repr, pages))}.")
        _profile(partial(get, args.profile), args.requests)
        return
    figures = {page: _time(partial(get, page), args.requests) for page in pages}
    wall_login, cpu_login = figures[BASELINE]
    print(f"| {'page':30} | {'wall ms':>7} | {'x login':>7} | {'CPU ms':>7} | {'x login':>7} |")
    print(f"|{'-' * 32}|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|")
    for page, (wall, cpu) in figures.items():
        print(
            f"| {page:30} | {wall:7.2f} | {wall / wall_login:6.2f}x "
            f"| {cpu:7.2f} | {cpu / cpu_login:6.2f}x |"
        )


def _time(request: Callable[[], None], times: int) -> tuple[float, float]:
    """The median wall and CPU milliseconds of a request."""
    for _ in range(WARM_UP):
        request()
    wall, cpu = [], []
    for _ in range(times):
        started, started_cpu = time.perf_counter(), time.process_time()
        request()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _profile(request: Callable[[], None], times: int) -> None:
    for _ in range(WARM_UP):
        request()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(times):
        request()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
