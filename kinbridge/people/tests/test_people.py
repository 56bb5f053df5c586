import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.people import actions
from kinbridge.people.models import Person, RelationshipKind


def add(team, given, family="", born=None, actor=None, **extra):
    return actions.create_person(
        actor, teams=[team], given_name=given, family_name=family, birth_date=born, **extra
    )


@pytest.fixture
def registry(team_a, team_b):
    return {
        "maria": add(team_b, "Мария", "Иванова", dt.date(1998, 4, 17), roles=["prisoner"]),
        "sarune": add(team_a, "Šarūnė", "Kazlauskienė", dt.date(1989, 6, 5)),
        "julija": add(team_a, "Julija", "Petrova"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Ivanova", ["Мария"]),
        ("иванова мария", ["Мария"]),
        ("Mariia", ["Мария"]),
        ("Maria", ["Мария"]),
        ("sarune", ["Šarūnė"]),
        ("KAZLAUSKIENE", ["Šarūnė"]),
        ("Юлия", ["Julija"]),
        ("1998-04-17", ["Мария"]),
        ("17.04.1998", ["Мария"]),
        ("Smith", []),
    ],
)
def test_search_crosses_scripts_spellings_and_dates(registry, query, expected):
    found = Person.objects.search(query)
    assert sorted(person.given_name for person in found) == expected


@pytest.mark.django_db
def test_search_by_reference_code(registry):
    code = registry["maria"].reference
    assert list(Person.objects.search(code.lower())) == [registry["maria"]]


@pytest.mark.django_db
def test_people_are_scoped_by_team_and_hidden_with_404(client, personas, registry):
    maria = registry["maria"]  # team B
    client.force_login(personas["caseworker"])  # team A
    listing = client.get(reverse("people:list"))
    names = {person.given_name for person in listing.context["people"]}
    assert names == {"Šarūnė", "Julija"}
    assert client.get(reverse("people:list"), {"q": "Ivanova"}).context["people"] == []
    assert client.get(reverse("people:detail", args=[maria.pk])).status_code == 404
    assert client.get(reverse("people:edit", args=[maria.pk])).status_code == 404
    assert client.get(f"/api/v1/people/{maria.pk}/").status_code == 404
    assert [
        p["given_name"] for p in client.get("/api/v1/people/", {"q": "Ivanova"}).json()["results"]
    ] == []

    client.force_login(personas["caseworker_b"])
    assert client.get(reverse("people:detail", args=[maria.pk])).status_code == 200
    assert AuditEvent.objects.filter(action=Action.READ, object_id=str(maria.pk)).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["analyst", "volunteer"])
def test_analysts_and_volunteers_see_no_names(client, personas, registry, persona):
    client.force_login(personas[persona])
    assert client.get(reverse("people:list")).status_code == 403
    assert client.get(f"/api/v1/people/{registry['sarune'].pk}/").status_code == 403
    assert "Šarūnė" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_administrator_shares_a_person_with_another_team(personas, registry, team_a):
    maria = registry["maria"]
    caseworker_a = personas["caseworker"]
    assert not Person.objects.visible_to(caseworker_a).filter(pk=maria.pk).exists()
    actions.share_person(personas["administrator"], maria, team_a)
    caseworker_a.__dict__.pop("team_ids", None)
    assert Person.objects.visible_to(caseworker_a).filter(pk=maria.pk).exists()


@pytest.mark.django_db
def test_creating_a_person_through_the_form(client, personas, team_a):
    client.force_login(personas["caseworker"])
    response = client.post(
        reverse("people:create"),
        {
            "given_name": "Ona",
            "family_name": "Jonaitienė",
            "gender": "female",
            "languages": "LT, ru",
            "teams": [team_a.pk],
            "roles": ["relative"],
            "birth_year": 1970,
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(given_name="Ona")
    assert person.reference.startswith("P-")
    assert person.languages == "lt, ru"
    assert person.search_key == "ona ionaitiene"
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="people.person")
    assert event.object_repr == person.reference  # the trail names a reference, not a person


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"birth_date": "2999-01-01"}, "birth_date", "cannot be in the future"),
        ({"birth_year": "2999"}, "birth_year", "cannot be in the future"),
        ({"birth_date": "1990-01-01", "birth_year": "1990"}, "birth_year", "not both"),
        ({"given_name": ""}, "given_name", "This field is required"),
        ({"languages": "russian!"}, "languages", "language codes"),
        ({"email": "nope"}, "email", "valid email"),
        ({"given_name": "x" * 101}, "given_name", "at most 100 characters"),
    ],
)
def test_bad_person_input_is_refused_at_the_field(
    client, personas, team_a, changes, field, message
):
    client.force_login(personas["caseworker"])
    data = {"given_name": "Ona", "gender": "female", "teams": [team_a.pk], **changes}
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_cannot_add_people_to_another_team(client, personas, team_b):
    client.force_login(personas["caseworker"])
    response = client.post(
        reverse("people:create"), {"given_name": "Ona", "gender": "female", "teams": [team_b.pk]}
    )
    assert response.status_code == 200
    assert "teams" in response.context["form"].errors
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_a_stale_edit_is_refused_and_shows_the_newer_version(personas, registry):
    sarune = registry["sarune"]
    first, second = Client(), Client()
    first.force_login(personas["caseworker"])
    second.force_login(personas["administrator"])
    base = {
        "given_name": "Šarūnė",
        "family_name": "Kazlauskienė",
        "gender": "female",
        "version": sarune.version,
    }
    assert (
        first.post(
            reverse("people:edit", args=[sarune.pk]), {**base, "phone": "+37060000001"}
        ).status_code
        == 302
    )
    response = second.post(
        reverse("people:edit", args=[sarune.pk]), {**base, "phone": "+37060000002"}
    )
    assert response.status_code == 200
    assert "Someone else saved this person" in response.content.decode()
    assert response.context["conflict"].phone == "+37060000001"
    sarune.refresh_from_db()
    assert sarune.phone == "+37060000001"
    assert sarune.version == 2


