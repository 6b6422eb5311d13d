"""What the public sees is decided once for every process: the production stack (gunicorn,
five processes, production settings, SQLite, no Redis) shows a change made in the admin,
by a command-line import or by `loaddata` in every process's next answer, and counts
each client's search budget across all of its processes."""

import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.support.production import manage, serving, stack_environment

WORKERS = 5
PASSWORD = "a-long-editor-password-81"
REQUESTS = 40  # per check: every one of five processes answers several of them
MOST_REQUESTS = 400


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """The seeded production stack, its environment (for commands) and its access log."""
    folder = tmp_path_factory.mktemp("stack")
    env = stack_environment(
        folder,
        ["collectstatic", "--noinput"],
        ["migrate"],
        ["load_seed"],
        WEB_CONCURRENCY=str(WORKERS),
        DJANGO_SECURE_COOKIES="0",
        ARCHIVE_SEARCH_RATE="30/m",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        # The worker's process id in every access-log line: which process answered.
        GUNICORN_CMD_ARGS="--access-logformat '%(p)s %(r)s %(s)s'",
    )
    result = manage("createsuperuser", "--noinput", "--username", "anna", "--email", "", env=env)
    assert result.returncode == 0, result.stderr
    with serving(folder, env) as (base, log_path):
        yield base, env, log_path


def fetch(base, path, opener=None, data=None):
    request = urllib.request.Request(base + path, data=data)
    with (opener or urllib.request.build_opener()).open(request, timeout=20) as response:
        return response.read().decode()


def answers(base, path, log_path):
    """The pages of fresh connections, ``REQUESTS`` of them or more until at least three
    processes have answered (on a busy machine one process may take most connections for a
    while), and the processes that answered them."""
    start = len(log_path.read_text().splitlines())
    pages, pids = [], set()
    while len(pages) < REQUESTS or (len(pids) < 3 and len(pages) < MOST_REQUESTS):
        pages += [fetch(base, path) for _ in range(REQUESTS // 4)]
        time.sleep(0.2)  # the access log is written after the response
        lines = log_path.read_text().splitlines()[start:]
        pids = {line.split()[0] for line in lines if f"GET {path}" in line}
    return pages, pids


def latest_additions(page):
    return page.split("Latest additions", 1)[1] if "Latest additions" in page else page


def test_an_admin_unpublish_shows_in_every_process_at_once(stack):
    base, _, log_path = stack
    pages, pids = answers(base, "/", log_path)
    assert len(pids) >= 3, pids  # several processes, each with the home page cached
    assert all("Treaty of Rapallo" in latest_additions(page) for page in pages)

    jar = http.cookiejar.CookieJar()
    editor = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = fetch(base, "/admin/login/", editor)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
    fields = {"username": "anna", "password": PASSWORD, "csrfmiddlewaretoken": token}
    fetch(base, "/admin/login/?next=/admin/", editor, urllib.parse.urlencode(fields).encode())
    changelist = fetch(base, "/admin/archive/document/?q=Treaty+of+Rapallo", editor)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', changelist).group(1)
    pk = re.search(r'name="_selected_action" value="(\d+)"', changelist).group(1)
    action = {"action": "unpublish", "_selected_action": pk, "csrfmiddlewaretoken": token}
    done = fetch(base, "/admin/archive/document/", editor, urllib.parse.urlencode(action).encode())
    assert "unpublished" in done.lower() or "draft" in done.lower()

    pages, pids = answers(base, "/", log_path)
    assert len(pids) >= 3, pids
    assert not any("Treaty of Rapallo" in latest_additions(page) for page in pages)


def test_a_command_line_import_shows_in_every_process_at_once(stack, tmp_path):
    base, env, log_path = stack
    pages, pids = answers(base, "/documents/", log_path)
    assert len(pids) >= 3, pids
    facet_value = 'name="figure" value="vyacheslav-molotov"'  # Molotov in the Person facet
    assert all(facet_value in page for page in pages)

    drafts = tmp_path / "figures.csv"
    drafts.write_text("slug,status\nvyacheslav-molotov,draft\n", encoding="utf-8")
    result = manage("import_csv", "figures", str(drafts), env=env)
    assert result.returncode == 0, result.stderr

    pages, pids = answers(base, "/documents/", log_path)
    assert len(pids) >= 3, pids
    assert not any(facet_value in page for page in pages)


def test_loaddata_shows_in_every_process_at_once(stack, tmp_path):
    base, env, log_path = stack
    facet_value = 'name="place" value="moscow"'  # Moscow in the Place facet, shown whole
    pages, pids = answers(base, "/documents/?more=place", log_path)
    assert len(pids) >= 3, pids
    assert all(facet_value in page for page in pages)

    dumped = manage("dumpdata", "archive.place", "--natural-primary", env=env)
    records = json.loads(dumped.stdout)
    (moscow,) = [record for record in records if record["fields"]["slug"] == "moscow"]
    moscow["fields"]["status"] = "draft"
    fixture = tmp_path / "moscow.json"
    fixture.write_text(json.dumps([moscow]), encoding="utf-8")
    result = manage("loaddata", str(fixture), env=env)
    assert result.returncode == 0, result.stderr

    pages, pids = answers(base, "/documents/?more=place", log_path)
    assert len(pids) >= 3, pids
    assert not any(facet_value in page for page in pages)


def test_the_search_budget_is_counted_across_every_process(stack):
    base, _, log_path = stack
    statuses = []
    for number in range(45):  # the budget is 30 a minute, whichever process answers
        try:
            fetch(base, f"/search/?q=pact{number}")
            statuses.append(200)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    time.sleep(0.2)
    pids = {line.split()[0] for line in log_path.read_text().splitlines() if "/search/" in line}
    assert len(pids) >= 3, pids
    assert statuses.count(200) == 30, statuses
    assert statuses[30:] == [429] * 15
