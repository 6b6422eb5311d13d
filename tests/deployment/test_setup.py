"""Running the archive: settings from the environment, editor accounts, the seed command."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from archive.models import Document, Figure

ROOT = Path(__file__).resolve().parents[2]


def run_check(settings_module, **environ):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(environ, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check("config.settings.production", DJANGO_ALLOWED_HOSTS="archive.example.org")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_check("config.settings.production", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "Set DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_starts_when_configured():
    result = run_check(
        "config.settings.production",
        DJANGO_SECRET_KEY="a-long-random-production-secret-" + "k" * 40,
        DJANGO_ALLOWED_HOSTS="archive.example.org",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_create_editor_without_input_prints_a_random_password_once(capsys):
    call_command("create_editor", "anna", "--no-input")
    output = capsys.readouterr().out
    password = output.rsplit(": ", 1)[1].strip()
    user = get_user_model().objects.get(username="anna")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert len(password) >= 20 and user.check_password(password)
    call_command("create_editor", "bert", "--no-input")
    assert password not in capsys.readouterr().out


@pytest.mark.django_db
def test_create_editor_refuses_an_existing_name():
    call_command("create_editor", "anna", "--no-input")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_editor", "anna", "--no-input")


@pytest.mark.django_db
def test_load_seed_fills_an_empty_archive_and_never_loads_twice(capsys):
    call_command("load_seed")
    assert Figure.objects.count() == 26  # the seed's people
    Document.objects.filter(slug="treaty-of-rapallo").update(title="Rapallo, edited")
    call_command("load_seed")
    assert "seed not loaded" in capsys.readouterr().out
    assert Document.objects.get(slug="treaty-of-rapallo").title == "Rapallo, edited"
