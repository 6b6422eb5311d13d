"""A form refused by the CSRF check gets the archive's own 403 page: its frame, a message
saying what to do, and nothing the Content-Security-Policy refuses (no inline style)."""

import re

import pytest
from django.test import Client

from archive.models import Status
from tests.support.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def assert_archive_frame_without_inline_style(response):
    page = response.content.decode()
    # The archive's frame: its stylesheet, header and footer, as on every public page.
    assert '<link rel="stylesheet" href="/static/archive/site.css">' in page
    assert 'class="site-header"' in page and 'class="site-footer"' in page
    assert not re.search(r"<style[\s>]", page, re.IGNORECASE)
    assert not re.search(r"\sstyle\s*=", page, re.IGNORECASE)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_signing_in_without_a_csrf_token_shows_the_archives_403_page():
    UserFactory(username="anna")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/?next=/admin/", {"username": "anna", "password": PASSWORD})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert_archive_frame_without_inline_style(response)
    page = response.content.decode()
    assert "The form expired or came from another site" in page
    assert "reload" in page
    assert "_auth_user_id" not in client.session


def test_an_editors_form_with_a_stale_token_gets_the_same_page():
    DocumentFactory(status=Status.PUBLISHED)
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(is_staff=True))
    client.cookies["csrftoken"] = "x" * 32
    response = client.post("/admin/logout/", {"csrfmiddlewaretoken": "y" * 32})
    assert response.status_code == 403
    assert_archive_frame_without_inline_style(response)
    assert "The form expired or came from another site" in response.content.decode()
