"""Shared set-up of the task tests: a team B case led by the ``caseworker_b`` persona."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kinbridge.casework import case_actions, task_actions
from kinbridge.people.actions import create_person

# The client's name: it must never reach an e-mail.
CLIENT_NAME = "Zlata-Sentinel"


def make_case(team, lead, *, given_name=CLIENT_NAME, reference_day=None):
    person = create_person(None, teams=[team], given_name=given_name, family_name="Petrova")
    opened = reference_day or timezone.localdate() - dt.timedelta(days=10)
    case = case_actions.create_case(
        None,
        client=person,
        team=team,
        case_type="family_casework",
        lead_worker=lead,
        opened_on=opened,
    )
    return case_actions.change_status(None, case, "assessment")


def make_task(assignee, *, case=None, due_in=0, title="Phone the school", actor=None):
    return task_actions.create_task(
        actor,
        case=case,
        title=title,
        due_on=timezone.localdate() + dt.timedelta(days=due_in),
        assignee=assignee,
    )
