"""A small project with sessions and attendance whose report figures are known by hand.

Team B's "Mom Behind Bars" (1 January to 31 December 2026) in IK-5 and IK-15:

* February, IK-5: a two-day training; present Anna, Berta (mothers) with their
  babies Ivan and Gleb, and Sofia (children's home staff); Vera absent.
  Led by the neonatologist Elena (external specialist).
* March, IK-15: a one-day training; present Anna and Vera with baby Kira.
* March, a community venue: a meeting with 20 people counted without names.
* April, IK-5: a cancelled session (its attendance must not count).
* July, IK-5: a planned session (upcoming on the frozen day, 15 June 2026).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from kinbridge.facilities.models import Facility
from kinbridge.people import actions as people_actions
from kinbridge.people.models import PersonRole, RelationshipKind
from kinbridge.programmes.models import (
    Attendance,
    ExternalFacilitator,
    Funder,
    Indicator,
    Programme,
    Project,
    Session,
)

NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def person(team, given, *, born=None, gender="female", roles=()):
    someone = people_actions.create_person(
        None, teams=[team], given_name=given, family_name="Test", birth_date=born, gender=gender
    )
    for role in roles:
        PersonRole.objects.create(person=someone, role=role, start=None)
    return someone


def at(day: dt.date, hour=10, hours=3, days=1):
    start = dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)
    return {"start": start, "end": start + dt.timedelta(days=days - 1, hours=hours)}


def session(project, facility=None, *, day, status="held", kind="training", **extra):
    place = {"place_kind": "facility", "facility": facility} if facility else {}
    return Session.objects.create(
        team=project.team,
        project=project,
        kind=kind,
        topic=extra.pop("topic", "Breastfeeding"),
        status=status,
        **(place or {"place_kind": "community", "venue": "Library"}),
        **at(day, days=extra.pop("days", 1)),
        **extra,
    )


def present(session_, *people, with_adult=None, status="present"):
    for someone in people:
        Attendance.objects.create(
            session=session_, person=someone, status=status, with_adult=with_adult
        )


@pytest.fixture
def report_project(team_b, regions):
    ik5 = Facility.objects.create(name="IK-5", region=regions["b"], kind="womens_colony")
    ik15 = Facility.objects.create(name="IK-15", region=regions["b"], kind="womens_colony")
    programme = Programme.objects.create(team=team_b, name="Mom Behind Bars")
    project = Project.objects.create(
        team=team_b,
        programme=programme,
        title="Mom Behind Bars 2026",
        code="23-1-004512",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        currency="RUB",
        total_budget=Decimal("2827613"),
        report_notes="Brochure printed in May.",
    )
    project.facilities.add(ik5, ik15)
    project.regions.add(regions["b"])
    funder = Funder.objects.create(name="Presidential Grants Foundation")
    project.fundings.create(funder=funder, amount=Decimal("2527613"))
    project.budget_lines.create(name="Fees", planned=Decimal("1000000"), spent=Decimal("400000"))
    project.budget_lines.create(
        name="Travel", planned=Decimal("500000"), spent=Decimal("500000"), position=1
    )
    baby = dt.date(2025, 6, 1)
    anna = person(team_b, "Anna", born=dt.date(1995, 1, 1), roles=["prisoner"])
    berta = person(team_b, "Berta", born=dt.date(1998, 1, 1), roles=["prisoner"])
    vera = person(team_b, "Vera", born=dt.date(2000, 1, 1), roles=["prisoner"])
    ivan = person(team_b, "Ivan", born=baby, gender="male")
    gleb = person(team_b, "Gleb", born=baby, gender="male")
    kira = person(team_b, "Kira", born=baby)
    for child, mother in ((ivan, anna), (gleb, berta), (kira, vera)):
        people_actions.add_relationship(None, child, mother, RelationshipKind.MOTHER)
    sofia = person(team_b, "Sofia", born=dt.date(1980, 1, 1), roles=["childrens_home_staff"])
    elena = person(team_b, "Elena", born=dt.date(1970, 1, 1), roles=["specialist"])

    february = session(project, ik5, day=dt.date(2026, 2, 10), days=2)
    ExternalFacilitator.objects.create(session=february, person=elena)
    present(february, anna, berta, sofia)
    present(february, ivan, with_adult=anna)
    present(february, gleb, with_adult=berta)
    present(february, vera, status="absent")
    march = session(project, ik15, day=dt.date(2026, 3, 5))
    present(march, anna, vera)
    present(march, kira, with_adult=vera)
    session(project, day=dt.date(2026, 3, 20), kind="community_meeting", unnamed_headcount=20)
    cancelled = session(project, ik5, day=dt.date(2026, 4, 2), status="cancelled")
    present(cancelled, anna, berta, vera)
    session(project, ik5, day=dt.date(2026, 7, 1), status="planned", topic="Newborn care")

    def indicator(name, kind, target, position, **parameters):
        return Indicator.objects.create(
            project=project,
            name=name,
            kind=kind,
            target=target,
            position=position,
            parameters=parameters.pop("parameters", {}),
            **parameters,
        )

    indicator(
        "Two-day trainings",
        "sessions",
        9,
        0,
        parameters={"session_kinds": ["training"], "min_days": 2},
    )
    indicator("Women", "participants", 90, 1, parameters={"characteristic": "women"})
    indicator(
        "Children up to 3",
        "participants",
        60,
        2,
        parameters={"characteristic": "children", "age_years": 3},
    )
    indicator("Brochure", "manual", 1, 3, manual_actual=Decimal(1), evidence_note="Booklet diary")
    indicator(
        "Children's home staff",
        "participants",
        10,
        4,
        parameters={"characteristic": "childrens_home_staff"},
    )
    indicator(
        "Community meeting participants",
        "event_participants",
        300,
        5,
        parameters={"session_kinds": ["community_meeting"]},
    )
    return {
        "project": project,
        "ik5": ik5,
        "ik15": ik15,
        "people": {
            "anna": anna,
            "berta": berta,
            "vera": vera,
            "ivan": ivan,
            "gleb": gleb,
            "kira": kira,
            "sofia": sofia,
            "elena": elena,
        },
    }
