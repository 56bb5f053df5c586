"""Cases, services and tasks for the risk flag and caseload tests, on a frozen day."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kinbridge.casework import case_actions
from kinbridge.casework.models import CaseStatus, Service, Task
from kinbridge.people.actions import create_person

TODAY = dt.date(2026, 6, 1)
SENTINEL = "SENTINEL-7f3a-bruises-seen"

# The workflow moves that reach each status from "referred".
PATH_TO = {
    CaseStatus.REFERRED: [],
    CaseStatus.ASSESSMENT: [CaseStatus.ASSESSMENT],
    CaseStatus.ACTIVE: [CaseStatus.ASSESSMENT, CaseStatus.ACTIVE],
    CaseStatus.CLOSING: [CaseStatus.ASSESSMENT, CaseStatus.ACTIVE, CaseStatus.CLOSING],
    CaseStatus.CLOSED: [
        CaseStatus.ASSESSMENT,
        CaseStatus.ACTIVE,
        CaseStatus.CLOSING,
        CaseStatus.CLOSED,
    ],
}


@pytest.fixture
def today(db):
    """Freeze the clock at noon on TODAY (UTC, the test time zone)."""
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        yield TODAY


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def make_case(team, lead, *, opened=60, status=CaseStatus.ACTIVE, workers=(), name="Мария"):
    client = create_person(None, teams=[team], given_name=name, family_name="Иванова")
    case = case_actions.create_case(
        None,
        client=client,
        team=team,
        case_type="family_casework",
        lead_worker=lead,
        opened_on=days_ago(opened),
        workers=workers,
    )
    for to in PATH_TO[status]:
        extra = {}
        if to == CaseStatus.CLOSED:
            extra = {"closure_reason": "goals_met", "outcome": "improved"}
        case = case_actions.change_status(None, case, to, **extra)
    return case


def add_service(case, worker, ago: int) -> Service:
    return Service.objects.create(
        case=case,
        service_type="counselling",
        mode="phone",
        date=days_ago(ago),
        duration_minutes=30,
        worker=worker,
        recipient=case.client,
    )


def add_task(case, assignee, due_in: int, title="Call the colony") -> Task:
    return Task.objects.create(
        case=case, title=title, due_on=TODAY + dt.timedelta(days=due_in), assignee=assignee
    )
