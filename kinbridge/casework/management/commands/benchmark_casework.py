from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kinbridge.casework import benchmark


class Command(BaseCommand):
    help = (
        "Time casework's heavy reads on the current database (SQLite, or PostgreSQL via "
        "DATABASE_URL): builds a synthetic team with --cases cases and their services, notes "
        "and tasks, times the case list, the caseloads and casework's KPI actuals, then "
        "deletes it unless --keep. Prints Markdown. Not for production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=20_000)
        parser.add_argument("--runs", type=int, default=9, help="Timed runs of each query.")
        parser.add_argument("--keep", action="store_true", help="Commit the data instead.")
        parser.add_argument(
            "--force", action="store_true", help="Run even though KINBRIDGE_PRODUCTION is on."
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION and not options["force"]:
            raise CommandError(
                "This is a production install: the benchmark writes a synthetic team with "
                "cases and people. Use --force to override."
            )
        if options["runs"] < 1 or options["cases"] < 1:
            raise CommandError("--runs and --cases must be at least 1.")
        benchmark.run(
            cases=options["cases"],
            runs=options["runs"],
            keep=options["keep"],
            write=self.stdout.write,
        )
