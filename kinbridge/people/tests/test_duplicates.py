import datetime as dt
import itertools

import pytest
from django.urls import reverse

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.people import actions
from kinbridge.people.duplicates import Facts, check_new_person, compare
from kinbridge.people.models import Person

BORN = dt.date(1998, 4, 17)


def add(team, given, family="", born=None, **extra):
    return actions.create_person(
        None, teams=[team], given_name=given, family_name=family, birth_date=born, **extra
    )


def facts(given, family="", born=None, year=None, patronymic=""):
    return Facts.of(
        given_name=given,
        family_name=family,
        birth_date=born,
        birth_year=year,
        patronymic=patronymic,
    )


@pytest.mark.parametrize(
    ("new", "old"),
    [
        (facts("Mariya", "Ivanova", BORN), facts("Мария", "Иванова", BORN)),
        (facts("Mariia", "Ivanova", BORN), facts("Maria", "Ivanova", BORN)),
        (facts("Maria", "Ivanowa", BORN), facts("Maria", "Ivanova", BORN)),
        (facts("Šarūnė", "Kazlauskienė", BORN), facts("Sarune", "Kazlauskine", BORN)),
        (facts("Ivanova", "Maria", BORN), facts("Maria", "Ivanova", BORN)),  # swapped
        (
            facts("Maria", "Ivanova", dt.date(1998, 4, 5)),
            facts("Maria", "Ivanova", dt.date(1998, 5, 4)),
        ),
        (facts("Maria", "Ivanova", year=1998), facts("Maria", "Ivanova", BORN)),
        (facts("Maria", "Ivanova", year=1997), facts("Mariya", "Ivanova", year=1998)),
        (facts("Maria", "Ivanova"), facts("Мария", "Иванова", BORN)),  # no birth: same names
        (facts("Maria", "", BORN), facts("Maria", "Ivanova", BORN)),
    ],
)
def test_likely_duplicates(new, old):
    assert compare(new, old) is not None
    assert compare(old, new) is not None


@pytest.mark.parametrize(
    ("new", "old"),
    [
        (facts("Maria", "Ivanova", BORN), facts("Maria", "Ivanova", dt.date(1998, 4, 18))),
        (facts("Maria", "Ivanova", BORN), facts("Olga", "Ivanova", BORN)),  # twins
        (facts("Maria", "Ivanova", BORN), facts("Maria", "Petrova", BORN)),
        (facts("Maria", "Ivanova", year=1995), facts("Maria", "Ivanova", BORN)),
        (facts("Maria", "Ivanova"), facts("Marina", "Ivanova", BORN)),  # no birth: names differ
        (facts("Maria", "", BORN), facts("Mariam", "Ivanova", BORN)),
        (facts("Marie", "Ivanovna", year=1998), facts("Maria", "Ivanova", BORN)),
    ],
)
def test_not_likely_duplicates(new, old):
    assert compare(new, old) is None


def test_a_different_patronymic_is_never_a_strong_match():
    likeness = compare(
        facts("Maria", "Ivanova", BORN, patronymic="Sergeevna"),
        facts("Maria", "Ivanova", BORN, patronymic="Petrovna"),
    )
    assert likeness is not None
    assert not likeness.strong
    same = compare(
        facts("Maria", "Ivanova", BORN, patronymic="Sergeevna"),
        facts("Мария", "Иванова", BORN, patronymic="Сергеевна"),
    )
    assert same.strong
    assert same.score > likeness.score


@pytest.mark.django_db
def test_check_finds_visible_people_and_only_hints_at_hidden_ones(personas, team_a, team_b):
    visible = add(team_a, "Мария", "Иванова", BORN)
    hidden = add(team_b, "Maria", "Ivanova", BORN)
    add(team_a, "Maria", "Ivanova", dt.date(1980, 1, 1))  # another Maria Ivanova
    add(team_a, "Olga", "Ivanova", BORN)  # her twin sister
    check = check_new_person(
        personas["caseworker"],
        {"given_name": "Mariia", "family_name": "Ivanova", "birth_date": BORN},
    )
    assert [candidate.person for candidate in check.candidates] == [visible]
    assert check.elsewhere
    read = AuditEvent.objects.get(action=Action.READ, object_id=str(hidden.pk))
    assert read.actor == personas["caseworker"]
    assert read.extra["via"] == "duplicate check"

    everyone = check_new_person(
        personas["administrator"],
        {"given_name": "Mariia", "family_name": "Ivanova", "birth_date": BORN},
    )
    assert {candidate.person for candidate in everyone.candidates} == {visible, hidden}
    assert not everyone.elsewhere


