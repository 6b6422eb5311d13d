"""Editors working on the same records: a stale form never overwrites another's change,
and every change is in the record's history with the editor's name."""

import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.test import Client

from archive.models import Document, Figure
from tests.support.admin_forms import admin_url, document_form
from tests.support.csvtools import import_csv, write
from tests.support.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.usefixtures("seeded")


def editor_named(name):
    user = UserFactory(username=name, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    return client


def opened_version(client, document):
    """The version the change form carries, read from the page as a browser would send it."""
    page = client.get(admin_url(Document, "change", document.pk)).content.decode()
    return re.search(r'name="seen_version" value="(\d+)"', page).group(1)


def test_the_second_of_two_stale_saves_gets_a_conflict_and_the_first_survives():
    document = DocumentFactory(title="Draft treaty", date="1939")
    alice, bob = editor_named("alice"), editor_named("bob")
    alice_opened = opened_version(alice, document)
    bob_opened = opened_version(bob, document)

    first = alice.post(
        admin_url(Document, "change", document.pk),
        document_form(document, title="Treaty of Non-Aggression", seen_version=alice_opened),
    )
    assert first.status_code == 302
    second = bob.post(
        admin_url(Document, "change", document.pk),
        document_form(document, title="Non-aggression treaty", seen_version=bob_opened),
    )

    assert second.status_code == 200
    page = second.content.decode()
    assert "alice changed this record at" in page
    assert "your changes were not saved" in page
    document.refresh_from_db()
    assert document.title == "Treaty of Non-Aggression"


def test_after_reopening_the_record_the_second_editor_can_save():
    document = DocumentFactory(title="Draft treaty", date="1939")
    alice, bob = editor_named("alice"), editor_named("bob")
    stale = opened_version(bob, document)
    alice.post(
        admin_url(Document, "change", document.pk),
        document_form(document, title="Treaty", seen_version=opened_version(alice, document)),
    )
    document.refresh_from_db()
    fresh = opened_version(bob, document)
    assert fresh != stale

    response = bob.post(
        admin_url(Document, "change", document.pk),
        document_form(document, summary="Signed in Moscow.", seen_version=fresh),
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.summary) == ("Treaty", "Signed in Moscow.")


def test_a_form_opened_before_a_publish_action_is_stale():
    document = DocumentFactory(title="Draft treaty", date="1939", status="draft")
    alice, bob = editor_named("alice"), editor_named("bob")
    bob_opened = opened_version(bob, document)
    alice.post(
        admin_url(Document, "changelist"),
        {"action": "publish", "_selected_action": [document.pk]},
    )

    response = bob.post(
        admin_url(Document, "change", document.pk),
        document_form(document, title="Renamed", status="draft", seen_version=bob_opened),
    )

    assert response.status_code == 200
    assert "alice changed this record" in response.content.decode()
    document.refresh_from_db()
    assert (document.title, document.status) == ("Draft treaty", "published")


def test_a_form_without_the_version_is_not_saved():
    document = DocumentFactory(title="Draft treaty", date="1939")
    data = document_form(document, title="Renamed")
    del data["seen_version"]

    response = editor_named("alice").post(admin_url(Document, "change", document.pk), data)

    assert response.status_code == 200
    document.refresh_from_db()
    assert document.title == "Draft treaty"


def test_every_change_is_in_the_records_history_with_the_editor():
    figure = Figure.objects.get(slug="vyacheslav-molotov")
    document = DocumentFactory(title="Draft treaty", date="1939", status="draft")
    alice = editor_named("alice")
    alice.post(
        admin_url(Document, "change", document.pk),
        document_form(document, title="Treaty", seen_version=opened_version(alice, document)),
    )
    alice.post(
        admin_url(Document, "changelist"),
        {"action": "publish", "_selected_action": [document.pk]},
    )
    alice.post(
        admin_url(Figure, "changelist"),
        {"action": "unpublish", "_selected_action": [figure.pk]},
    )

    history = alice.get(admin_url(Document, "history", document.pk)).content.decode()
    assert history.count("alice") >= 2
    assert "Changed Title." in history
    assert "Published." in history
    entries = LogEntry.objects.filter(object_id=str(figure.pk), action_flag=CHANGE)
    assert [(entry.user.username, entry.change_message) for entry in entries] == [
        ("alice", "Unpublished.")
    ]


def test_a_command_line_import_is_in_the_history_under_the_named_account(tmp_path):
    alice = UserFactory(username="alice", is_staff=True)
    path = write(
        tmp_path, "identifier,title,type,date,status\nQ9,Note verbale,memorandum,1939,draft\n"
    )

    assert import_csv("documents", path, "--user", "alice").ok
    unknown = import_csv("documents", path, "--user", "nobody")

    document = Document.objects.get(identifier="Q9")
    entry = LogEntry.objects.get(object_id=str(document.pk))
    assert entry.user == alice
    assert not unknown.ok
    assert "There is no account named 'nobody'." in unknown.stderr


def test_a_form_opened_before_an_import_changed_the_record_is_stale(tmp_path):
    document = DocumentFactory(title="Draft treaty", date="1939", identifier="Q77")
    alice = editor_named("alice")
    opened = opened_version(alice, document)
    path = write(tmp_path, "identifier,title\nQ77,Treaty as imported\n")
    assert import_csv("documents", path, "--user", "alice").ok

    response = alice.post(
        admin_url(Document, "change", document.pk),
        document_form(document, title="Treaty as typed", seen_version=opened),
    )

    assert response.status_code == 200
    assert "alice changed this record at" in response.content.decode()
    document.refresh_from_db()
    assert document.title == "Treaty as imported"
