"""``manage.py benchmark_casework`` runs and leaves nothing; its caseload queries count right."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from kinbridge.accounts.models import Region, Team, User
from kinbridge.casework import benchmark
from kinbridge.casework.models import Case, CaseWorker, Service, Task
from kinbridge.casework.tests.test_kpi_indicators import make_case, serve
from kinbridge.people.models import Person
from kinbridge.programmes.models import Project
from kinbridge.programmes.tests.projects_factories import make_person

pytestmark = pytest.mark.django_db


def test_the_benchmark_measures_and_removes_what_it_made():
    out = StringIO()
    call_command("benchmark_casework", cases=60, runs=1, stdout=out)
    report = out.getvalue()
    assert "60 case" in report
    open_cases = report.split("| case list, first page (a team caseworker) | ")[1].split(" ")[0]
    assert 0 < int(open_cases) < 60
    assert f"| the same page, ids first and then their rows | {open_cases} rows |" in report
    assert "KPI: Relatives who received targeted assistance, with the monthly breakdown" in report
    assert "were deleted" in report
    for model in (Case, Service, Task, Person, Project, User, Team, Region):
        assert not model.objects.exists(), model


def test_caseloads_show_last_contact_overdue_tasks_and_cases_without_contact(
    personas, team_b, assert_constant_queries
):
    today = timezone.localdate()
    worker, manager = personas["caseworker_b"], personas["programme_manager"]
    recent = make_case(None, make_person(team_b, "Ona"), worker, team=team_b)
    serve(recent, worker, today - dt.timedelta(days=3))
    serve(recent, worker, today - dt.timedelta(days=40))
    silent = make_case(None, make_person(team_b, "Rasa"), worker, team=team_b)
    shared = make_case(None, make_person(team_b, "Daiva"), manager, team=team_b)
    CaseWorker.objects.create(case=shared, user=worker)
    make_case(None, make_person(team_b, "Closed"), worker, team=team_b, closed_on=today)
    for due, status in ((-2, "open"), (-1, "open"), (0, "open"), (-5, "done")):
        Task.objects.create(
            case=recent,
            title="Call",
            due_on=today + dt.timedelta(days=due),
            assignee=worker,
            status=status,
            completed_at=timezone.now() if status == "done" else None,
        )

    mine = benchmark.my_caseload(worker, today)
    # No contact first; the shared case counts, the closed one does not.
    assert [case.pk for case in mine[:2]] == sorted([silent.pk, shared.pk])
    assert mine[2].pk == recent.pk
    assert mine[2].last_contact == today - dt.timedelta(days=3)
    assert (mine[2].overdue, mine[0].overdue) == (2, 0)

    rows = {row["lead_worker"]: row for row in benchmark.team_caseload(team_b, today)}
    assert rows[worker.pk] == {"lead_worker": worker.pk, "open": 2, "stale": 1, "overdue": 2}
    assert rows[manager.pk]["open"] == 1 and rows[manager.pk]["stale"] == 1

    def grow():
        for number in range(5):
            case = make_case(None, make_person(team_b, f"More {number}"), worker, team=team_b)
            serve(case, worker, today)

    assert_constant_queries(lambda: benchmark.my_caseload(worker, today), grow)
    assert_constant_queries(lambda: benchmark.team_caseload(team_b, today), grow)