@pytest.mark.django_db
def test_relationships_refuse_self_and_parenthood_cycles(personas, registry, team_a):
    actor = personas["administrator"]
    mother = add(team_a, "Ona")
    child = add(team_a, "Ugnė")
    grandchild = add(team_a, "Rūta")
    actions.add_relationship(actor, child, mother, RelationshipKind.MOTHER)
    actions.add_relationship(actor, grandchild, child, RelationshipKind.MOTHER)
    with pytest.raises(ValidationError, match="their own relative"):
        actions.add_relationship(actor, child, child, RelationshipKind.SIBLING)
    with pytest.raises(ValidationError, match="their own ancestor"):
        actions.add_relationship(actor, mother, grandchild, RelationshipKind.MOTHER)
    with pytest.raises(ValidationError, match="already recorded"):
        actions.add_relationship(actor, child, mother, RelationshipKind.MOTHER)
    # Not parenthood, so no cycle: siblings both ways are fine.
    actions.add_relationship(actor, child, grandchild, RelationshipKind.OTHER)


@pytest.mark.django_db
def test_family_tab_adds_a_relative(client, personas, registry, team_a):
    child = add(team_a, "Ugnė", "Kazlauskaitė")
    client.force_login(personas["caseworker"])
    page = client.get(
        reverse("people:detail", args=[child.pk]), {"tab": "family", "find": "sarune"}
    )
    assert [c.given_name for c in page.context["candidates"]] == ["Šarūnė"]
    client.post(
        reverse("people:relationship_add", args=[child.pk]),
        {
            "relative": registry["sarune"].pk,
            "kind": "mother",
            "lives_with": "on",
            "parental_responsibility": "on",
        },
    )
    family = client.get(reverse("people:detail", args=[child.pk]), {"tab": "family"})
    assert "lives with them now" in family.content.decode()
    # A relative from another team cannot be linked: 404, nothing saved.
    response = client.post(
        reverse("people:relationship_add", args=[child.pk]),
        {"relative": registry["maria"].pk, "kind": "mother"},
    )
    assert response.status_code == 404
    assert child.relatives.count() == 1


@pytest.mark.django_db
def test_api_creates_and_validates(client, personas, team_a, team_b):
    client.force_login(personas["caseworker"])
    ok = client.post(
        "/api/v1/people/",
        {"given_name": "Ona", "teams": [team_a.pk], "role_list": ["relative"]},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["roles"] == ["relative"]
    bad = client.post(
        "/api/v1/people/",
        {"given_name": "Ona", "teams": [team_a.pk], "birth_date": "2999-01-01"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "birth_date" in bad.json()
    foreign = client.post(
        "/api/v1/people/",
        {"given_name": "Ona", "teams": [team_b.pk]},
        content_type="application/json",
    )
    assert foreign.status_code == 403
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_people_list_and_api_queries_stay_constant(
    client, personas, team_a, assert_constant_queries
):
    client.force_login(personas["caseworker"])
    numbers = itertools.count()

    def grow():
        for _ in range(15):
            add(team_a, f"Ona{next(numbers)}", roles=["relative", "volunteer"])

    grow()  # from a non-empty list: an empty one skips the roles prefetch
    assert_constant_queries(lambda: client.get(reverse("people:list")), grow)
    assert_constant_queries(lambda: client.get(reverse("people:list"), {"q": "ona"}), grow)
    assert_constant_queries(lambda: client.get("/api/v1/people/"), grow)
