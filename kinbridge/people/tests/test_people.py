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
    [link] = family.context["relatives"]
    assert (link.relative, link.kind, link.lives_with) == (registry["sarune"], "mother", True)
    assert "This person lives with them" in family.content.decode()
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


@pytest.mark.django_db
def test_roles_end_and_keep_their_history(client, personas, registry):
    sarune = registry["sarune"]
    client.force_login(personas["caseworker"])
    client.post(
        reverse("people:role_add", args=[sarune.pk]), {"role": "volunteer", "start": "2026-05-01"}
    )
    facet = sarune.roles.get(role="volunteer")
    assert facet.start == dt.date(2026, 5, 1)
    too_early = client.post(
        reverse("people:role_end", args=[sarune.pk, facet.pk]), {"end": "2026-04-01"}
    )
    facet.refresh_from_db()
    assert facet.end is None
    assert "cannot be before the start" in client.get(too_early["Location"]).content.decode()
    client.post(reverse("people:role_end", args=[sarune.pk, facet.pk]), {"end": "2026-06-01"})
    facet.refresh_from_db()
    assert facet.end == dt.date(2026, 6, 1)
    page = client.get(reverse("people:detail", args=[sarune.pk])).content.decode()
    assert "Roles over time" in page and "Volunteer" in page
    # Another team's person's role: 404, and nothing changes.
    maria_role = registry["maria"].roles.get()
    response = client.post(reverse("people:role_end", args=[sarune.pk, maria_role.pk]))
    assert response.status_code == 404
    maria_role.refresh_from_db()
    assert maria_role.end is None


