"""Time the funder report for a project with many sessions and attendance rows.

``manage.py benchmark_report`` (which calls :func:`run`) makes, once, a
"Benchmark: funder report" project in the team with the most people: two
years, six facilities and community venues, ``sessions`` held sessions (plus
planned and cancelled ones) and ``attendance`` attendance rows drawn from the
team's people, with one KPI indicator of each kind, budget lines and two
funders. Then it times, for a programme manager of that team:

* **data**: :func:`kinbridge.programmes.reports.build` (every query);
* **PDF**: the report PDF through the test client (build, template, WeasyPrint);
* **XLSX**, **page**, **API**: the other forms, through the test client;
* **external PDF**: the PDF of the external variant (with suppression).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from kinbridge.accounts import actions as account_actions
from kinbridge.accounts.models import Team, User
from kinbridge.accounts.roles import Role
from kinbridge.facilities.models import Facility
from kinbridge.people.benchmark import _load, measure
from kinbridge.people.models import Person
from kinbridge.programmes import reports
from kinbridge.programmes.models import (
    Attendance,
    Funder,
    Indicator,
    Programme,
    Project,
    Session,
)

SEED = 2026
TITLE = "Benchmark: funder report"
MANAGER = "bench-programme-manager"
START = dt.date(2025, 1, 1)
END = dt.date(2026, 12, 31)
KINDS = [
    "training",
    "class",
    "family_day",
    "group_counselling",
    "community_meeting",
    "online_seminar",
]


def ensure_project(*, sessions: int, attendance: int, write: Callable[[str], None]) -> Project:
    """The benchmark project, made on the first run (same seed, same shape)."""
    project = Project.objects.filter(title=TITLE).first()
    if project is not None:
        return project
    team = Team.objects.annotate(size=Count("person_links")).order_by("-size", "id").first()
    if team is None:
        raise RuntimeError("No team: generate people first (manage.py generate_registry).")
    people = list(Person.objects.filter(teams=team).values_list("pk", flat=True))
    if len(people) < 200:
        raise RuntimeError("The team has fewer than 200 people: generate people first.")
    rng = random.Random(SEED)  # noqa: S311 (synthetic data from a fixed seed)
    with transaction.atomic():
        programme, _created = Programme.objects.get_or_create(team=team, name="Benchmark")
        project = Project.objects.create(
            team=team,
            programme=programme,
            title=TITLE,
            code="BENCH-1",
            start=START,
            end=END,
            currency="EUR",
            total_budget=Decimal("250000"),
            report_notes="Synthetic data for the benchmark.",
        )
        facilities = list(Facility.objects.order_by("id")[:6])
        project.facilities.add(*facilities)
        for name, amount in (("Benchmark Fund", 200000), ("Benchmark Trust", 30000)):
            funder, _created = Funder.objects.get_or_create(name=name)
            project.fundings.create(funder=funder, amount=Decimal(amount))
        for position, name in enumerate(("Staff", "Travel", "Materials", "Venues")):
            project.budget_lines.create(
                name=name, planned=Decimal(50000), spent=Decimal(30000), position=position
            )
        for position, (name, kind, parameters) in enumerate(
            [
                ("Two-day trainings", "sessions", {"session_kinds": ["training"], "min_days": 2}),
                ("Women", "participants", {"characteristic": "women"}),
                (
                    "Children under 3",
                    "participants",
                    {"characteristic": "children", "age_years": 3},
                ),
                (
                    "Children's home staff",
                    "participants",
                    {"characteristic": "childrens_home_staff"},
                ),
                ("Event participants", "event_participants", {}),
                ("Brochure", "manual", {}),
            ]
        ):
            Indicator.objects.create(
                project=project,
                name=name,
                kind=kind,
                parameters=parameters,
                target=100,
                position=position,
                manual_actual=1 if kind == "manual" else None,
            )
        rows = []
        days = (END - START).days
        for number in range(sessions):
            kind = KINDS[number % len(KINDS)]
            start = timezone.make_aware(
                dt.datetime.combine(START + dt.timedelta(days=rng.randrange(days)), dt.time(10))
            )
            facility = facilities[number % len(facilities)] if facilities and number % 7 else None
            online = kind == "online_seminar"
            place = "online" if online else ("facility" if facility else "community")
            session = Session(
                team=team,
                project=project,
                kind=kind,
                topic=f"Session {number}",
                status="held" if number % 20 else rng.choice(["planned", "cancelled"]),
                place_kind=place,
                facility=facility if place == "facility" else None,
                venue="Community centre" if place == "community" else "",
                online_link="https://meet.example.org/x" if online else "",
                start=start,
                end=start
                + dt.timedelta(days=1 if kind == "training" and number % 2 else 0, hours=3),
                unnamed_headcount=rng.randrange(30) if kind == "community_meeting" else 0,
            )
            session.fill_calendar()
            rows.append(session)
        created = Session.objects.bulk_create(rows, batch_size=1000)
        per_session = max(1, attendance // len(created))
        batch = []
        for session in created:
            for person_id in rng.sample(people, min(per_session, len(people))):
                batch.append(
                    Attendance(
                        session_id=session.pk,
                        person_id=person_id,
                        status="present" if rng.random() < 0.9 else "absent",
                    )
                )
            if len(batch) >= 10000:
                Attendance.objects.bulk_create(batch, batch_size=2000)
                batch = []
        Attendance.objects.bulk_create(batch, batch_size=2000)
    if connection.vendor == "postgresql":
        # Fresh bulk-loaded tables: give the planner statistics, as autovacuum soon would.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    write(
        f"Made the project {TITLE!r} in {team.name}: {len(created)} sessions, "
        f"{Attendance.objects.filter(session__project=project).count()} attendance rows.\n"
    )
    return project


def ensure_manager(project: Project) -> User:
    user = User.objects.filter(username=MANAGER).first()
    if user is None:
        user = account_actions.create_user(
            None,
            username=MANAGER,
            first_name="Benchmark",
            roles=[Role.PROGRAMME_MANAGER],
            teams=[project.team],
            password=secrets.token_urlsafe(24),
            two_factor_exempt=True,
        )
    return user


def run(*, sessions: int, attendance: int, repetitions: int, write) -> None:
    project = ensure_project(sessions=sessions, attendance=attendance, write=write)
    manager = ensure_manager(project)
    counts = {
        "sessions": Session.objects.filter(project=project).count(),
        "attendance": Attendance.objects.filter(session__project=project).count(),
        "indicators": project.indicators.count(),
    }
    write(
        f"Database: {connection.vendor}; project {project.pk}: {counts['sessions']} sessions, "
        f"{counts['attendance']} attendance rows, {counts['indicators']} indicators. "
        f"Times in ms, median / p95 over {repetitions} runs. Load average before: {_load()}.\n"
    )
    urls = {
        "page": reverse("programmes:project_report", args=[project.pk]),
        "PDF": reverse("programmes:project_report_pdf", args=[project.pk]),
        "XLSX": reverse("programmes:project_report_xlsx", args=[project.pk]),
        "API (JSON)": reverse("api:project-report", args=[project.pk]),
        "external PDF": reverse("programmes:project_report_pdf", args=[project.pk])
        + "?variant=external",
        "dashboard": reverse("programmes:project_dashboard", args=[project.pk]),
    }
    write("| what | queries | median / p95 (ms) |")
    write("| --- | ---: | ---: |")
    with CaptureQueriesContext(connection) as queries:
        reports.build(project, project.start, project.end, reports.INTERNAL)
    timing = measure(
        lambda: reports.build(project, project.start, project.end, reports.INTERNAL), repetitions
    )
    write(f"| report data (`reports.build`) | {len(queries)} | {timing} |")
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(manager)
        for what, url in urls.items():

            def fetch(url=url):
                response = client.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")

            fetch()
            with CaptureQueriesContext(connection) as queries:
                fetch()
            write(f"| {what} | {len(queries)} | {measure(fetch, repetitions)} |")
    write(f"\nLoad average after: {_load()}.")
