"""The public pages, the admin and the CSV pages work under the Content-Security-Policy: a
reader's and an editor's round in a real browser, every refusal of the policy collected and
none allowed."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from archive.models import Document, DocumentImage, Place
from tests.support.factories import UserFactory, image_upload

from .conftest import open_page

PASSWORD = "a-long-test-password"
EXAMPLES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "examples"

# Reports each violation to the test, on every page the browser opens.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.violationCount = (window.violationCount || 0) + 1;
    window.reportViolation(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
        `at ${event.sourceFile}:${event.lineNumber}`
    );
});
"""


@pytest.fixture
def watched_page(archive, browser):
    """A browser page that records every Content-Security-Policy refusal in ``refusals``."""
    page = open_page(browser)
    page.refusals = []
    page.context.expose_function("reportViolation", lambda refusal: page.refusals.append(refusal))
    page.context.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: "Refused to" in message.text and page.refusals.append(message.text),
    )
    yield page
    page.context.close()


@pytest.fixture
def editor_page(archive, watched_page):
    """The watched page, signed in through the admin's form as an editor."""
    # Browser tests empty the database after each test, the Editors group of the migrations
    # with it: make it again as they do, with every permission on the archive's records.
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label="archive"))
    editor = UserFactory(username="clara", is_staff=True)
    editor.groups.add(editors)
    page = watched_page
    page.goto(archive + "/admin/")
    page.get_by_label("Username").fill("clara")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Curate the collection")).to_be_visible()
    return page


def test_a_readers_path_meets_no_policy_refusal(archive, watched_page):
    page = watched_page
    for path in ("/", "/search/?q=pact", "/documents/molotov-ribbentrop-pact/", "/timeline/"):
        page.goto(archive + path)
        expect(page.locator("main h1")).to_be_visible()
    page.goto(archive + "/documents/")
    # facets.js submits the form as soon as a value is ticked.
    with page.expect_navigation():
        page.locator("fieldset.facet input[type=checkbox]").first.check()
    assert "?" in page.url
    assert page.refusals == [], "\n".join(page.refusals)


def test_an_editors_work_in_the_admin_meets_no_policy_refusal(archive, editor_page):
    page = editor_page
    pact = Document.objects.get(slug="molotov-ribbentrop-pact")

    # A change form with a scan's thumbnail: autocomplete a place, save.
    DocumentImage.objects.create(document=pact, image=image_upload(), order=1)
    page.goto(f"{archive}/admin/archive/document/{pact.pk}/change/")
    expect(page.get_by_role("heading", level=2, name=re.compile("Treaty"))).to_be_visible()
    expect(page.locator(".field-preview img")).to_have_count(1)
    page.locator(".field-places .select2-selection").click()
    page.locator(".field-places .select2-search__field").fill("Lipe")
    page.get_by_role("option", name="Lipetsk").click()
    page.locator("input[name=_continue]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Place.objects.get(slug="lipetsk") in pact.places.all()

    # A changelist with actions: ticking a row counts it.
    page.goto(f"{archive}/admin/archive/document/")
    page.locator("input.action-select").first.check()
    expect(page.locator(".action-counter")).to_contain_text("1 of")

    # Import: upload, preview, confirm.
    page.goto(f"{archive}/admin/archive/place/import/")
    page.get_by_label("File to import").set_input_files(EXAMPLES / "places.csv")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".import-summary")).to_contain_text("Confirming will make these changes")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messagelist")).to_contain_text("Import finished")

    # Export: "Select all" clears and ticks every column; the form downloads the file.
    page.goto(f"{archive}/admin/archive/document/export/")
    columns = page.locator(".selectable-field-export-row input[type=checkbox]")
    page.get_by_label("Select all").uncheck()
    assert not any(box.is_checked() for box in columns.all())
    page.get_by_label("Select all").check()
    assert all(box.is_checked() for box in columns.all())
    with page.expect_download() as download:
        page.get_by_role("button", name="Submit").click()
    assert download.value.suggested_filename.endswith(".csv")

    assert page.refusals == [], "\n".join(page.refusals)


def test_a_refused_inline_script_is_reported(archive, watched_page):
    """The watch itself works: an inline script is refused, and seen."""
    page = watched_page
    page.goto(f"{archive}/documents/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.ranInline = true";
            document.body.append(script);
        }"""
    )
    page.wait_for_function("() => window.violationCount > 0")
    assert page.evaluate("window.ranInline") is None
    assert any("script-src" in refusal for refusal in page.refusals)
