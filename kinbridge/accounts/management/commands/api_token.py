"""Issue, list and revoke API tokens for integrations.

manage.py api_token create USERNAME [--days 90]   # prints the token once
manage.py api_token list USERNAME
manage.py api_token revoke USERNAME (--token KEY | --all)
"""

from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken

from kinbridge.accounts import actions
from kinbridge.accounts.models import User


class Command(BaseCommand):
    help = "Issue, list or revoke API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="Issue a token and print it once.")
        create.add_argument("username")
        create.add_argument("--days", type=int, default=None, help="Lifetime in days.")
        listing = sub.add_parser("list", help="List a user's tokens (their key prefixes).")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke one token or all of a user's tokens.")
        revoke.add_argument("username")
        which = revoke.add_mutually_exclusive_group(required=True)
        which.add_argument("--token", help="The key prefix shown by list.")
        which.add_argument("--all", action="store_true")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user named {options['username']!r}")
        verb = options["verb"]
        if verb == "create":
            if not user.is_active:
                raise CommandError("this account is inactive")
            if options["days"] is not None and options["days"] < 1:
                raise CommandError("--days must be at least 1")
            instance, token = actions.issue_api_token(None, user, days=options["days"])
            self.stdout.write(token)
            expiry = instance.expiry.date().isoformat() if instance.expiry else "never"
            self.stderr.write(
                f"Token for {user.username}, expires {expiry}. It is not shown again."
            )
        elif verb == "list":
            for token in AuthToken.objects.filter(user=user).order_by("created"):
                expiry = token.expiry.isoformat() if token.expiry else "never"
                self.stdout.write(
                    f"{token.token_key}\tcreated {token.created.isoformat()}\texpires {expiry}"
                )
        else:
            count = actions.revoke_api_tokens(
                None, user, token_key="" if options["all"] else options["token"]
            )
            if not count and not options["all"]:
                raise CommandError("no such token")
            self.stdout.write(f"Revoked {count} token(s).")
