import datetime as dt
import re
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db.models import F

from kinbridge.accounts.models import Team
from kinbridge.audit.models import AuditEvent
from kinbridge.demo import namebank
from kinbridge.demo.generator import RefusedInProduction, generate_registry
from kinbridge.facilities.models import Facility
from kinbridge.lib import names
from kinbridge.lib.codes import ALPHABET
from kinbridge.people.models import (
    PARENT_KINDS,
    Person,
    PersonRole,
    PersonTeam,
    Relationship,
    RelationshipKind,
)

pytestmark = pytest.mark.django_db


def _people_after(last_id: int) -> list[tuple]:
    return list(
        Person.objects.filter(pk__gt=last_id)
        .order_by("pk")
        .values_list("given_name", "family_name", "patronymic", "birth_date", "gender")
    )


def _last_id() -> int:
    return Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_the_same_seed_gives_the_same_people(team_a, team_b):
    start = _last_id()
    generate_registry(people=150, seed=7)
    middle = _last_id()
    generate_registry(people=150, seed=7)
    end = _last_id()
    generate_registry(people=150, seed=8)

    first, second = _people_after(start)[:150], _people_after(middle)[:150]
    assert len(first) == len(second) == 150
    assert first == second
    assert _people_after(end) != first
    # Reference codes stay unique across runs.
    assert Person.objects.values("reference").distinct().count() == Person.objects.count()


@pytest.fixture
def registry(db):
    run = generate_registry(people=600, seed=11, team_count=3)  # Russian, Lithuanian, English
    assert Person.objects.count() == 600
    return run


def test_rows_have_the_fields_create_person_derives(registry):
    code = re.compile(rf"^P-[{ALPHABET}]{{6}}$")
    for person in Person.objects.all():
        assert code.match(person.reference)
        name_latin, search_key = person.name_latin, person.search_key
        person.refresh_names()
        assert (person.name_latin, person.search_key) == (name_latin, search_key)
        assert person.given_name
        assert not (person.birth_date and person.birth_year)
    teams = set(Team.objects.values_list("pk", flat=True))
    linked = Counter(PersonTeam.objects.values_list("person_id", flat=True))
    assert set(linked) == set(Person.objects.values_list("pk", flat=True))
    assert set(PersonTeam.objects.values_list("team_id", flat=True)) <= teams
    assert not PersonRole.objects.filter(end__lt=F("start")).exists()


def test_families_are_plausible(registry):
    people = {p.pk: p for p in Person.objects.all()}
    links = list(Relationship.objects.all())
    assert {link.kind for link in links} >= {
        RelationshipKind.MOTHER,
        RelationshipKind.FATHER,
        RelationshipKind.GRANDPARENT,
        RelationshipKind.SIBLING,
        RelationshipKind.PARTNER,
    }
    parents = defaultdict(set)
    lives_with = Counter()
    for link in links:
        assert link.person_id != link.relative_id
        if link.kind in PARENT_KINDS:
            parents[link.person_id].add(link.relative_id)
        if link.lives_with:
            lives_with[link.person_id] += 1
        if link.kind in (
            RelationshipKind.MOTHER,
            RelationshipKind.FATHER,
            RelationshipKind.GRANDPARENT,
        ):
            child, elder = people[link.person_id], people[link.relative_id]
            elder_year = elder.birth_date.year if elder.birth_date else elder.birth_year
            if elder_year:  # some relatives' birth is not known at all
                assert child.birth_date.year - elder_year >= 14, (child, elder)

    # No one is their own ancestor.
    def ancestors(pk, seen):
        for parent in parents[pk]:
            assert parent not in seen, "cycle of parenthood"
            ancestors(parent, seen | {parent})

    for pk in list(parents):
        ancestors(pk, {pk})
    # A child lives with one carer at most, and most children with one.
    assert max(lives_with.values()) == 1
    children = set(PersonRole.objects.filter(role="child").values_list("person_id", flat=True))
    assert len(children & set(lives_with)) > 0.8 * len(children)
    today = dt.date.today()
    under_three = [pk for pk in children if (today - people[pk].birth_date).days < 3 * 365]
    assert under_three
    # Prisoners are mostly women, and some carers hold parental responsibility.
    prisoners = PersonRole.objects.filter(role="prisoner").values_list("person__gender", flat=True)
    assert Counter(prisoners)["female"] > 0.6 * len(prisoners)
    assert Relationship.objects.filter(
        kind=RelationshipKind.GRANDPARENT, parental_responsibility=True, lives_with=True
    ).exists()
    assert registry.families and registry.families[0].prisoner.pk