@pytest.mark.django_db
def test_weak_matches_in_other_teams_say_nothing(personas, team_b):
    add(team_b, "Maria", "Ivanova", year=1998)
    check = check_new_person(
        personas["caseworker"],
        {"given_name": "Maria", "family_name": "Ivanova", "birth_date": BORN},
    )
    assert not check.found
    assert not AuditEvent.objects.filter(action=Action.READ).exists()


@pytest.mark.django_db
def test_erased_people_are_not_candidates(personas, team_a):
    from kinbridge.people.erasure import erase_person

    person = add(team_a, "Maria", "Ivanova", BORN)
    erase_person(personas["administrator"], person, reason="request", confirmation=person.reference)
    check = check_new_person(
        personas["administrator"],
        {"given_name": "Maria", "family_name": "Ivanova", "birth_date": BORN},
    )
    assert not check.found


@pytest.mark.django_db
def test_check_is_one_bounded_query_however_many_people_share_a_birthday(
    personas, team_a, assert_constant_queries
):
    add(team_a, "Maria", "Ivanova", BORN)
    counter = itertools.count()
    fields = {"given_name": "Maria", "family_name": "Ivanova", "birth_date": BORN}

    def grow():
        for _ in range(30):
            add(team_a, f"Anna{next(counter)}", "Petrova", BORN)

    count = assert_constant_queries(lambda: check_new_person(personas["caseworker"], fields), grow)
    assert count <= 3


def form_data(team, **changes):
    return {
        "given_name": "Mariia",
        "family_name": "Ivanova",
        "birth_date": "1998-04-17",
        "gender": "female",
        "teams": [team.pk],
        **changes,
    }


