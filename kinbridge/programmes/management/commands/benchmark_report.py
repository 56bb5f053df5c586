import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kinbridge.demo.generator import generate_registry
from kinbridge.people.models import Person
from kinbridge.programmes import report_benchmark


class Command(BaseCommand):
    help = (
        "Time the funder report (data, PDF, XLSX, page, API, dashboard) for a project with "
        "many sessions and attendance rows, on the current database. Makes the project "
        "(and synthetic people, if there are fewer than --people) on the first run. "
        "Prints a Markdown table. Not for production databases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=5000, help="At least this many.")
        parser.add_argument("--sessions", type=int, default=1000)
        parser.add_argument("--attendance", type=int, default=100000)
        parser.add_argument("--repetitions", type=int, default=5, help="Timed runs of each.")
        parser.add_argument(
            "--force", action="store_true", help="Run even though KINBRIDGE_PRODUCTION is on."
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION and not options["force"]:
            raise CommandError(
                "This is a production install: the benchmark adds a synthetic project, "
                "people and an account. Use --force to override."
            )
        if options["repetitions"] < 1 or options["sessions"] < 1:
            raise CommandError("--repetitions and --sessions must be at least 1.")
        missing = options["people"] - Person.objects.count()
        if missing > 0:
            started = time.perf_counter()
            generate_registry(people=missing, seed=report_benchmark.SEED, force=options["force"])
            self.stdout.write(
                f"Generated {missing} people in {time.perf_counter() - started:.1f} s.\n"
            )
        try:
            report_benchmark.run(
                sessions=options["sessions"],
                attendance=options["attendance"],
                repetitions=options["repetitions"],
                write=self.stdout.write,
            )
        except RuntimeError as error:
            raise CommandError(str(error)) from None