def test_names_follow_each_languages_grammar(registry):
    women = Person.objects.filter(gender="female")
    family_names = list(women.values_list("family_name", flat=True))
    assert any(re.search(r"(ова|ева|ина)$", name) for name in family_names)
    assert any(re.search(r"(ienė|aitė|ytė|utė|iūtė)$", name) for name in family_names)
    assert Person.objects.exclude(patronymic="").filter(patronymic__endswith="вна").exists()
    assert Person.objects.filter(languages__startswith="en").exists()
    assert all(
        email.endswith("@example.org")
        for email in Person.objects.exclude(email="").values_list("email", flat=True)
    )
    assert namebank.family_name("lt", "Kazlauskas", "female", married=True) == "Kazlauskienė"
    assert namebank.family_name("lt", "Butkus", "female") == "Butkutė"
    assert namebank.family_name("lt", "Stankevičius", "female") == "Stankevičiūtė"
    assert namebank.family_name("ru", "Островский", "female") == "Островская"
    assert namebank.family_name("ru", "Шевченко", "female") == "Шевченко"
    assert namebank.family_name("ky", "Жумабаев", "female") == "Жумабаева"
    # A son takes the masculine form of his mother's name.
    for woman, man in [
        ("Иванова", "Иванов"),
        ("Островская", "Островский"),
        ("Толстая", "Толстой"),
        ("Шевченко", "Шевченко"),
    ]:
        assert namebank.masculine("ru", woman) == man


def test_search_finds_generated_cyrillic_people_by_latin_query(registry):
    person = Person.objects.filter(family_name__regex=r"^[А-Я][а-яё]+ва$").first()  # noqa: RUF001
    assert person is not None
    query = names.to_latin(person.family_name)  # e.g. Ivanova
    assert person in Person.objects.search(query)
    assert person in Person.objects.search(person.reference.lower())


def test_facilities_once_with_childrens_units(registry):
    colonies = Facility.objects.filter(name__startswith="ИК-")
    assert colonies.count() == 34
    assert colonies.filter(child_age_limit_months=36).count() == 12
    assert Facility.objects.filter(region__country="GB", child_age_limit_months=18).exists()
    before = Facility.objects.count()
    run = generate_registry(people=0, seed=1)
    assert Facility.objects.count() == before
    assert "facilities" not in run.counts


def test_one_audit_event_for_the_whole_run(team_a, admin_user):
    before = AuditEvent.objects.count()
    generate_registry(admin_user, people=300, seed=3)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert event.actor == admin_user
    assert event.extra["seed"] == 3
    assert event.extra["counts"]["people"] == 300


def test_only_administrators_generate(personas):
    with pytest.raises(PermissionDenied):
        generate_registry(personas["caseworker"], people=10)
    assert Person.objects.count() == 0


def test_generated_teams_when_asked(db):
    run = generate_registry(people=40, seed=1, team_count=2, facilities=False)
    assert [team.name for team in run.teams] == ["Generated team 1", "Generated team 2"]
    assert Facility.objects.count() == 0
    assert PersonTeam.objects.filter(team__name="Generated team 1").exists()


def test_refused_in_production_unless_forced(settings, team_a):
    settings.PRODUCTION = True
    with pytest.raises(RefusedInProduction):
        generate_registry(people=10)
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_registry", "--people", "10", stdout=StringIO())
    assert Person.objects.count() == 0
    out = StringIO()
    call_command("generate_registry", "--people", "10", "--force", stdout=out)
    assert Person.objects.count() == 10
    assert "people 10" in out.getvalue()