@pytest.mark.django_db
def test_the_create_form_shows_candidates_and_asks_for_confirmation(client, personas, team_a):
    existing = add(team_a, "Мария", "Иванова", BORN)
    client.force_login(personas["caseworker"])
    response = client.post(reverse("people:create"), form_data(team_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("people:detail", args=[existing.pk]) in page
    assert "confirm_not_duplicate" in response.context["confirm_form"].errors
    assert Person.objects.count() == 1

    # A confirmation covers what was shown: saved, and the audit names who was dismissed.
    token = response.context["confirm_form"]["seen_duplicates"].value()
    saved = client.post(
        reverse("people:create"),
        form_data(team_a, confirm_not_duplicate="on", seen_duplicates=token),
    )
    assert saved.status_code == 302
    assert Person.objects.count() == 2
    created = AuditEvent.objects.filter(action=Action.CREATE, object_type="people.person").first()
    assert created.changes["confirmed_not_duplicate_of"][1] == [existing.pk]


@pytest.mark.django_db
def test_a_confirmation_does_not_cover_candidates_not_yet_shown(client, personas, team_a):
    add(team_a, "Мария", "Иванова", BORN)
    client.force_login(personas["caseworker"])
    response = client.post(
        reverse("people:create"),
        form_data(team_a, confirm_not_duplicate="on", seen_duplicates=""),
    )
    assert response.status_code == 200
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_the_create_form_hints_at_another_team_without_names(client, personas, team_a, team_b):
    add(team_b, "Мария", "Иванова", BORN, patronymic="Сергеевна", phone="+7 900 000 00 00")
    client.force_login(personas["caseworker"])
    response = client.post(reverse("people:create"), form_data(team_a))
    page = response.content.decode()
    assert "registered by another team" in page
    for secret in ("Мария", "Иванова", "Сергеевна", "+7 900", "Team B"):
        assert secret not in page
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_api_create_answers_409_with_candidates_until_confirmed(client, personas, team_a, team_b):
    existing = add(team_a, "Мария", "Иванова", BORN)
    add(team_b, "Maria", "Ivanova", BORN)
    client.force_login(personas["caseworker"])
    body = {
        "given_name": "Mariia",
        "family_name": "Ivanova",
        "birth_date": "1998-04-17",
        "teams": [team_a.pk],
    }
    conflict = client.post("/api/v1/people/", body, content_type="application/json")
    assert conflict.status_code == 409
    data = conflict.json()
    assert [candidate["id"] for candidate in data["candidates"]] == [existing.pk]
    assert data["candidates"][0]["reasons"][0] == "same_birth_date"
    assert data["similar_person_in_other_team"] is True
    assert "Maria" not in str(data).replace("Mariia", "")
    assert Person.objects.count() == 2

    created = client.post(
        "/api/v1/people/", {**body, "confirm_not_duplicate": True}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert Person.objects.count() == 3


@pytest.mark.django_db
def test_api_check_duplicates(client, personas, team_a):
    existing = add(team_a, "Šarūnė", "Kazlauskienė", dt.date(1989, 6, 5))
    client.force_login(personas["caseworker"])
    response = client.post(
        "/api/v1/people/check-duplicates/",
        {"given_name": "Sarune", "family_name": "Kazlauskiene", "birth_date": "1989-06-05"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [c["reference"] for c in response.json()["candidates"]] == [existing.reference]
    bad = client.post(
        "/api/v1/people/check-duplicates/",
        {"family_name": "Kazlauskiene", "birth_year": 1800},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"given_name", "birth_year"}


@pytest.mark.django_db
def test_possible_duplicates_list_pairs_within_visible_people(client, personas, team_a, team_b):
    first = add(team_b, "Мария", "Иванова", BORN)
    second = add(team_b, "Mariia", "Ivanova", BORN, preferred_name="Masha")
    add(team_b, "Olga", "Ivanova", BORN)  # a twin: not a pair
    add(team_a, "Maria", "Ivanova", BORN)  # team A: the team B manager does not see her
    client.force_login(personas["programme_manager"])
    response = client.get(reverse("people:duplicates"))
    assert response.status_code == 200
    pairs = [(pair.first, pair.second) for pair in response.context["pairs"]]
    assert pairs == [(first, second)]
    assert reverse("people:merge", args=[first.pk]) not in response.content.decode()

    client.force_login(personas["administrator"])
    response = client.get(reverse("people:duplicates"))
    assert len(response.context["pairs"]) == 3
    assert f"{reverse('people:merge', args=[first.pk])}?other={second.pk}" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_possible_duplicates_list_pages_by_family(client, personas, team_a):
    for family in ("Adamaitė", "Bagdonienė", "Čepulienė"):
        add(team_a, "Ona", family, BORN)
        add(team_a, "Ona", family, BORN)
    from kinbridge.people.duplicates import possible_pairs

    pairs, after = possible_pairs(personas["administrator"], families=2)
    assert [pair.first.family_name for pair in pairs] == ["Adamaitė", "Bagdonienė"]
    pairs, after = possible_pairs(personas["administrator"], after=after, families=2)
    assert [pair.first.family_name for pair in pairs] == ["Čepulienė"]
    assert after is None


@pytest.mark.django_db
def test_possible_duplicates_list_query_count_is_constant(
    client, personas, team_a, assert_constant_queries
):
    counter = itertools.count()

    def grow():
        for _ in range(10):
            family = f"Family{next(counter)}"
            add(team_a, "Ona", family, BORN)
            add(team_a, "Ona", family, BORN)

    grow()
    client.force_login(personas["administrator"])
    assert_constant_queries(lambda: client.get(reverse("people:duplicates")), grow)


@pytest.mark.django_db
def test_many_people_born_the_same_day_are_scored_and_left_out(personas, team_a):
    Person.objects.bulk_create(
        [
            Person(
                reference=f"P-T{index:05d}",
                given_name=f"Name{index}",
                family_name=f"Family{index}",
                search_key=f"name{index} family{index}",
                family_key=f"family{index}",
                name_latin=f"Name{index}",
                birth_date=BORN,
            )
            for index in range(400)
        ]
    )
    add(team_a, "Maria", "Ivanova", BORN)
    check = check_new_person(
        personas["administrator"],
        {"given_name": "Maria", "family_name": "Ivanova", "birth_date": BORN},
    )
    assert len(check.candidates) == 1


@pytest.mark.django_db
def test_candidates_show_even_when_another_field_is_wrong(client, personas, team_a):
    add(team_a, "Мария", "Иванова", BORN)
    client.force_login(personas["caseworker"])
    response = client.post(reverse("people:create"), form_data(team_a, teams=[]))
    assert response.context["duplicates"].found
    assert "teams" in response.context["form"].errors
    token = response.context["confirm_form"]["seen_duplicates"].value()
    # Confirmed, but the team is still missing: the box stays ticked, nothing saved.
    again = client.post(
        reverse("people:create"),
        form_data(team_a, teams=[], confirm_not_duplicate="on", seen_duplicates=token),
    )
    assert again.context["confirm_form"]["confirm_not_duplicate"].value()
    assert not again.context["confirm_form"].errors
    assert Person.objects.count() == 1
