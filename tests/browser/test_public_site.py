"""A reader's path through the archive in a real browser, with JavaScript on and off."""

import re

from playwright.sync_api import expect

from .conftest import PHONE


def facet_value(page, legend, label):
    facet = page.locator("fieldset.facet", has=page.locator("legend", has_text=legend))
    return facet.locator("li", has_text=label)


def choose_facet(page, legend, label):
    """Tick a facet value; without JavaScript, press Apply as a reader would."""
    with page.expect_navigation():
        facet_value(page, legend, label).get_by_role("checkbox").check()
        if not page.javascript:
            page.get_by_role("button", name="Apply").click()


def count_of(page, legend, label):
    return int(facet_value(page, legend, label).locator(".count").inner_text())


def test_search_narrow_with_facets_and_read_a_record(archive, page):
    page.goto(archive + "/")
    page.get_by_label("Search documents, events and people").fill("Ribbentrop")
    page.get_by_label("Search documents, events and people").press("Enter")
    expect(page.locator(".result-count")).to_contain_text("for “Ribbentrop”")
    assert "q=Ribbentrop" in page.url
    total = int(page.locator(".result-count").inner_text().split()[0])
    documents = count_of(page, "Kind", "documents")

    choose_facet(page, "Kind", "documents")
    expect(page.locator(".result-count")).to_contain_text(f"{documents} result")
    assert "kind=document" in page.url
    # The chosen kind's siblings keep their counts.
    assert count_of(page, "Kind", "events") >= 1
    expect(page.locator(".chips")).to_contain_text("Kind: documents")

    page.locator(".chips a.chip", has_text="Kind: documents").click()
    expect(page.locator(".result-count")).to_contain_text(f"{total} result")

    page.go_back()
    expect(page.locator(".result-count")).to_contain_text(f"{documents} result")

    page.get_by_role("link", name=re.compile("Treaty of Non-Aggression")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Treaty of Non-Aggression")
    expect(page.locator("#cite")).to_be_visible()
    page.get_by_role("link", name="Vyacheslav Molotov").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vyacheslav Molotov")
    expect(page.locator("body")).to_contain_text("Молотов")
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Treaty of Non-Aggression")


def test_faceted_list_counts_change_and_pages_keep_filters(archive, page):
    page.goto(archive + "/events/")
    all_events = int(page.locator(".result-count").inner_text().split()[0])
    assert all_events > 20  # more than a page
    expect(page.locator(".pagination")).to_contain_text("Page 1 of")
    with page.expect_navigation():
        page.get_by_role("link", name="Next").click()
    assert "page=2" in page.url
    expect(page.locator(".pagination")).to_contain_text("Page 2 of")

    page.goto(archive + "/events/")
    molotov_events = count_of(page, "Person", "Vyacheslav Molotov")
    choose_facet(page, "Person", "Vyacheslav Molotov")
    expect(page.locator(".result-count")).to_have_text(f"{molotov_events} results")
    assert "page=" not in page.url
    expect(page.locator(".chips")).to_contain_text("Person: Vyacheslav Molotov")
    page.get_by_role("link", name="Clear all").click()
    expect(page.locator(".result-count")).to_have_text(f"{all_events} results")


def test_the_archive_fits_a_phone_screen(archive, phone_page):
    for path in ("/", "/documents/", "/documents/molotov-ribbentrop-pact/", "/timeline/"):
        phone_page.goto(archive + path)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
    phone_page.goto(archive + "/figures/?q=Молотов")
    expect(phone_page.locator(".result-count")).to_contain_text("1 result")
    phone_page.get_by_role("link", name="Vyacheslav Molotov").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Vyacheslav Molotov")
