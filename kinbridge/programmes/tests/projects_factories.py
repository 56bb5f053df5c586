"""Records the project tests build on: a team B project, facilities, people, sessions.

Fixtures are imported by the test modules that use them (no shared conftest, so
the other programme areas' tests stay independent).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kinbridge.facilities.models import Facility
from kinbridge.people.actions import create_person
from kinbridge.people.models import PersonRole
from kinbridge.programmes.models import (
    Attendance,
    Funder,
    Indicator,
    Programme,
    Project,
    Session,
)


def make_facility(region, name: str) -> Facility:
    facility = Facility(name=name, kind="womens_colony", region=region)
    facility.refresh_search_key()
    facility.save()
    return facility


def make_project(team, *, title="Mom Behind Bars 2026", programme=None, **fields) -> Project:
    programme = programme or Programme.objects.get_or_create(team=team, name="Мама за решёткой")[0]
    defaults = {
        "start": dt.date(2026, 1, 1),
        "end": dt.date(2026, 12, 31),
        "currency": "RUB",
        "total_budget": Decimal("2827613"),
    }
    return Project.objects.create(
        team=team, programme=programme, title=title, **(defaults | fields)
    )


def make_session(project, facility=None, *, day: dt.date, days: int = 1, **fields) -> Session:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    end = start + dt.timedelta(days=days - 1, hours=6)
    return Session.objects.create(
        team=project.team,
        project=project,
        kind=fields.pop("kind", "training"),
        topic=fields.pop("topic", "Breastfeeding"),
        place_kind="facility" if facility else "community",
        facility=facility,
        start=start,
        end=end,
        status=fields.pop("status", "held"),
        **fields,
    )


def make_person(team, given_name, *, gender="female", birth_date=None, roles=()):
    person = create_person(
        None,
        teams=[team],
        given_name=given_name,
        gender=gender,
        birth_date=birth_date or dt.date(1990, 5, 1),
    )
    for role in roles:
        PersonRole.objects.create(person=person, role=role, start=dt.date(2020, 1, 1))
    return person


def attend(session, *people, status="present"):
    for person in people:
        Attendance.objects.create(session=session, person=person, status=status)


def women_indicator(project, **fields) -> Indicator:
    return Indicator.objects.create(
        project=project,
        name=fields.pop("name", "Women who attended"),
        kind="participants",
        parameters=fields.pop("parameters", {"characteristic": "women"}),
        target=fields.pop("target", 90),
        **fields,
    )


@pytest.fixture
def colonies(regions):
    return [make_facility(regions["b"], name) for name in ("IK-15", "IK-28", "IK-2")]


@pytest.fixture
def project_b(team_b, colonies):
    project = make_project(team_b)
    project.facilities.set(colonies[:2])
    project.fundings.create(
        funder=Funder.objects.create(name="Фонд президентских грантов"),
        amount=Decimal("2527613"),
    )
    project.budget_lines.create(name="Fees", planned=Decimal("1000000"), spent=Decimal("250000"))
    return project
