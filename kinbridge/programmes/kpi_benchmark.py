"""Time a project's KPI actuals on the current database; used by ``manage.py benchmark_kpi``.

It builds one synthetic project the size the issue asks for (by default
100,000 attendance records across sessions in several facilities and
months, people with genders, dates of birth and roles), with the seed
programme's kinds of indicator, then times:

- ``project_results(project)``: every indicator's actual, as the KPI table
  and the API compute them;
- ``project_results(project, breakdown=True)``: with the breakdown by
  facility and by month, as the project page shows it;
- each indicator alone;
- the distinct-women count written by hand as one SQL query, beside the
  same indicator through the engine: our overhead ratio.

The project is built in one transaction and committed, so the timings see
committed rows as real use does (on PostgreSQL, after VACUUM ANALYZE), then
deleted again unless ``keep`` is set; the rest of the database is only read.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from kinbridge.accounts import actions as account_actions
from kinbridge.accounts.models import Region, Team
from kinbridge.facilities.models import Facility
from kinbridge.lib.codes import reference_code
from kinbridge.people.models import Gender, Person, PersonRole, PersonRoleKind
from kinbridge.programmes import indicators
from kinbridge.programmes.models import (
    Attendance,
    AttendanceStatus,
    Indicator,
    Programme,
    Project,
    Session,
    SessionKind,
    SessionStatus,
)

SEED = 2026
MONTHS = 12
FACILITIES = 6
PER_SESSION = 25  # attendance rows per session, on average


@dataclass
class Timing:
    median: float
    low: float
    high: float
    cpu: float  # median CPU time of this process (SQLite works in it; PostgreSQL does not)

    def __str__(self) -> str:
        return f"{self.median:.1f} ({self.low:.1f} to {self.high:.1f})"


def measure(fetch: Callable[[], object], runs: int) -> Timing:
    fetch()  # warm up: caches, prepared plans
    samples, cpu = [], []
    for _ in range(runs):
        started, processor = time.perf_counter(), time.process_time()
        fetch()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - processor) * 1000)
    return Timing(statistics.median(samples), min(samples), max(samples), statistics.median(cpu))


def _load() -> str:
    try:
        return " ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


# --- Building the project ---------------------------------------------------------------


@dataclass
class Built:
    project: Project
    people: int
    sessions: int
    attendance: int
    seconds: float
    person_ids: list[int]
    facility_ids: list[int]
    made: list  # a team and region made for the run, removed with it


def _team(made: list) -> Team:
    team = Team.objects.filter(is_active=True).order_by("id").first()
    if team is not None:
        return team
    region = Region.objects.order_by("id").first()
    if region is None:
        region = account_actions.create_region(None, name="Benchmark region", country="LT")
        made.append(region)
    team = account_actions.create_team(None, name="Benchmark team", region=region)
    made.insert(0, team)
    return team


def _facilities(team: Team, rng: random.Random) -> list[Facility]:
    made = []
    for number in range(1, FACILITIES + 1):
        facility = Facility(
            name=f"Benchmark colony {number}",
            kind="womens_colony" if number % 3 else "mother_baby_unit",
            region=team.region,
        )
        facility.refresh_search_key()
        made.append(facility)
    return Facility.objects.bulk_create(made)


def _people(count: int, today: dt.date, rng: random.Random) -> list[Person]:
    """Women, men and children; some know only the year of birth."""
    people = []
    references = set(Person.objects.values_list("reference", flat=True))
    for number in range(count):
        draw = rng.random()
        if draw < 0.2:  # a child up to 6
            birth = today - dt.timedelta(days=rng.randint(30, 6 * 365))
            gender = rng.choice([Gender.FEMALE, Gender.MALE])
        else:
            birth = today - dt.timedelta(days=rng.randint(18 * 365, 60 * 365))
            gender = rng.choices([Gender.FEMALE, Gender.MALE, Gender.UNKNOWN], weights=[65, 30, 5])[
                0
            ]
        person = Person(given_name=f"Bench{number}", family_name="Kpi", gender=gender)
        if rng.random() < 0.1:
            person.birth_year = birth.year
        else:
            person.birth_date = birth
        person.refresh_names()
        reference = reference_code("P")
        while reference in references:
            reference = reference_code("P")
        references.add(reference)
        person.reference = reference
        people.append(person)
    return Person.objects.bulk_create(people, batch_size=2000)


def _roles(people: list[Person], start: dt.date, rng: random.Random) -> None:
    roles = []
    for person in people:
        adult = person.birth_year is not None or (
            person.birth_date and (start - person.birth_date).days > 18 * 365
        )
        if not adult:
            continue
        draw = rng.random()
        if draw < 0.4:
            roles.append(PersonRole(person=person, role=PersonRoleKind.PRISONER, start=start))
        elif draw < 0.5:
            roles.append(
                PersonRole(person=person, role=PersonRoleKind.CHILDRENS_HOME_STAFF, start=start)
            )
        elif draw < 0.6:
            roles.append(PersonRole(person=person, role=PersonRoleKind.RELATIVE, start=start))
        if person.gender == Gender.FEMALE and rng.random() < 0.08:
            # Pregnant for part of the project: a dated role.
            begins = start + dt.timedelta(days=rng.randint(0, 200))
            roles.append(
                PersonRole(
                    person=person,
                    role=PersonRoleKind.PREGNANT,
                    start=begins,
                    end=begins + dt.timedelta(days=rng.randint(60, 270)),
                )
            )
    PersonRole.objects.bulk_create(roles, batch_size=2000)


def _sessions(project, facilities, count: int, rng: random.Random) -> list[Session]:
    kinds = [SessionKind.TRAINING, SessionKind.CLASS, SessionKind.FAMILY_DAY]
    sessions = []
    for _number in range(count):
        day = project.start + dt.timedelta(days=rng.randint(0, MONTHS * 30 - 3))
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
        days = 2 if rng.random() < 0.3 else 1
        facility = rng.choice(facilities) if rng.random() < 0.9 else None
        session = Session(
            team=project.team,
            project=project,
            kind=rng.choice(kinds),
            topic="Benchmark session",
            status=SessionStatus.HELD if rng.random() < 0.9 else SessionStatus.PLANNED,
            place_kind="facility" if facility else "community",
            facility=facility,
            start=start,
            end=start + dt.timedelta(days=days - 1, hours=5),
            unnamed_headcount=rng.choice([0, 0, 0, 5, 12]),
        )
        session.fill_calendar()
        sessions.append(session)
    return Session.objects.bulk_create(sessions, batch_size=2000)


def _attendance(sessions, people, total: int, rng: random.Random) -> int:
    """``total`` rows, one per person and session, people coming back many times."""
    rows, made = [], 0
    per_session, extra = divmod(total, len(sessions))
    statuses = [AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED]
    for index, session in enumerate(sessions):
        size = per_session + (1 if index < extra else 0)
        for person in rng.sample(people, min(size, len(people))):
            status = rng.choices(statuses, weights=[85, 10, 5])[0]
            rows.append(Attendance(session=session, person=person, status=status))
        if len(rows) >= 5000:
            Attendance.objects.bulk_create(rows, batch_size=5000)
            made += len(rows)
            rows = []
    Attendance.objects.bulk_create(rows, batch_size=5000)
    return made + len(rows)


def _indicators(project) -> list[Indicator]:
    """The seed programme's table (000): sessions, women, small children, a brochure,
    children's home staff; plus pregnant women and event participants."""
    specs = [
        ("Two-day trainings", "sessions", {"session_kinds": ["training"], "min_days": 2}, 900),
        ("Women", "participants", {"characteristic": "women"}, 9000),
        ("Children up to 3", "participants", {"characteristic": "children", "age_years": 3}, 600),
        ("Brochure", "manual", {}, 1),
        ("Children's home staff", "participants", {"characteristic": "childrens_home_staff"}, 10),
        ("Pregnant women", "participants", {"characteristic": "pregnant"}, 500),
        ("Participants of family days", "event_participants", {"session_kinds": ["family_day"]}, 1),
    ]
    return Indicator.objects.bulk_create(
        [
            Indicator(
                project=project,
                name=name,
                kind=kind,
                parameters=parameters,
                target=Decimal(target),
                position=position,
                manual_actual=Decimal(1) if kind == "manual" else None,
            )
            for position, (name, kind, parameters, target) in enumerate(specs)
        ]
    )


