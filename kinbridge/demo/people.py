"""A small demo registry: mothers with babies in a colony, relatives in Lithuania.

Idempotent: a person already present (same names and date of birth) is kept.
"""

from __future__ import annotations

import datetime as dt

from kinbridge.accounts.models import Team
from kinbridge.people import actions
from kinbridge.people.models import Person, PersonRoleKind, RelationshipKind

# key, team, given, family, patronymic, born, gender, languages, roles
PEOPLE = [
    (
        "maria",
        "Mothers in colonies",
        "Мария",
        "Иванова",
        "Сергеевна",
        dt.date(1998, 4, 17),
        "female",
        "ru",
        [PersonRoleKind.PRISONER],
    ),
    (
        "artyom",
        "Mothers in colonies",
        "Артём",
        "Иванов",
        "",
        dt.date(2025, 3, 10),
        "male",
        "ru",
        [PersonRoleKind.CHILD],
    ),
    (
        "galina",
        "Mothers in colonies",
        "Галина",
        "Иванова",
        "Петровна",
        dt.date(1971, 9, 2),
        "female",
        "ru",
        [PersonRoleKind.RELATIVE],
    ),
    (
        "elena",
        "Mothers in colonies",
        "Елена",
        "Смирнова",
        "Игоревна",
        dt.date(2001, 1, 23),
        "female",
        "ru",
        [PersonRoleKind.PRISONER],
    ),
    (
        "sarune",
        "Family support Vilnius",
        "Šarūnė",
        "Kazlauskienė",
        "",
        dt.date(1989, 6, 5),
        "female",
        "lt",
        [PersonRoleKind.RELATIVE],
    ),
    (
        "tomas",
        "Family support Vilnius",
        "Tomas",
        "Kazlauskas",
        "",
        dt.date(1987, 11, 30),
        "male",
        "lt",
        [PersonRoleKind.PRISONER],
    ),
    (
        "ugne",
        "Family support Vilnius",
        "Ugnė",
        "Kazlauskaitė",
        "",
        dt.date(2016, 2, 14),
        "female",
        "lt",
        [PersonRoleKind.CHILD],
    ),
    # Maria again, registered a second time in Latin letters by a volunteer's
    # paper form: the possible-duplicates list shows the pair, ready to merge.
    (
        "maria_again",
        "Mothers in colonies",
        "Mariya",
        "Ivanova",
        "",
        dt.date(1998, 4, 17),
        "female",
        "ru",
        [PersonRoleKind.RELATIVE],
    ),
]
# (child key, relative key, kind, parental responsibility, lives with)
LINKS = [
    ("artyom", "maria", RelationshipKind.MOTHER, True, True),
    ("maria", "galina", RelationshipKind.MOTHER, False, False),
    ("artyom", "galina", RelationshipKind.GRANDPARENT, False, False),
    ("ugne", "sarune", RelationshipKind.MOTHER, True, True),
    ("ugne", "tomas", RelationshipKind.FATHER, True, False),
    ("tomas", "sarune", RelationshipKind.PARTNER, False, False),
]


def load() -> dict[str, Person]:
    """The demo people by key (``maria``, ``artyom``…), for the loaders that follow."""
    people = {}
    for key, team_name, given, family, patronymic, born, gender, languages, roles in PEOPLE:
        person = Person.objects.filter(
            given_name=given, family_name=family, birth_date=born
        ).first()
        people[key] = person or actions.create_person(
            None,
            teams=[Team.objects.get(name=team_name)],
            roles=roles,
            given_name=given,
            family_name=family,
            patronymic=patronymic,
            birth_date=born,
            gender=gender,
            languages=languages,
        )
    for child, relative, kind, responsibility, lives_with in LINKS:
        if not people[child].relatives.filter(relative=people[relative], kind=kind).exists():
            actions.add_relationship(
                None,
                people[child],
                people[relative],
                kind,
                parental_responsibility=responsibility,
                lives_with=lives_with,
            )
    return people
