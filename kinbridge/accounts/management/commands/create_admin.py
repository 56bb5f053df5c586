"""Create the first administrator, from a script or by answering prompts.

manage.py create_admin                        # asks for each value
manage.py create_admin --username ana --email ana@example.org --no-input
    (password from KINBRIDGE_ADMIN_PASSWORD, or --password-stdin)
"""

import getpass
import os
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from kinbridge.accounts import actions
from kinbridge.accounts.models import User
from kinbridge.accounts.roles import Role

PASSWORD_ENV = "KINBRIDGE_ADMIN_PASSWORD"  # noqa: S105  (a variable name)


class Command(BaseCommand):
    help = "Create an administrator account."

    def add_arguments(self, parser):
        parser.add_argument("--username")
        parser.add_argument("--email")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input."
        )
        parser.add_argument(
            "--no-input", action="store_true", help=f"Never prompt; password from {PASSWORD_ENV}."
        )

    def handle(self, *args, **options):
        interactive = not options["no_input"] and sys.stdin.isatty()
        username = options["username"] or (interactive and input("Username: ").strip()) or ""
        email = options["email"] or (interactive and input("E-mail: ").strip()) or ""
        if not username or not email:
            raise CommandError("--username and --email are required with --no-input")
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an e-mail address") from None
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"a user named {username!r} already exists")
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError("another user already has this e-mail address")

        password = self._password(options, interactive)
        candidate = User(username=username, email=email)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None

        user = actions.create_user(
            None,
            username=username,
            email=email,
            first_name=options["first_name"],
            last_name=options["last_name"],
            roles=[Role.ADMINISTRATOR],
            password=password,
        )
        self.stdout.write(self.style.SUCCESS(f"Administrator {user.username} created."))
        self.stdout.write("They will be asked to set up two-factor login at first sign-in.")

    def _password(self, options, interactive) -> str:
        if options["password_stdin"]:
            return sys.stdin.readline().rstrip("\n")
        if os.environ.get(PASSWORD_ENV):
            return os.environ[PASSWORD_ENV]
        if not interactive:
            raise CommandError(f"give the password on standard input or in {PASSWORD_ENV}")
        first = getpass.getpass("Password (12 characters or more): ")
        if first != getpass.getpass("Password again: "):
            raise CommandError("the two passwords differ")
        return first