@transaction.atomic
def build(attendance: int, people: int, seed: int = SEED) -> Built:
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311  (reproducible data, not secrets)
    made: list = []
    team = _team(made)
    today = timezone.localdate()
    programme = Programme.objects.create(team=team, name=f"KPI benchmark {seed}-{time.time_ns()}")
    project = Project.objects.create(
        team=team,
        programme=programme,
        title="KPI benchmark project",
        start=today.replace(day=1) - dt.timedelta(days=MONTHS * 30),
        end=today,
        currency="EUR",
        total_budget=Decimal(100000),
    )
    facilities = _facilities(team, rng)
    project.facilities.set(facilities)
    crowd = _people(people, today, rng)
    _roles(crowd, project.start, rng)
    sessions = _sessions(project, facilities, max(1, attendance // PER_SESSION), rng)
    rows = _attendance(sessions, crowd, attendance, rng)
    _indicators(project)
    return Built(
        project,
        len(crowd),
        len(sessions),
        rows,
        time.perf_counter() - started,
        [person.pk for person in crowd],
        [facility.pk for facility in facilities],
        made,
    )


TABLES = (Person, PersonRole, Session, Attendance, Indicator, Facility)


def _refresh_statistics() -> None:
    """After a bulk load PostgreSQL needs statistics and the visibility map (autovacuum
    would give them soon after; the benchmark does not wait). SQLite plans without
    statistics, and Kinbridge never runs ANALYZE on it, so neither does the benchmark."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in TABLES:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@transaction.atomic
def remove(built: Built) -> None:
    """Delete everything the run made (committed, so the timings saw committed rows)."""
    project = built.project
    Attendance.objects.filter(session__project=project).delete()
    Session.objects.filter(project=project).delete()
    project.delete()
    Programme.objects.filter(pk=project.programme_id).delete()
    for start in range(0, len(built.person_ids), 2000):
        batch = built.person_ids[start : start + 2000]
        PersonRole.objects.filter(person_id__in=batch).delete()
        Person.objects.filter(pk__in=batch).delete()
    Facility.objects.filter(pk__in=built.facility_ids).delete()
    for record in built.made:
        type(record).objects.filter(pk=record.pk).delete()


# --- The hand-written query ---------------------------------------------------------------

WOMEN_SQL = {
    "sqlite": """
        SELECT COUNT(DISTINCT a.person_id)
        FROM programmes_attendance a
        JOIN programmes_session s ON s.id = a.session_id
        JOIN people_person p ON p.id = a.person_id
        WHERE s.project_id = %s AND s.status = 'held' AND a.status = 'present'
          AND p.gender = 'female'
          AND ((p.birth_date IS NULL AND p.birth_year IS NULL)
               OR s.start_date >= date(COALESCE(p.birth_date, p.birth_year || '-07-01'),
                                       '+18 years'))
    """,
    "postgresql": """
        SELECT COUNT(DISTINCT a.person_id)
        FROM programmes_attendance a
        JOIN programmes_session s ON s.id = a.session_id
        JOIN people_person p ON p.id = a.person_id
        WHERE s.project_id = %s AND s.status = 'held' AND a.status = 'present'
          AND p.gender = 'female'
          AND ((p.birth_date IS NULL AND p.birth_year IS NULL)
               OR s.start_date >= (COALESCE(p.birth_date, make_date(p.birth_year, 7, 1))
                                   + make_interval(years => 18))::date)
    """,
}


# The same count in the shape the engine uses: attendance grouped by person first,
# each person read once.
WOMEN_GROUPED_SQL = {
    "sqlite": """
        SELECT COUNT(*)
        FROM (SELECT a.person_id AS pid, MAX(s.start_date) AS last_day
              FROM programmes_attendance a
              JOIN programmes_session s ON s.id = a.session_id
              WHERE s.project_id = %s AND s.status = 'held' AND a.status = 'present'
              GROUP BY a.person_id) g
        JOIN people_person p ON p.id = g.pid
        WHERE p.gender = 'female'
          AND ((p.birth_date IS NULL AND p.birth_year IS NULL)
               OR g.last_day >= date(COALESCE(p.birth_date, p.birth_year || '-07-01'),
                                     '+18 years'))
    """,
    "postgresql": """
        SELECT COUNT(*)
        FROM (SELECT a.person_id AS pid, MAX(s.start_date) AS last_day
              FROM programmes_attendance a
              JOIN programmes_session s ON s.id = a.session_id
              WHERE s.project_id = %s AND s.status = 'held' AND a.status = 'present'
              GROUP BY a.person_id) g
        JOIN people_person p ON p.id = g.pid
        WHERE p.gender = 'female'
          AND ((p.birth_date IS NULL AND p.birth_year IS NULL)
               OR g.last_day >= (COALESCE(p.birth_date, make_date(p.birth_year, 7, 1))
                                 + make_interval(years => 18))::date)
    """,
}


def women_raw(project, queries=WOMEN_SQL) -> int:
    with connection.cursor() as cursor:
        cursor.execute(queries[connection.vendor], [project.pk])
        return cursor.fetchone()[0]


# --- The run ------------------------------------------------------------------------------


def run(*, attendance: int, people: int, runs: int, keep: bool, write) -> None:
    """Build and commit the project, measure, then delete it again unless ``keep``."""
    if connection.vendor not in WOMEN_SQL:
        raise RuntimeError(f"No hand-written query for {connection.vendor}.")
    built = build(attendance, people)
    try:
        _refresh_statistics()
        _report(built, runs, write)
    finally:
        if keep:
            write(f"\nKept: project {built.project.pk} ({built.project.title}).")
        else:
            remove(built)
            write("\nThe synthetic project and its people were deleted (--keep keeps them).")


def _report(built: Built, runs: int, write) -> None:
    project = built.project
    write(
        f"Database: {connection.vendor}. Built in {built.seconds:.1f} s: {built.people} people, "
        f"{built.sessions} sessions in {FACILITIES} facilities over {MONTHS} months, "
        f"{built.attendance} attendance records. Load average before: {_load()}.\n"
    )
    results = indicators.project_results(project)
    whole = measure(lambda: indicators.project_results(project), runs)
    broken_down = measure(lambda: indicators.project_results(project, breakdown=True), runs)
    write(f"Milliseconds, median (lowest to highest) of {runs} runs after one warm-up.\n")
    write("| what | actual | ms | with breakdown, ms |")
    write("| --- | ---: | ---: | ---: |")
    for result in results:
        indicator = result.indicator
        alone = measure(lambda i=indicator: indicators.compute(i), runs)
        with_breakdown = measure(lambda i=indicator: indicators.compute(i, breakdown=True), runs)
        write(f"| {indicator.name} | {result.actual} | {alone} | {with_breakdown} |")
    write(f"| **whole project** (`project_results`) | | **{whole}** | **{broken_down}** |")
    write(
        f"\nCPU time of this process, median: {whole.cpu:.1f} ms for the whole project, "
        f"{broken_down.cpu:.1f} ms with the breakdown (on SQLite this is the database's "
        "own work too; a busy machine stretches the wall-clock times above, less this)."
    )

    women = next(i for i in project.indicators.all() if i.name == "Women")
    engine_count = indicators.compute(women).actual
    for queries in (WOMEN_SQL, WOMEN_GROUPED_SQL):
        raw_count = women_raw(project, queries)
        if raw_count != engine_count:
            raise RuntimeError(f"A raw query counts {raw_count} women, the engine {engine_count}.")
    plain = measure(lambda: women_raw(project, WOMEN_SQL), runs)
    grouped = measure(lambda: women_raw(project, WOMEN_GROUPED_SQL), runs)
    engine = measure(lambda: indicators.compute(women), runs)
    write(
        f"\nDistinct women ({engine_count}), one indicator: through the engine {engine}; "
        f"as one hand-written SQL query, row by row (join each attendance row to its person) "
        f"{plain}, grouped by person first (the engine's shape) {grouped}. Overhead ratio "
        f"(engine / hand-written): {engine.median / plain.median:.2f} against the row-by-row "
        f"query, {engine.median / grouped.median:.2f} against the grouped one."
    )
    write(f"Load average after: {_load()}.")
