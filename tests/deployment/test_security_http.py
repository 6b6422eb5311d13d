"""HTTP hardening and editors' accounts: headers and Content-Security-Policy on every
response, host checking, plain error pages, the sign-in lockout, CSRF and password rules."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone
from django.views.defaults import server_error

from archive.models import Status
from config.urls import urlpatterns as site_urlpatterns
from tests.support.factories import DocumentFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "a-long-test-password"


def failing_view(request):
    raise RuntimeError("the archive broke")


# A URL that fails, for the 500 page: only in this test module's URLconf, never in the site's.
urlpatterns = [path("fails/", failing_view), *site_urlpatterns]


def assert_hardened(response):
    """The headers every response carries, whatever answered it."""
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


# Headers


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, status",
    [
        ("/", 200),
        ("/documents/?q=pact", 200),
        ("/documents/no-such-document/", 404),
        (LOGIN, 200),
        ("/admin/", 302),
    ],
)
def test_public_pages_admin_and_error_pages_carry_the_security_headers(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert_hardened(response)


def test_an_editors_admin_pages_carry_the_security_headers(editor_client):
    document = DocumentFactory(status=Status.PUBLISHED)
    for url in (
        "/admin/archive/document/",
        f"/admin/archive/document/{document.pk}/change/",
        "/admin/archive/document/import/",
        "/admin/archive/document/export/",
    ):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert_hardened(response)


@pytest.mark.django_db
def test_a_foreign_host_is_refused_with_a_plain_400(client):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bad request" in page
    assert "evil.example.com" not in page and "ALLOWED_HOSTS" not in page
    assert_hardened(response)


def production_client(script, tmp_path, **extra):
    """Run `script` in production settings (DEBUG off) with Django's test client as `client`
    and print its JSON answer; static files are collected first."""
    cleared = ("DJANGO_", "DATABASE_", "REDIS_", "AWS_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(cleared)}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="a-long-random-production-secret-" + "k7Q" * 15,
        DJANGO_ALLOWED_HOSTS="archive.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'archive.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        **extra,
    )

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    manage("collectstatic", "--noinput", "--verbosity", "0")
    prelude = (
        "import json; from django.test import Client; "
        # Over HTTPS as the proxy in front reports it (else the answer is the HTTPS redirect).
        "client = Client(HTTP_HOST='archive.example.org', HTTP_X_FORWARDED_PROTO='https', "
        "raise_request_exception=False); "
    )
    return json.loads(manage("shell", "-c", prelude + script).strip().splitlines()[-1])


def test_production_refuses_foreign_hosts_and_serves_static_files_with_the_headers(tmp_path):
    answers = production_client(
        "static = client.get('/static/archive/site.css'); "
        "foreign = client.get('/', HTTP_HOST='evil.example.com'); "
        "print(json.dumps({'static': [static.status_code, dict(static.headers)], "
        "'foreign': [foreign.status_code, dict(foreign.headers), foreign.content.decode()]}))",
        tmp_path,
    )
    status, headers, page = answers["foreign"]
    assert status == 400 and "Bad request" in page and "Traceback" not in page
    assert "Content-Security-Policy" in headers
    status, headers = answers["static"]
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


# Error pages


@pytest.mark.django_db
def test_a_server_error_shows_the_plain_page_without_traceback_or_secrets(settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/fails/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    for leak in ("Traceback", "RuntimeError", "the archive broke", settings.SECRET_KEY, "DEBUG"):
        assert leak not in page
    assert_hardened(response)


def test_the_500_page_renders_without_touching_the_database(rf):
    # No database fixture: pytest-django makes any query here an error.
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.django_db
def test_the_404_page_is_the_archives_own(client):
    response = client.get("/documents/no-such-document/")
    page = response.content.decode()
    assert "There is nothing at this address" in page
    assert 'href="/documents/"' in page  # the site's navigation, to carry on from


def test_the_403_page_is_the_archives_own(client, django_user_model):
    staff = UserFactory(is_staff=True)  # staff, but with no permission on accounts
    client.force_login(staff)
    response = client.get("/admin/auth/user/")
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.content.decode()


# Sign-in lockout


def sign_in(client, username, password, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def signed_in(response):
    return response.status_code == 302 and response.url == "/admin/"


@pytest.fixture
def anna(db):
    return UserFactory(username="anna", is_staff=True)


def fail_five_times(client, username, forwarded_for=None):
    """Five wrong passwords; the first four show the form again, the fifth the lockout."""
    responses = []
    for attempt in range(5):
        headers = {}
        if forwarded_for:
            headers["HTTP_X_FORWARDED_FOR"] = forwarded_for(attempt)
        responses.append(sign_in(client, username, "wrong-password", **headers))
    for response in responses[:4]:
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    return responses[4]


def test_five_failed_sign_ins_lock_the_account_even_with_the_right_password(client, anna):
    locked = fail_five_times(client, "anna")
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    response = sign_in(client, "anna", PASSWORD)
    assert response.status_code == 429 and not signed_in(response)
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_the_same_for_a_real_and_an_unknown_username(client, anna):
    real = fail_five_times(client, "anna")
    unknown = fail_five_times(client, "nobody-by-this-name")
    assert real.status_code == unknown.status_code == 429
    assert real.content == unknown.content
    assert b"anna" not in real.content


def test_the_lockout_holds_when_x_forwarded_for_changes_on_every_attempt(client, anna):
    locked = fail_five_times(client, "anna", forwarded_for=lambda n: f"203.0.113.{n + 1}")
    assert locked.status_code == 429
    response = sign_in(client, "anna", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert response.status_code == 429


def test_the_lockout_is_per_username_and_address(client, anna):
    fail_five_times(client, "anna")
    elsewhere = Client(REMOTE_ADDR="192.0.2.44")
    assert signed_in(sign_in(elsewhere, "anna", PASSWORD))


def test_behind_a_trusted_proxy_the_client_is_read_from_x_forwarded_for(client, anna, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The proxy appends the address it was reached from; what the client wrote is ignored.
    locked = fail_five_times(client, "anna", forwarded_for=lambda n: f"10.9.9.{n}, 203.0.113.7")
    assert locked.status_code == 429
    assert sign_in(client, "anna", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert signed_in(sign_in(client, "anna", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9"))


def test_the_lockout_ends_after_the_cool_off(client, anna, settings):
    fail_five_times(client, "anna")
    # The attempts are kept in the database: age them past the cool-off.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    assert signed_in(sign_in(client, "anna", PASSWORD))


def test_axes_reset_unlocks_at_once(client, anna):
    fail_five_times(client, "anna")
    assert AccessAttempt.objects.filter(username="anna").exists()
    call_command("axes_reset", verbosity=0)
    assert signed_in(sign_in(client, "anna", PASSWORD))


# CSRF and passwords


def test_signing_in_without_a_csrf_token_is_refused(anna):
    client = Client(enforce_csrf_checks=True)
    response = sign_in(client, "anna", PASSWORD)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "weak, message",
    [
        ("password", "This password is too common."),
        ("12345678", "This password is entirely numeric."),
        ("arch-7x", "This password is too short."),
    ],
)
def test_a_weak_password_is_refused_when_an_editor_changes_theirs(
    editor_client, editor, weak, message
):
    response = editor_client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)
