from django.core.management.base import BaseCommand
from django.db import transaction

from kinbridge.demo import consents, custody, facilities, organisation, partners, people


class Command(BaseCommand):
    help = "Load the demo organisation (idempotent: safe to run again)."

    def handle(self, *args, **options):
        with transaction.atomic():
            logins = organisation.load()
            facility_count = facilities.load()
            partner_count = partners.load()
            registered = people.load()
            consented = consents.load(registered)
            episodes = custody.load(registered)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data is in place ({facility_count} facilities, {partner_count} partners, "
                f"{len(registered)} people, {consented} consents, {episodes} custody episodes)."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {organisation.DEMO_PASSWORD}):")
        for username, roles in logins:
            self.stdout.write(f"  {username:<12} {roles}")
