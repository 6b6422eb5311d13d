import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editor(db):
    """A staff account in the Editors group, as `create_editor` makes it."""
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def seeded(db):
    call_command("loaddata", "seed", verbosity=0)
