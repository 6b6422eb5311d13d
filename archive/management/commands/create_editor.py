"""Create a staff account in the Editors group, with a password the person chooses."""

import getpass
import secrets

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create an editor account (staff, in the Editors group). Asks for a password; "
        "with --no-input, generates a random one and prints it once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not prompt: generate a random password and print it.",
        )

    def handle(self, *args, username, email, interactive, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        try:
            editors = Group.objects.get(name="Editors")
        except Group.DoesNotExist as error:
            raise CommandError("The Editors group is missing: run `manage.py migrate`.") from error

        user = User(username=username, email=email, is_staff=True)
        if interactive:
            password = self.ask_password(user)
        else:
            password = secrets.token_urlsafe(18)
        user.set_password(password)
        user.save()
        user.groups.add(editors)
        self.stdout.write(self.style.SUCCESS(f"Editor {username!r} created."))
        if not interactive:
            self.stdout.write(f"Password (shown once; change it after signing in): {password}")

    def ask_password(self, user):
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords differ; try again.")
                continue
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                continue
            return password
