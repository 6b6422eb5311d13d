"""Overload: the production stack answers a flood quickly, with pages or with 503/429.

The stack is what `make serve` runs (gunicorn with config/gunicorn.py, production
settings, the seed collection in SQLite), driven by Debian's wrk at many times the
concurrency two workers can serve. Every request must be answered within wrk's timeout:
a page, a 429 for a client past its search budget, or a 503 from a process that is full
(config/overload.py), both with Retry-After; never a server error, never a dropped
connection.
"""

import json
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from django.test import RequestFactory

from config.overload import ShedLoadMiddleware
from tests.support.production import serving, stack_environment

WRK = shutil.which("wrk")
SCRIPT = Path(__file__).parent / "load" / "statuses.lua"
WORKERS = 2
CONNECTIONS = 400  # fifty times what two workers serve at once (4 requests each)
SECONDS = 8
TIMEOUT_SECONDS = 10


@pytest.fixture
def production_stack(tmp_path):
    """Gunicorn serving the seeded archive with production settings on a free port."""
    env = stack_environment(
        tmp_path,
        ["collectstatic", "--noinput"],
        ["migrate"],
        ["load_seed"],
        WEB_CONCURRENCY=str(WORKERS),
        # A small search budget, so that the flood's searches meet it within seconds.
        ARCHIVE_SEARCH_RATE="10/m",
        # Two requests at once per process, so that the flood surely exceeds what the
        # stack may serve and meets its refusals, however fast this machine runs the seed.
        ARCHIVE_MAX_IN_FLIGHT="2",
    )
    with serving(tmp_path, env) as stack:
        yield stack


def flood(base):
    """wrk's figures for SECONDS of CONNECTIONS clients asking for public pages."""
    if WRK is None:
        pytest.fail("wrk not found: run `make test`, which installs Debian's wrk.")
    result = subprocess.run(
        [
            WRK,
            "--threads",
            "2",
            "--connections",
            str(CONNECTIONS),
            "--duration",
            f"{SECONDS}s",
            "--timeout",
            f"{TIMEOUT_SECONDS}s",
            "--script",
            str(SCRIPT),
            f"{base}/",
        ],
        capture_output=True,
        text=True,
        timeout=SECONDS + TIMEOUT_SECONDS + 30,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_flood_is_answered_with_pages_and_quick_refusals_never_errors(production_stack):
    base, log_path = production_stack
    figures = flood(base)
    statuses = {int(status): count for status, count in figures["statuses"].items()}
    print(
        f"\n{CONNECTIONS} connections, {WORKERS} workers, {SECONDS} s: "
        f"{figures['requests'] / (figures['duration_us'] / 1e6):.0f} requests/s, "
        f"p50 {figures['latency_p50_ms']:.0f} ms, p99 {figures['latency_p99_ms']:.0f} ms, "
        f"max {figures['latency_max_ms']:.0f} ms, statuses {dict(sorted(statuses.items()))}, "
        f"errors {figures['errors']}"
    )
    # Every request answered: no refused connection, no reset, no timeout.
    assert figures["errors"] == {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    assert sum(statuses.values()) == figures["requests"]
    # Never a server error; the only 5xx is the deliberate 503, and refusals say when to
    # come back.
    assert not [status for status in statuses if status >= 500 and status != 503]
    assert figures["without_retry_after"] == 0
    # Pages were served, the full processes shed the surplus, and searches past the
    # budget were refused.
    assert statuses.get(200, 0) > 0
    assert statuses.get(503, 0) > 0
    assert statuses.get(429, 0) > 0
    log = log_path.read_text()
    assert "Traceback" not in log
    assert '" 500 ' not in log


def test_a_process_with_every_slot_taken_answers_503_within_a_moment(settings):
    settings.ARCHIVE_MAX_IN_FLIGHT = 1
    entered, release = threading.Event(), threading.Event()

    def slow_page(request):
        entered.set()
        release.wait(timeout=10)
        return "the page"

    middleware = ShedLoadMiddleware(slow_page)
    request = RequestFactory().get("/documents/")
    holder = threading.Thread(target=middleware, args=(request,))
    holder.start()
    try:
        assert entered.wait(timeout=10)
        refused = middleware(request)
    finally:
        release.set()
        holder.join()
    assert refused.status_code == 503
    assert int(refused["Retry-After"]) >= 1
    assert "The archive is busy" in refused.content.decode()
    assert middleware(request) == "the page"  # the slot is free again
