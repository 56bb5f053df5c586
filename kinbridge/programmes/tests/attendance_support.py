"""Records for the attendance tests: a team B course session in a colony, run by the
facilitator persona, with enrolled mothers, a child and a man outside the audience."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.utils import timezone

from kinbridge.facilities.models import Facility, FacilityKind
from kinbridge.people import actions as people_actions
from kinbridge.people.models import PersonRole, RelationshipKind
from kinbridge.programmes.models import Course, Enrolment, Session

_numbers = itertools.count(1)


def add_person(team, given, family="", *, roles=(), role_start=None, **fields):
    """A person whose roles started ``role_start`` (a year ago by default)."""
    person = people_actions.create_person(
        None, teams=[team], given_name=given, family_name=family, **fields
    )
    start = role_start or timezone.localdate() - dt.timedelta(days=365)
    PersonRole.objects.bulk_create(
        PersonRole(person=person, role=role, start=start) for role in roles
    )
    return person


def mother_of(child, mother):
    people_actions.add_relationship(
        None, child, mother, RelationshipKind.MOTHER, parental_responsibility=True
    )


def colony(region):
    return Facility.objects.create(
        name=f"IK-{next(_numbers)}", kind=FacilityKind.WOMENS_COLONY, region=region
    )


def make_session(team, *, facility=None, course=None, days_ago=1, **fields):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=days_ago)
    values = {
        "team": team,
        "course": course,
        "kind": "course_meeting",
        "topic": "Bonding with your baby",
        "place_kind": "facility" if facility else "community",
        "facility": facility,
        "start": start,
        "end": start + dt.timedelta(hours=2),
        "status": "planned",
        "audience": ["mothers", "pregnant_women"],
    } | fields
    return Session.objects.create(**values)


@dataclass
class World:
    session: Session
    course: Course
    facility: Facility
    anna: object  # enrolled mother
    olga: object  # enrolled, pregnant
    baby: object  # Anna's child, not enrolled
    ivan: object  # a man, outside the audience
    withdrawn: object  # withdrew from the course


def build_world(personas, team_b, regions) -> World:
    facility = colony(regions["b"])
    course = Course.objects.create(team=team_b, title="Kids Matter", planned_sessions=8)
    session = make_session(team_b, facility=facility, course=course)
    session.facilitators.add(personas["facilitator"])
    anna = add_person(team_b, "Анна", "Смирнова", gender="female", roles=["prisoner"])
    olga = add_person(team_b, "Ольга", "Петрова", gender="female", roles=["pregnant", "prisoner"])
    baby = add_person(
        team_b, "Миша", "Смирнов", birth_date=timezone.localdate() - dt.timedelta(days=400)
    )
    mother_of(baby, anna)
    ivan = add_person(team_b, "Иван", "Кузнецов", gender="male", roles=["relative"])
    withdrawn = add_person(team_b, "Людмила", "Соколова", gender="female")
    mother_of(add_person(team_b, "Саша", "Соколов"), withdrawn)
    for person in (anna, olga):
        Enrolment.objects.create(course=course, person=person)
    Enrolment.objects.create(
        course=course,
        person=withdrawn,
        status="withdrawn",
        withdrawn_on=timezone.localdate(),
        withdrawal_reason="Moved to another colony",
    )
    return World(session, course, facility, anna, olga, baby, ivan, withdrawn)
