"""Facilities and families for the custody tests, on a frozen day."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kinbridge.accounts.models import Region
from kinbridge.custody import actions
from kinbridge.custody.models import CustodyStatus
from kinbridge.facilities.models import Facility, FacilityKind
from kinbridge.people import actions as people_actions
from kinbridge.people.models import RelationshipKind

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def today():
    """Freeze the clock at noon on TODAY (UTC, the test time zone)."""
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        yield TODAY


def add_person(team, given, family="", born=None, **extra):
    return people_actions.create_person(
        None, teams=[team], given_name=given, family_name=family, birth_date=born, **extra
    )


def mother_of(child, mother):
    people_actions.add_relationship(
        None, child, mother, RelationshipKind.MOTHER, parental_responsibility=True
    )


@pytest.fixture
def places(regions):
    """A Russian colony (36 months, +12 extension), another, a UK MBU, a remand centre."""
    colony_rule = {
        "kind": FacilityKind.WOMENS_COLONY,
        "children_capacity": 3,
        "child_age_limit_months": 36,
        "extension_if_release_within_months": 12,
    }
    gloucestershire = Region.objects.create(name="Gloucestershire", country="GB")
    return {
        "ik15": Facility.objects.create(name="IK-15", region=regions["b"], **colony_rule),
        "ik18": Facility.objects.create(name="IK-18", region=regions["b"], **colony_rule),
        "mbu": Facility.objects.create(
            name="HMP Eastwood Park",
            region=gloucestershire,
            kind=FacilityKind.PRISON,
            children_capacity=12,
            child_age_limit_months=18,
        ),
        "sizo": Facility.objects.create(
            name="SIZO-1", region=regions["b"], kind=FacilityKind.REMAND_CENTRE
        ),
    }


@pytest.fixture
def family(today, team_b, places):
    """Maria (team B) sentenced in IK-15 since 2025-01-10, release 2027-03-01; her baby
    Artyom (born 2025-03-10) not yet placed."""
    maria = add_person(team_b, "Мария", "Иванова", dt.date(1998, 4, 17), roles=["prisoner"])
    artyom = add_person(team_b, "Артём", "Иванов", dt.date(2025, 3, 10), roles=["child"])
    mother_of(artyom, maria)
    episode = actions.record_episode(
        None,
        maria,
        facility=places["ik15"],
        status=CustodyStatus.SENTENCED,
        start=dt.date(2025, 1, 10),
        expected_release=dt.date(2027, 3, 1),
    )
    return {"maria": maria, "artyom": artyom, "episode": episode}


def mother_with_baby(team, facility, born, release, *, name="Мать", start=None):
    """A mother in custody at ``facility`` since 2022 and her baby living with her."""
    mother = add_person(team, name, "Петрова", dt.date(1995, 1, 1), roles=["prisoner"])
    baby = add_person(team, "Ребёнок", "Петров", born, roles=["child"])
    mother_of(baby, mother)
    actions.record_episode(
        None,
        mother,
        facility=facility,
        status=CustodyStatus.SENTENCED,
        start=dt.date(2022, 1, 1),
        expected_release=release,
    )
    stay = actions.place_child(None, child=baby, mother=mother, start=start or born)
    return mother, baby, stay
