import time

from django.core.management.base import BaseCommand, CommandError

from kinbridge.accounts.models import User
from kinbridge.demo.generator import RefusedInProduction, generate_registry


class Command(BaseCommand):
    help = (
        "Generate a synthetic registry (people in families, facilities) for benchmarks "
        "and demos. The same seed gives the same people. Refused in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=1000, help="How many people to add.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same people.")
        parser.add_argument(
            "--teams",
            type=int,
            default=0,
            help="Spread people over 'Generated team 1..N' (made if missing). "
            "Default: the existing teams, or 3 generated ones if there are none.",
        )
        parser.add_argument("--batch", type=int, default=2000, help="Rows per bulk insert.")
        parser.add_argument(
            "--no-facilities", action="store_true", help="Do not add the facility catalogue."
        )
        parser.add_argument("--actor", default="", help="Username recorded in the audit event.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though KINBRIDGE_PRODUCTION is on (you almost certainly don't want to).",
        )

    def handle(self, *args, **options):
        if options["people"] < 0 or options["batch"] < 1:
            raise CommandError("--people must be 0 or more and --batch at least 1.")
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username__iexact=options["actor"]).first()
            if actor is None:
                raise CommandError(f"No user {options['actor']!r}.")
        started = time.perf_counter()
        try:
            run = generate_registry(
                actor,
                people=options["people"],
                seed=options["seed"],
                team_count=options["teams"],
                batch=options["batch"],
                facilities=not options["no_facilities"],
                force=options["force"],
            )
        except RefusedInProduction as exc:
            raise CommandError(f"{exc} Use --force to override.") from None
        seconds = time.perf_counter() - started
        counts = ", ".join(f"{name} {number}" for name, number in sorted(run.counts.items()))
        self.stdout.write(
            self.style.SUCCESS(f"Generated in {seconds:.1f} s (seed {run.seed}): {counts}.")
        )