@pytest.mark.django_db
def test_relationship_ends_and_the_child_no_longer_lives_there(client, personas, team_a):
    mother, child = add(team_a, "Ona"), add(team_a, "Ugnė")
    link = actions.add_relationship(
        None, child, mother, RelationshipKind.MOTHER, lives_with=True, start=dt.date(2020, 1, 1)
    )
    client.force_login(personas["caseworker"])
    bad = client.post(
        reverse("people:relationship_end", args=[child.pk, link.pk]), {"end": "2019-01-01"}
    )
    assert bad.status_code == 302
    link.refresh_from_db()
    assert link.end is None and link.lives_with
    client.post(
        reverse("people:relationship_end", args=[mother.pk, link.pk]), {"end": "2026-01-01"}
    )
    link.refresh_from_db()
    assert link.end == dt.date(2026, 1, 1) and not link.lives_with
    client.force_login(personas["caseworker_b"])
    assert (
        client.post(reverse("people:relationship_end", args=[child.pk, link.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_list_filters_by_team_and_sorts_by_name_with_keyset_pages(
    client, personas, team_a, team_b, settings, monkeypatch
):
    from kinbridge.people import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for family in ["Petrauskienė", "Adomaitienė", "Jonaitienė", "Butkienė"]:
        add(team_a, "Ona", family)
    add(team_b, "Мария", "Иванова")
    client.force_login(personas["administrator"])
    seen, url, params = [], reverse("people:list"), {"sort": "name", "team": team_a.pk}
    while True:
        page = client.get(url, params)
        seen += [p.family_name for p in page.context["people"]]
        if not page.context["next_query"]:
            break
        url, params = f"{reverse('people:list')}?{page.context['next_query']}", None
    assert seen == ["Adomaitienė", "Butkienė", "Jonaitienė", "Petrauskienė"]
    recent = client.get(reverse("people:list"), {"team": team_b.pk}).context["people"]
    assert [p.family_name for p in recent] == ["Иванова"]
    assert client.get(reverse("people:list"), {"sort": "name", "after": "junk"}).status_code == 302


@pytest.mark.django_db
def test_api_updates_with_version_roles_and_relationships(client, personas, registry, team_a):
    sarune, maria = registry["sarune"], registry["maria"]
    client.force_login(personas["caseworker"])
    url = f"/api/v1/people/{sarune.pk}/"
    ok = client.patch(url, {"phone": "+37060000001", "version": 1}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["phone"] == "+37060000001"
    stale = client.patch(url, {"phone": "+1", "version": 1}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current"]["phone"] == "+37060000001"
    bad = client.patch(
        url, {"birth_date": "2999-01-01", "version": 2}, content_type="application/json"
    )
    assert bad.status_code == 400 and "birth_date" in bad.json()

    child = add(team_a, "Ugnė")
    made = client.post(
        "/api/v1/relationships/",
        {"person": child.pk, "relative": sarune.pk, "kind": "mother", "lives_with": True},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    cycle = client.post(
        "/api/v1/relationships/",
        {"person": sarune.pk, "relative": child.pk, "kind": "mother"},
        content_type="application/json",
    )
    assert cycle.status_code == 400 and "relative" in cycle.json()
    hidden = client.post(
        "/api/v1/relationships/",
        {"person": child.pk, "relative": maria.pk, "kind": "father"},
        content_type="application/json",
    )
    assert hidden.status_code == 400 and child.relatives.count() == 1
    ended = client.post(
        f"/api/v1/relationships/{made.json()['id']}/end/", {}, content_type="application/json"
    )
    assert ended.status_code == 200 and ended.json()["end"]

    role = client.post(
        "/api/v1/person-roles/",
        {"person": sarune.pk, "role": "volunteer"},
        content_type="application/json",
    )
    assert role.status_code == 201
    listed = client.get("/api/v1/person-roles/", {"person": sarune.pk}).json()["results"]
    assert [r["role"] for r in listed] == ["volunteer"]
    assert client.get("/api/v1/person-roles/", {"person": maria.pk}).json()["results"] == []
    again = client.post(
        "/api/v1/person-roles/",
        {"person": sarune.pk, "role": "volunteer"},
        content_type="application/json",
    )
    assert again.status_code == 400 and "role" in again.json()


@pytest.mark.django_db
def test_role_and_relationship_api_lists_stay_constant(
    client, personas, team_a, assert_constant_queries
):
    client.force_login(personas["caseworker"])
    numbers = itertools.count()

    def grow():
        for _ in range(5):
            parent, child = add(team_a, f"P{next(numbers)}"), add(team_a, f"C{next(numbers)}")
            actions.add_relationship(None, child, parent, RelationshipKind.MOTHER)
            actions.add_role(personas["caseworker"], child, "child")

    grow()
    assert_constant_queries(lambda: client.get("/api/v1/relationships/"), grow)
    assert_constant_queries(lambda: client.get("/api/v1/person-roles/"), grow)


@pytest.mark.django_db
def test_administrator_shares_and_stops_sharing_through_the_page(
    client, personas, registry, team_a, team_b
):
    maria, caseworker_a = registry["maria"], personas["caseworker"]
    client.force_login(personas["administrator"])
    page = client.get(reverse("people:detail", args=[maria.pk]))
    assert [team.name for team in page.context["sharable_teams"]] == ["Team A"]
    client.post(reverse("people:share", args=[maria.pk]), {"team": team_a.pk})
    assert Person.objects.visible_to(caseworker_a).filter(pk=maria.pk).exists()
    again = client.post(reverse("people:share", args=[maria.pk]), {"team": team_a.pk}, follow=True)
    assert "already sees this person" in again.content.decode()
    # The owning team cannot be removed: a person always has a team.
    owner = client.post(
        reverse("people:share", args=[maria.pk]), {"team": team_b.pk, "stop": "1"}, follow=True
    )
    assert "Only a team the person was shared with" in owner.content.decode()
    client.post(reverse("people:share", args=[maria.pk]), {"team": team_a.pk, "stop": "1"})
    caseworker_a.__dict__.pop("team_ids", None)
    assert not Person.objects.visible_to(caseworker_a).filter(pk=maria.pk).exists()
    assert list(maria.teams.all()) == [team_b]
    # Staff of the person's own team see it but cannot share it.
    client.force_login(personas["caseworker_b"])
    assert (
        client.post(reverse("people:share", args=[maria.pk]), {"team": team_a.pk}).status_code
        == 403
    )
    assert (
        "Share with the team"
        not in client.get(reverse("people:detail", args=[maria.pk])).content.decode()
    )


@pytest.mark.django_db
def test_api_shares_for_administrators_only(client, personas, registry, team_a):
    maria = registry["maria"]
    url = f"/api/v1/people/{maria.pk}/share/"
    client.force_login(personas["caseworker_b"])
    assert client.post(url, {"team": team_a.pk}, content_type="application/json").status_code == 403
    client.force_login(personas["administrator"])
    ok = client.post(url, {"team": team_a.pk}, content_type="application/json")
    assert ok.status_code == 204
    assert maria.team_links.get(team=team_a).shared
    twice = client.post(url, {"team": team_a.pk}, content_type="application/json")
    assert twice.status_code == 400 and "team" in twice.json()
    stop = client.post(url, {"team": team_a.pk, "stop": True}, content_type="application/json")
    assert stop.status_code == 204 and not maria.team_links.filter(team=team_a).exists()
