from django.core.management.base import BaseCommand
from django.db import transaction

from kinbridge.demo import custody, organisation, people


class Command(BaseCommand):
    help = "Load the demo organisation (idempotent: safe to run again)."

    def handle(self, *args, **options):
        with transaction.atomic():
            logins = organisation.load()
            registered = people.load()
            custody.load(people.by_key())
        self.stdout.write(self.style.SUCCESS(f"Demo data is in place ({registered} people)."))
        self.stdout.write(f"Demo logins (password for all: {organisation.DEMO_PASSWORD}):")
        for username, roles in logins:
            self.stdout.write(f"  {username:<12} {roles}")
