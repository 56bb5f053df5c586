"""A team B case for the needs, plan, services and notes tests: led by ``caseworker_b``,
with a child as family member, opened 30 days ago and in assessment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import make_user
from kinbridge.accounts.roles import Role
from kinbridge.casework import case_actions
from kinbridge.people.actions import create_person


def open_case(team, lead, *, client=None, days_ago=30, members=()):
    client = client or create_person(None, teams=[team], given_name="Мария", family_name="Иванова")
    case = case_actions.create_case(
        None,
        client=client,
        team=team,
        case_type="family_casework",
        lead_worker=lead,
        opened_on=timezone.localdate() - dt.timedelta(days=days_ago),
        members=members,
    )
    return case_actions.change_status(None, case, "assessment")


@pytest.fixture
def child(team_b):
    return create_person(None, teams=[team_b], given_name="Артём", family_name="Иванов")


@pytest.fixture
def case(personas, team_b, child):
    return open_case(team_b, personas["caseworker_b"], members=[(child, "son")])


@pytest.fixture
def teammate(team_b):
    """A caseworker of team B who does not work on the case."""
    return make_user("teammate", Role.CASEWORKER, [team_b])


def login(client, user):
    client.force_login(user)
    return client
