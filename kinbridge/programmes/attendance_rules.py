"""Who is expected at a session, and who is outside its audience.

The audience rule lives in one function, :func:`fits_audience`, over plain
facts about a person on the day of the session (:class:`AudienceFacts`).
The facts are read in bulk (:func:`audience_facts`, two queries whatever
the number of people), so a roster of fifty people costs what one costs.
Roles count as the KPI engine counts them: held on the day of the session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from kinbridge.people.models import (
    Gender,
    Person,
    PersonRole,
    PersonRoleKind,
    Relationship,
    RelationshipKind,
)
from kinbridge.programmes.models import (
    Attendance,
    Audience,
    Enrolment,
    EnrolmentStatus,
    Session,
)

ADULT_AGE = 18
STAFF_ROLES = frozenset({PersonRoleKind.PRISON_STAFF, PersonRoleKind.CHILDRENS_HOME_STAFF})
PROFESSIONAL_ROLES = STAFF_ROLES | {PersonRoleKind.SPECIALIST}


@dataclass(frozen=True)
class AudienceFacts:
    """What the audience rule needs to know about one person on one day."""

    gender: str = Gender.UNKNOWN
    age: int | None = None
    roles: frozenset[str] = frozenset()
    is_mother: bool = False

    @property
    def is_child(self) -> bool:
        if self.age is not None:
            return self.age < ADULT_AGE
        return PersonRoleKind.CHILD in self.roles


def fits_audience(audience, facts: AudienceFacts, *, accompanied: bool = False) -> bool:
    """Whether a person belongs to a session's audience (a list of Audience codes).

    No audience, or "the public", admits anyone. A child who came with an
    adult (``accompanied``) belongs wherever the adult does. Otherwise the
    person must match one of the codes, by roles held on the day, age and
    gender: pregnant women hold the "pregnant" role; mothers are recorded as
    someone's mother or are pregnant (neither can be a man); children are
    under 18 (or hold the "child" role when the age is unknown); prisoners,
    relatives and staff hold that role; professionals are specialists or staff.
    """
    codes = [code for code in (audience or []) if code in Audience.values]
    if not codes or Audience.PUBLIC in codes:
        return True
    if accompanied and facts.is_child:
        return True
    roles = facts.roles
    # A record of a man with a pregnancy or as a mother is a slip: he is not in these audiences.
    woman = facts.gender != Gender.MALE
    pregnant = woman and PersonRoleKind.PREGNANT in roles
    tests = {
        Audience.PREGNANT_WOMEN: pregnant,
        Audience.MOTHERS: pregnant or (woman and facts.is_mother),
        Audience.CHILDREN: facts.is_child,
        Audience.PRISONERS: PersonRoleKind.PRISONER in roles,
        Audience.RELATIVES: PersonRoleKind.RELATIVE in roles,
        Audience.CHILDRENS_HOME_STAFF: PersonRoleKind.CHILDRENS_HOME_STAFF in roles,
        Audience.PRISON_STAFF: PersonRoleKind.PRISON_STAFF in roles,
        Audience.PROFESSIONALS: bool(PROFESSIONAL_ROLES & roles),
    }
    return any(tests[code] for code in codes)


def audience_facts(people, day: dt.date) -> dict[int, AudienceFacts]:
    """Facts about ``people`` (Person objects) on ``day``: two queries for any number."""
    people = list(people)
    ids = [person.pk for person in people]
    roles: dict[int, set[str]] = {pk: set() for pk in ids}
    held = (
        PersonRole.objects.filter(person_id__in=ids)
        .filter(Q(start__isnull=True) | Q(start__lte=day))
        .filter(Q(end__isnull=True) | Q(end__gt=day))
        .values_list("person_id", "role")
    )
    for person_id, role in held:
        roles[person_id].add(role)
    mothers = set(
        Relationship.objects.filter(relative_id__in=ids, kind=RelationshipKind.MOTHER)
        .filter(Q(start__isnull=True) | Q(start__lte=day))
        .values_list("relative_id", flat=True)
    )
    return {
        person.pk: AudienceFacts(
            gender=person.gender,
            age=person.age_on(day),
            roles=frozenset(roles[person.pk]),
            is_mother=person.pk in mothers,
        )
        for person in people
    }


def audience_label(session: Session) -> str:
    return ", ".join(session.get_audience_display()) or _("anyone")


def outside_audience_message(session: Session, person: Person) -> str:
    return _(
        "%(reference)s is outside the audience of this session (%(audience)s). "
        "Record them only with a reason."
    ) % {"reference": person.reference, "audience": audience_label(session)}


def enrolled_ids(session: Session) -> set[int]:
    """People enrolled in the session's course (not waitlisted, not withdrawn)."""
    if session.course_id is None:
        return set()
    return set(
        Enrolment.objects.filter(
            course_id=session.course_id, status=EnrolmentStatus.ENROLLED
        ).values_list("person_id", flat=True)
    )


def expected_people(session: Session) -> tuple[list[Person], set[int]]:
    """Everyone on the roster (enrolees plus anyone already recorded), and the enrolled ids.

    Two queries (three with a course).
    """
    enrolled = enrolled_ids(session)
    recorded = Attendance.objects.filter(session=session).values("person_id")
    people = list(Person.objects.filter(Q(pk__in=enrolled) | Q(pk__in=recorded)))
    return people, enrolled


def name_order(person: Person) -> tuple:
    return (person.family_name.casefold(), person.given_name.casefold(), person.pk)
