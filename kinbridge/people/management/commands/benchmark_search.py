import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kinbridge.demo.generator import generate_registry
from kinbridge.people import benchmark
from kinbridge.people.models import Person


class Command(BaseCommand):
    help = (
        "Time people search on the current database (SQLite, or PostgreSQL via DATABASE_URL), "
        "generating synthetic people first if there are fewer than --people. "
        "Prints a Markdown table. Not for production databases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=50000, help="At least this many.")
        parser.add_argument("--repetitions", type=int, default=20, help="Timed runs per query.")
        parser.add_argument(
            "--force", action="store_true", help="Run even though KINBRIDGE_PRODUCTION is on."
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION and not options["force"]:
            raise CommandError(
                "This is a production install: the benchmark adds synthetic people and "
                "benchmark accounts. Use --force to override."
            )
        if options["repetitions"] < 1:
            raise CommandError("--repetitions must be at least 1.")
        missing = options["people"] - Person.objects.count()
        if missing > 0:
            started = time.perf_counter()
            generate_registry(
                people=missing, seed=benchmark.SEED, batch=2000, force=options["force"]
            )
            self.stdout.write(
                f"Generated {missing} people (seed {benchmark.SEED}) "
                f"in {time.perf_counter() - started:.1f} s.\n"
            )
        benchmark.run(options["repetitions"], self.stdout.write)
