"""Records for the cases tests: a team B family with a case, and rows for its timeline
(made directly: the areas that own services, notes, tasks and flags test their own
actions)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kinbridge.casework import case_actions
from kinbridge.casework.models import (
    CaseEvent,
    Note,
    RiskFlag,
    Service,
    Task,
    TaskStatus,
)
from kinbridge.people.actions import add_relationship, create_person

SENTINEL = "SENTINEL-confidential-7f3a"


def make_family(team_b) -> dict:
    """A mother, her son and her own mother, all of team B."""
    mother = create_person(None, teams=[team_b], given_name="Мария", family_name="Иванова")
    son = create_person(None, teams=[team_b], given_name="Артём", family_name="Иванов")
    grandmother = create_person(None, teams=[team_b], given_name="Нина", family_name="Петрова")
    add_relationship(None, son, mother, "mother")
    add_relationship(None, mother, grandmother, "mother")
    return {"mother": mother, "son": son, "grandmother": grandmother}


def open_case(team, lead, client, *, status="referred", members=(), days_ago=60, **extra):
    """A case moved along the workflow to ``status``."""
    case = case_actions.create_case(
        None,
        client=client,
        team=team,
        case_type=extra.pop("case_type", "family_casework"),
        lead_worker=lead,
        opened_on=timezone.localdate() - dt.timedelta(days=days_ago),
        members=members,
        **extra,
    )
    path = {
        "referred": [],
        "assessment": ["assessment"],
        "active": ["assessment", "active"],
        "closing": ["assessment", "active", "closing"],
        "closed": ["assessment", "active", "closing", "closed"],
    }[status]
    for step in path:
        extra_close = (
            {"closure_reason": "goals_met", "outcome": "improved"} if step == "closed" else {}
        )
        case = case_actions.change_status(None, case, step, **extra_close)
    return case


def make_case(personas, team_b, family):
    """Team B's case for the mother (in assessment), led by caseworker_b, with her son."""
    return open_case(
        team_b,
        personas["caseworker_b"],
        family["mother"],
        status="assessment",
        members=[(family["son"], "son")],
    )


def add_service(case, worker, *, days_ago=1, **extra):
    return Service.objects.create(
        case=case,
        service_type=extra.pop("service_type", "counselling"),
        mode=extra.pop("mode", "phone"),
        date=timezone.localdate() - dt.timedelta(days=days_ago),
        duration_minutes=extra.pop("duration_minutes", 45),
        worker=worker,
        recipient=extra.pop("recipient", case.client),
        created_by=worker,
        **extra,
    )


def add_note(case, author, body="Called the grandmother.", *, confidential=False):
    return Note.objects.create(case=case, author=author, body=body, confidential=confidential)


def add_task(case, assignee, title="Call the colony", *, done=False):
    task = Task.objects.create(
        case=case,
        title=title,
        due_on=timezone.localdate() + dt.timedelta(days=3),
        assignee=assignee,
        created_by=assignee,
    )
    if done:
        task.status = TaskStatus.DONE
        task.completed_at = timezone.now()
        task.completed_by = assignee
        task.save()
    return task


def add_flag(case, user, kind="self_harm"):
    return RiskFlag.objects.create(
        case=case, kind=kind, raised_on=timezone.localdate(), raised_by=user, note="watch"
    )


def add_everything(case, user, n=1):
    """``n`` rows of every kind of timeline entry."""
    for index in range(n):
        add_service(case, user, days_ago=index + 1)
        add_note(case, user, f"Ordinary note {index}")
        add_note(case, user, f"{SENTINEL} {index}", confidential=True)
        add_task(case, user, f"Task {index}", done=index % 2 == 0)
        add_flag(case, user)
        CaseEvent.objects.create(case=case, kind="plan_reviewed", by=user)
