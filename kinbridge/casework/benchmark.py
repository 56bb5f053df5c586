"""Time casework's heavy reads on the current database; used by ``manage.py benchmark_casework``.

It builds one synthetic team with ``cases`` cases (by default 20,000) and their
clients, spread over caseworkers (a caseworker per 200 cases), two years and the
workflow's statuses, with about five services, one or two notes and half a task
per case, most cases linked to one project with casework indicators. Then it
times:

- the **case list**, first page: a caseworker's open cases of the team, newest
  first, with the client and lead worker, as the cases list and the API read it
  (keyset pagination: the first page costs what any page does), in one query and
  in two (the page's ids first);
- the **caseload** of one worker: their active cases with the last contact and the
  overdue tasks of each, and the same per worker for the whole team (a supervisor's
  view): active cases, cases with no contact for 30 days, overdue tasks. The dashboards
  area writes its own; these queries are the shape it needs, written here with the
  models;
- the **KPI actuals** of casework's two kinds (persons receiving a service type,
  cases opened), with and without the monthly breakdown.

Everything is committed (on PostgreSQL then VACUUM ANALYZE, as autovacuum would soon
do), measured, and deleted again unless ``keep``.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from kinbridge.accounts.models import Membership, Region, Team, User
from kinbridge.accounts.roles import Role
from kinbridge.casework.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseStatus,
    CaseType,
    CaseWorker,
    Note,
    Service,
    ServiceMode,
    ServiceType,
    Task,
    TaskStatus,
)
from kinbridge.lib.codes import reference_code
from kinbridge.people.models import Person
from kinbridge.programmes import indicators
from kinbridge.programmes.kpi_benchmark import _load, measure
from kinbridge.programmes.models import Indicator, Programme, Project

SEED = 2026
CASES_PER_WORKER = 200
PAGE = 50
NO_CONTACT_DAYS = 30
DAY = dt.timedelta(days=1)
STATUSES = [
    (CaseStatus.REFERRED, 5),
    (CaseStatus.ASSESSMENT, 10),
    (CaseStatus.ACTIVE, 55),
    (CaseStatus.CLOSING, 5),
    (CaseStatus.CLOSED, 25),
]
TARGETED = ["counselling", "information", "mediation", "representation", "escort"]


# --- The queries measured ------------------------------------------------------------------


def case_list_page(user) -> list[Case]:
    """The first page of the open cases the user sees, newest first."""
    return list(
        Case.objects.visible_to(user)
        .open()
        .select_related("client", "lead_worker", "team")
        .order_by("-opened_on", "-id")[:PAGE]
    )


def case_list_page_by_ids(user) -> list[Case]:
    """The same page in two steps: the page's ids from the cases table alone, then those
    rows with their client and lead worker. PostgreSQL otherwise joins every open case to
    its client before it sorts and keeps 50 (see docs/benchmarks.md)."""
    ids = list(
        Case.objects.visible_to(user)
        .open()
        .order_by("-opened_on", "-id")
        .values_list("id", flat=True)[:PAGE]
    )
    return list(
        Case.objects.filter(pk__in=ids)
        .select_related("client", "lead_worker", "team")
        .order_by("-opened_on", "-id")
    )


def _last_contact():
    return Subquery(
        Service.objects.filter(case=OuterRef("pk")).order_by("-date").values("date")[:1]
    )


def _overdue_tasks(today: dt.date):
    return Coalesce(
        Subquery(
            Task.objects.filter(case=OuterRef("pk"), status=TaskStatus.OPEN, due_on__lt=today)
            .order_by()
            .values("case")
            .annotate(n=Count("id"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def my_caseload(user, today: dt.date) -> list[Case]:
    """The worker's active cases (lead or other worker) with last contact and overdue tasks,
    those without contact longest first."""
    # An IN list rather than a join: no duplicates to remove, and the lead worker's index.
    shared = CaseWorker.objects.filter(user=user).values("case_id")
    mine = Q(lead_worker=user) | Q(pk__in=shared)
    return list(
        Case.objects.filter(mine, status__in=OPEN_STATUSES)
        .select_related("client")
        .annotate(last_contact=_last_contact(), overdue=_overdue_tasks(today))
        .order_by(F("last_contact").asc(nulls_first=True), "id")
    )


def team_caseload(team, today: dt.date) -> list[dict]:
    """Per lead worker of the team: open cases, those with no contact for NO_CONTACT_DAYS,
    and overdue tasks (two grouped queries, whatever the number of workers)."""
    stale_before = today - NO_CONTACT_DAYS * DAY
    cases = (
        Case.objects.filter(team=team, status__in=OPEN_STATUSES)
        .annotate(last_contact=_last_contact())
        .values("lead_worker")
        .annotate(
            open=Count("id"),
            stale=Count(
                "id", filter=Q(last_contact__lt=stale_before) | Q(last_contact__isnull=True)
            ),
        )
        .order_by()
    )
    overdue = dict(
        Task.objects.filter(case__team=team, status=TaskStatus.OPEN, due_on__lt=today)
        .values("assignee")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("assignee", "n")
    )
    rows = list(cases)
    for row in rows:
        row["overdue"] = overdue.get(row["lead_worker"], 0)
    return rows


# --- Building the data ----------------------------------------------------------------------


@dataclass
class Built:
    team: Team
    region: Region | None
    project: Project
    workers: list[User]
    person_ids: list[int]
    counts: dict
    seconds: float


def _workers(team: Team, count: int, stamp: int) -> list[User]:
    users = User.objects.bulk_create(
        User(
            username=f"bench-{stamp}-{number}",
            first_name="Bench",
            last_name=f"Worker {number}",
            password="!",  # noqa: S106  (unusable: nobody signs in as them)
        )
        for number in range(count)
    )
    group = Group.objects.get_or_create(name=str(Role.CASEWORKER))[0]
    group.user_set.add(*users)
    Membership.objects.bulk_create(Membership(user=user, team=team) for user in users)
    return list(User.objects.filter(pk__in=[u.pk for u in users]).order_by("id"))


def _people(count: int, rng: random.Random, stamp: int) -> list[Person]:
    references = set(Person.objects.values_list("reference", flat=True))
    people = []
    for number in range(count):
        person = Person(
            given_name=f"Bench{number}",
            family_name=f"Casework {stamp}",
            gender=rng.choice(["female", "female", "male"]),
            birth_date=dt.date(1960, 1, 1) + rng.randint(0, 40 * 365) * DAY,
        )
        person.refresh_names()
        reference = reference_code("P")
        while reference in references:
            reference = reference_code("P")
        references.add(reference)
        person.reference = reference
        people.append(person)
    return Person.objects.bulk_create(people, batch_size=2000)


def _flush(model, rows: list, counts: dict) -> None:
    model.objects.bulk_create(rows, batch_size=5000)
    counts[model._meta.model_name] = counts.get(model._meta.model_name, 0) + len(rows)
    rows.clear()


@transaction.atomic
def build(cases: int, seed: int = SEED) -> Built:
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311  (reproducible data, not secrets)
    stamp = time.time_ns()
    today = timezone.localdate()
    region = Region.objects.order_by("id").first()
    made_region = None
    if region is None:
        region = made_region = Region.objects.create(name="Benchmark region", country="LT")
    team = Team.objects.create(name=f"Casework benchmark {stamp}", region=region)
    programme = Programme.objects.create(team=team, name=f"Casework benchmark {stamp}")
    first_day = today - 730 * DAY
    project = Project.objects.create(
        team=team,
        programme=programme,
        title="Casework benchmark project",
        start=today - 365 * DAY,
        end=today,
        currency="EUR",
        total_budget=Decimal(100000),
    )
    Indicator.objects.bulk_create(
        [
            Indicator(
                project=project,
                name="Relatives who received targeted assistance",
                kind="service_recipients",
                parameters={"service_types": TARGETED, "case_types": ["targeted_assistance"]},
                target=Decimal(1000),
                position=1,
            ),
            Indicator(
                project=project,
                name="Cases opened",
                kind="cases",
                parameters={"event": "opened"},
                target=Decimal(1000),
                position=2,
            ),
        ]
    )
    workers = _workers(team, max(2, cases // CASES_PER_WORKER), stamp)
    clients = _people(cases, rng, stamp)
    counts: dict = {}
    rows: dict = {Case: [], Service: [], Note: [], Task: [], CaseEvent: []}
    references = set(Case.objects.values_list("reference", flat=True))
    statuses, weights = zip(*STATUSES, strict=True)
    case_types = list(CaseType.values)
    for client in clients:
        opened = first_day + rng.randint(0, 720) * DAY
        status = rng.choices(statuses, weights)[0]
        lead = rng.choice(workers)
        closed = status == CaseStatus.CLOSED
        reference = reference_code("C")
        while reference in references:
            reference = reference_code("C")
        references.add(reference)
        case = Case(
            reference=reference,
            client=client,
            team=team,
            project=project if rng.random() < 0.8 else None,
            case_type=rng.choice(case_types),
            lead_worker=lead,
            status=status,
            opened_on=opened,
            closed_on=min(opened + rng.randint(30, 300) * DAY, today) if closed else None,
            closure_reason="goals_met" if closed else "",
            outcome="improved" if closed else "",
        )
        rows[Case].append(case)
        rows[CaseEvent].append(CaseEvent(case=case, kind="opened", to_status="referred", by=lead))
        last = case.closed_on or today
        for _ in range(rng.randint(0, 10)):
            rows[Service].append(
                Service(
                    case=case,
                    service_type=rng.choice(ServiceType.values),
                    mode=rng.choice(ServiceMode.values),
                    date=opened + rng.randint(0, max((last - opened).days, 0)) * DAY,
                    duration_minutes=rng.choice([15, 30, 45, 60]),
                    worker=lead,
                    recipient=client,
                )
            )
        for _ in range(rng.randint(1, 2)):
            rows[Note].append(
                Note(
                    case=case, body="Benchmark note.", author=lead, confidential=rng.random() < 0.2
                )
            )
        if rng.random() < 0.5:
            done = closed or rng.random() < 0.5
            rows[Task].append(
                Task(
                    case=case,
                    title="Benchmark task",
                    due_on=today + rng.randint(-30, 30) * DAY,
                    assignee=lead,
                    status=TaskStatus.DONE if done else TaskStatus.OPEN,
                    completed_at=timezone.now() if done else None,
                )
            )
        if len(rows[Service]) >= 20000:
            for model in rows:  # parents first: the dict keeps Case before the others
                _flush(model, rows[model], counts)
    for model in rows:
        _flush(model, rows[model], counts)
    return Built(
        team,
        made_region,
        project,
        workers,
        [client.pk for client in clients],
        counts,
        time.perf_counter() - started,
    )


TABLES = (Case, Service, Note, Task, CaseEvent, Person)


def _refresh_statistics() -> None:
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in TABLES:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@transaction.atomic
def remove(built: Built) -> None:
    """Delete everything the run made."""
    cases = Case.objects.filter(team=built.team)
    for model in (Service, Note, Task, CaseEvent):
        model.objects.filter(case__team=built.team).delete()
    cases.delete()
    Indicator.objects.filter(project=built.project).delete()
    built.project.delete()
    Programme.objects.filter(team=built.team).delete()
    for start in range(0, len(built.person_ids), 2000):
        Person.objects.filter(pk__in=built.person_ids[start : start + 2000]).delete()
    User.objects.filter(pk__in=[user.pk for user in built.workers]).delete()
    built.team.delete()
    if built.region is not None:
        built.region.delete()


# --- The run ----------------------------------------------------------------------------------


def run(*, cases: int, runs: int, keep: bool, write) -> None:
    built = build(cases)
    try:
        _refresh_statistics()
        _report(built, runs, write)
    finally:
        if keep:
            write(f"\nKept: team {built.team.pk} ({built.team.name}).")
        else:
            remove(built)
            write("\nThe synthetic team, its cases and people were deleted (--keep keeps them).")


def _report(built: Built, runs: int, write) -> None:
    today = timezone.localdate()
    counts = ", ".join(f"{n} {name}" for name, n in built.counts.items())
    write(
        f"Database: {connection.vendor}. Built in {built.seconds:.1f} s: {counts}; "
        f"{len(built.workers)} caseworkers. Load average before: {_load()}.\n"
    )
    # The busiest worker: the caseload is timed at its largest.
    busiest = (
        Case.objects.filter(team=built.team, status__in=OPEN_STATUSES)
        .values("lead_worker")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    worker = User.objects.get(pk=busiest["lead_worker"])
    caseload = my_caseload(worker, today)
    team_rows = team_caseload(built.team, today)
    project_indicators = list(built.project.indicators.all())
    write(f"Milliseconds, median (lowest to highest) of {runs} runs after one warm-up.\n")
    write("| what | result | ms |")
    write("| --- | ---: | ---: |")
    timings = [
        (
            "case list, first page (a team caseworker)",
            f"{len(case_list_page(worker))} rows",
            lambda: case_list_page(worker),
        ),
        (
            "the same page, ids first and then their rows",
            f"{len(case_list_page_by_ids(worker))} rows",
            lambda: case_list_page_by_ids(worker),
        ),
        (
            "my caseload (the busiest worker's open cases, last contact, overdue tasks)",
            f"{len(caseload)} cases, {sum(c.overdue for c in caseload)} overdue tasks",
            lambda: my_caseload(worker, today),
        ),
        (
            "team caseload (per worker: open, no contact for 30 days, overdue tasks)",
            f"{len(team_rows)} workers, {sum(r['stale'] for r in team_rows)} without contact",
            lambda: team_caseload(built.team, today),
        ),
    ]
    for indicator in project_indicators:
        actual = indicators.compute(indicator).actual
        timings.append(
            (f"KPI: {indicator.name}", str(actual), lambda i=indicator: indicators.compute(i))
        )
        timings.append(
            (
                f"KPI: {indicator.name}, with the monthly breakdown",
                str(actual),
                lambda i=indicator: indicators.compute(i, breakdown=True),
            )
        )
    for what, result, fetch in timings:
        write(f"| {what} | {result} | {measure(fetch, runs)} |")
    write(f"\nLoad average after: {_load()}.")
