from django.core.management.base import BaseCommand
from django.db import transaction

from kinbridge.demo import (
    casework,
    consents,
    custody,
    facilities,
    organisation,
    partners,
    people,
    seeds,
)
from kinbridge.demo.generator import generate_registry
from kinbridge.people.models import Person

# Synthetic families around the hand-written ones, so lists, search and the
# planning page look like a working registry. Added once, with a fixed seed.
SYNTHETIC_PEOPLE = 400


def _fill_registry() -> int:
    if Person.objects.count() >= SYNTHETIC_PEOPLE:
        return 0
    run = generate_registry(people=SYNTHETIC_PEOPLE, seed=2026, facilities=False)
    return run.counts["people"]


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
            synthetic = _fill_registry()
            # After the synthetic registry, which is only filled while people are few.
            programmes = seeds.load(registered)
            # After the seeds: the cases serve their projects' participants.
            cases = casework.load(registered)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data is in place ({facility_count} facilities, {partner_count} partners, "
                f"{len(registered)} people, {consented} consents, {episodes} custody episodes, "
                f"{synthetic} synthetic people, {programmes} seed programmes added, "
                f"{cases} cases added)."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {organisation.DEMO_PASSWORD}):")
        for username, roles in logins:
            self.stdout.write(f"  {username:<12} {roles}")
