"""Browser tests: Debian's Chromium, headless, driven by Playwright against a live server."""

import os
import shutil

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

# Playwright runs an event loop in this thread; Django's ORM calls in the test itself are
# synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def archive(live_server, transactional_db):
    """The seeded archive, served for real."""
    call_command("loaddata", "seed", verbosity=0)
    return live_server.url


def open_page(browser, viewport=DESKTOP, javascript=True):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def page(request, browser):
    page = open_page(browser, javascript=request.param)
    page.javascript = request.param
    yield page
    page.context.close()


@pytest.fixture
def phone_page(browser):
    page = open_page(browser, viewport=PHONE)
    yield page
    page.context.close()
