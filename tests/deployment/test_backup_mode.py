"""A backup holds password hashes, sessions and sign-in records: only its owner may read
it. Every file is written 0600 and every folder 0700, also when the folder existed."""

import json
import stat

import pytest
from django.core.management import call_command
from django.db import connection

from archive.models import DocumentImage
from tests.support.factories import DocumentFactory, UserFactory, image_upload

pytestmark = pytest.mark.django_db(transaction=True)


def modes(folder):
    """Every path in ``folder`` (itself included), with its permission bits."""
    return {
        str(path.relative_to(folder.parent)): stat.S_IMODE(path.stat().st_mode)
        for path in [folder, *folder.rglob("*")]
    }


def assert_owner_only(folder):
    found = modes(folder)
    folders = {path: mode for path, mode in found.items() if (folder.parent / path).is_dir()}
    files = {path: mode for path, mode in found.items() if path not in folders}
    assert folders and files
    assert folders == dict.fromkeys(folders, 0o700)
    assert files == dict.fromkeys(files, 0o600)


def back_up_an_archive(tmp_path, folder):
    UserFactory(username="anna")
    DocumentImage.objects.create(document=DocumentFactory(), image=image_upload("page.png"))
    call_command("backup", str(folder), verbosity=0)


def test_a_backup_is_readable_by_its_owner_only(tmp_path):
    folder = tmp_path / "backups" / "2026-11-24"
    back_up_an_archive(tmp_path, folder)

    print({path: oct(mode) for path, mode in modes(folder).items()})
    assert_owner_only(folder)
    # What makes it sensitive: the accounts, their password hashes with them.
    users = [
        row for row in json.loads((folder / "data.json").read_text()) if row["model"] == "auth.user"
    ]
    assert users[0]["fields"]["username"] == "anna"
    assert users[0]["fields"]["password"].startswith("md5$")  # the test settings' hasher
    assert (folder / "media").is_dir()
    if connection.vendor == "sqlite":
        assert (folder / "archive.sqlite3").exists()


def test_a_backup_into_a_world_readable_folder_closes_it(tmp_path):
    folder = tmp_path / "backup"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    (folder / "data.json").write_text("[]")  # from an earlier backup, before this fix
    (folder / "data.json").chmod(0o644)

    back_up_an_archive(tmp_path, folder)

    assert_owner_only(folder)
