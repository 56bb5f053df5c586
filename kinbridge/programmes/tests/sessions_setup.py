"""Records the sessions area's tests share: team B's facility, project, people."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kinbridge.facilities.actions import create_facility
from kinbridge.people.actions import create_person
from kinbridge.programmes.models import Programme, Project


def at(days: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """Local time ``days`` from today at ``hour``."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def person(team, given="Мария", family="Иванова", roles=("prisoner",)):
    return create_person(
        None, teams=[team], given_name=given, family_name=family, roles=list(roles)
    )


@pytest.fixture
def world(personas, team_b, regions):
    colony = create_facility(
        None,
        name="IK-15",
        kind="womens_colony",
        region=regions["b"],
        children_capacity=60,
        child_age_limit_months=36,
        rules={},
    )
    venue = create_facility(None, name="Library hall", kind="community_venue", region=regions["b"])
    programme = Programme.objects.create(team=team_b, name="Mom Behind Bars")
    today = timezone.localdate()
    project = Project.objects.create(
        team=team_b,
        programme=programme,
        title="Mom Behind Bars 2026",
        start=today - dt.timedelta(days=100),
        end=today + dt.timedelta(days=265),
        currency="RUB",
        total_budget=Decimal("2827613"),
    )
    specialist = person(team_b, "Ольга", "Неонатолог", roles=("specialist",))
    return {
        "team": team_b,
        "colony": colony,
        "venue": venue,
        "project": project,
        "specialist": specialist,
        "manager": personas["programme_manager"],
        "facilitator": personas["facilitator"],
    }


def session_fields(world, **extra) -> dict:
    return {
        "team": world["team"],
        "project": world["project"],
        "kind": "training",
        "topic": "Breastfeeding",
        "place_kind": "facility",
        "facility": world["colony"],
        "start": at(3, 10),
        "end": at(4, 17),
        "audience": ["mothers", "pregnant_women"],
        "facilitators": [world["facilitator"]],
    } | extra
