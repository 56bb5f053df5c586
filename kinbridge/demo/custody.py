"""Demo custody: mothers in colonies, a transfer, babies in a children's home.

Dates are relative to the day the demo is loaded, so the planning page always
has something to show: a child near the stay limit who also reaches it
before the mother's release, and a child whose stay is extended until the
mother's release, which is near. Idempotent: a person who already has custody recorded is
left as is.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kinbridge.accounts.models import Region, Team
from kinbridge.custody import actions
from kinbridge.custody.models import CustodyStatus
from kinbridge.facilities.models import Facility, FacilityKind
from kinbridge.lib.dates import add_months
from kinbridge.people import actions as people_actions
from kinbridge.people.models import Person, PersonRoleKind, RelationshipKind

COLONY_UNIT = {
    "kind": FacilityKind.WOMENS_COLONY,
    "children_capacity": 60,
    "child_age_limit_months": 36,
    "extension_if_release_within_months": 12,
}
# name, region, country, rules
FACILITIES = [
    ("IK-15", "Samara Region", "RU", COLONY_UNIT),
    ("IK-18", "Rostov Region", "RU", COLONY_UNIT),
    ("IK-5", "Moscow Region", "RU", COLONY_UNIT),
    (
        "HMP Eastwood Park",
        "Gloucestershire",
        "GB",
        {"kind": FacilityKind.PRISON, "children_capacity": 12, "child_age_limit_months": 18},
    ),
]
TEAM = "Mothers in colonies"


def facilities() -> dict[str, Facility]:
    found = {}
    for name, region_name, country, rules in FACILITIES:
        region, _created = Region.objects.get_or_create(name=region_name, country=country)
        found[name], _created = Facility.objects.get_or_create(
            region=region, name=name, defaults=rules
        )
    return found


def _person(given, family, patronymic, born, *, role, gender) -> Person:
    """A demo person added here (their birth date moves with today, so match by name)."""
    person = Person.objects.filter(given_name=given, family_name=family).first()
    return person or people_actions.create_person(
        None,
        teams=[Team.objects.get(name=TEAM)],
        roles=[role],
        given_name=given,
        family_name=family,
        patronymic=patronymic,
        birth_date=born,
        gender=gender,
        languages="ru",
    )


def _mother_of(child: Person, mother: Person) -> None:
    if not child.relatives.filter(relative=mother, kind=RelationshipKind.MOTHER).exists():
        people_actions.add_relationship(
            None,
            child,
            mother,
            RelationshipKind.MOTHER,
            parental_responsibility=True,
            lives_with=True,
        )


def load(people: dict[str, Person]) -> int:
    """Record demo custody for the demo people; return the number of episodes added."""
    today = timezone.localdate()
    places = facilities()
    added = 0

    # Maria Ivanova: sentenced in IK-15, released in about ten months; her son
    # Artyom (born 2025) lives with her in the children's home.
    maria = people["maria"]
    if not maria.custody_episodes.exists():
        actions.record_episode(
            None,
            maria,
            facility=places["IK-15"],
            status=CustodyStatus.SENTENCED,
            start=dt.date(2024, 11, 5),
            expected_release=add_months(today, 10),
            parole_eligibility=add_months(today, 4),
        )
        added += 1
        _mother_of(people["artyom"], maria)
        actions.place_child(
            None, child=people["artyom"], mother=maria, start=people["artyom"].birth_date
        )

    # Elena Smirnova: sentenced in IK-18, where her daughter was born, then
    # transferred with the child to IK-15. The daughter reaches the 36-month
    # limit in about seven weeks, long before Elena's release (no extension):
    # she is on both planning lists.
    elena = people["elena"]
    if not elena.custody_episodes.exists():
        first = actions.record_episode(
            None,
            elena,
            facility=places["IK-18"],
            status=CustodyStatus.SENTENCED,
            start=add_months(today, -40),
            expected_release=add_months(today, 30),
        )
        born = add_months(today, -36) + dt.timedelta(days=50)
        vera = _person("Вероника", "Смирнова", "", born, role=PersonRoleKind.CHILD, gender="female")
        _mother_of(vera, elena)
        actions.place_child(None, child=vera, mother=elena, start=born)
        actions.transfer(
            None,
            first,
            facility=places["IK-15"],
            date=add_months(today, -14),
            children_move_with_her=True,
        )
        added += 2

    # Olga Kuznetsova in IK-5: released about ten weeks from now, six weeks after
    # her son turns three; under the extension rule he may stay with her until
    # her release. Both appear on the planning lists.
    olga = _person(
        "Ольга",
        "Кузнецова",
        "Андреевна",
        dt.date(1995, 7, 12),
        role=PersonRoleKind.PRISONER,
        gender="female",
    )
    if not olga.custody_episodes.exists():
        born = add_months(today, -35)
        actions.record_episode(
            None,
            olga,
            facility=places["IK-5"],
            status=CustodyStatus.SENTENCED,
            start=add_months(today, -38),
            expected_release=today + dt.timedelta(days=75),
        )
        added += 1
        ivan = _person("Иван", "Кузнецов", "", born, role=PersonRoleKind.CHILD, gender="male")
        _mother_of(ivan, olga)
        actions.place_child(None, child=ivan, mother=olga, start=born)
    return added
