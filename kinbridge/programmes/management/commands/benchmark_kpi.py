from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kinbridge.programmes import kpi_benchmark


class Command(BaseCommand):
    help = (
        "Time a project's KPI actuals on the current database (SQLite, or PostgreSQL via "
        "DATABASE_URL): builds a synthetic project with --attendance records, measures "
        "project_results with and without the breakdown and one hand-written SQL query, "
        "then rolls the project back unless --keep. Prints Markdown. Not for production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--attendance", type=int, default=100_000)
        parser.add_argument("--people", type=int, default=20_000, help="Distinct people.")
        parser.add_argument("--runs", type=int, default=9, help="Timed runs of each query.")
        parser.add_argument(
            "--keep", action="store_true", help="Commit the synthetic project instead."
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even though KINBRIDGE_PRODUCTION is on."
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION and not options["force"]:
            raise CommandError(
                "This is a production install: the benchmark writes a synthetic project with "
                "people and attendance. Use --force to override."
            )
        if options["runs"] < 1 or options["attendance"] < 1 or options["people"] < 1:
            raise CommandError("--runs, --attendance and --people must be at least 1.")
        kpi_benchmark.run(
            attendance=options["attendance"],
            people=options["people"],
            runs=options["runs"],
            keep=options["keep"],
            write=self.stdout.write,
        )
