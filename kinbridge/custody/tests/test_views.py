import datetime as dt
import itertools

import pytest
from django.urls import reverse

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.custody import actions
from kinbridge.custody.models import ChildResidence, CustodyEpisode
from kinbridge.custody.tests.conftest import add_person, mother_of, mother_with_baby
from kinbridge.people import actions as people_actions

pytestmark = pytest.mark.django_db


def tab(client, person, name="custody"):
    return client.get(reverse("people:detail", args=[person.pk]), {"tab": name})


def test_the_custody_tab_shows_history_children_and_release(client, personas, family, places):
    maria, artyom = family["maria"], family["artyom"]
    actions.place_child(None, child=artyom, mother=maria, start=dt.date(2025, 3, 10))
    actions.transfer(
        None,
        family["episode"],
        facility=places["ik18"],
        date=dt.date(2026, 4, 1),
        children_move_with_her=True,
    )
    client.force_login(personas["caseworker_b"])
    page = tab(client, maria)
    html = page.content.decode()
    assert page.context["current_episode"].facility.name == "IK-18"
    assert page.context["days_to_release"] == (dt.date(2027, 3, 1) - dt.date(2026, 6, 1)).days
    assert "transferred from IK-15" in html
    assert "may stay until March 10, 2028" in html
    assert "With the mother, transferred to IK-18" in html
    assert "Record a transfer" in html and "Record the release" in html
    # The child's own tab says where he lives, with whom and until when.
    child_page = tab(client, artyom).content.decode()
    assert "Where this child lives with the mother" in child_page
    assert "Мария Иванова" in child_page and "may stay until March 10, 2028" in child_page
    # Reading the tab is part of the audited person read.
    assert AuditEvent.objects.filter(action=Action.READ, object_id=str(maria.pk)).exists()


def test_recording_custody_through_the_form(client, personas, today, team_b, places):
    olga = add_person(team_b, "Ольга")
    client.force_login(personas["caseworker_b"])
    response = client.post(
        reverse("custody:episode_create", args=[olga.pk]),
        {
            "episode-facility": places["ik15"].pk,
            "episode-status": "remand",
            "episode-start": "2026-05-01",
            "episode-expected_release": "2027-05-01",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?tab=custody")
    episode = CustodyEpisode.objects.get(person=olga)
    assert (episode.status, episode.expected_release) == ("remand", dt.date(2027, 5, 1))
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="custody.custodyepisode", actor=personas["caseworker_b"]
    ).exists()

    response = client.post(
        reverse("custody:episode_update", args=[episode.pk]),
        {"edit-status": "sentenced", "edit-start": "2026-05-01", "edit-expected_release": ""},
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert (episode.status, episode.expected_release) == ("sentenced", None)


@pytest.mark.parametrize(
    ("url", "data", "form", "field", "message"),
    [
        (
            "custody:episode_release",
            {"release-date": "2024-01-01"},
            "release_form",
            "date",
            "cannot be before custody began",
        ),
        (
            "custody:episode_transfer",
            {"transfer-facility": "ik15", "transfer-date": "2026-05-01"},
            "transfer_form",
            "facility",
            "already at IK-15",
        ),
        (
            "custody:episode_update",
            {
                "edit-status": "sentenced",
                "edit-start": "2025-01-10",
                "edit-parole_eligibility": "2020-01-01",
            },
            "update_form",
            "parole_eligibility",
            "Parole eligibility cannot be before",
        ),
    ],
)
def test_bad_input_shows_the_error_at_the_field_and_saves_nothing(
    client, personas, family, places, url, data, form, field, message
):
    data = {key: places[value].pk if value in places else value for key, value in data.items()}
    client.force_login(personas["caseworker_b"])
    before = AuditEvent.objects.filter(action__in=[Action.CREATE, Action.UPDATE]).count()
    response = client.post(reverse(url, args=[family["episode"].pk]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context[form].errors[field])
    assert 'aria-invalid="true"' in response.content.decode()
    episode = CustodyEpisode.objects.get()
    assert (episode.end, episode.status, episode.parole_eligibility) == (None, "sentenced", None)
    assert AuditEvent.objects.filter(action__in=[Action.CREATE, Action.UPDATE]).count() == before


def test_overlapping_custody_is_refused_in_the_form(client, personas, family, places):
    client.force_login(personas["caseworker_b"])
    response = client.post(
        reverse("custody:episode_create", args=[family["maria"].pk]),
        {
            "episode-facility": places["ik18"].pk,
            "episode-status": "released",
            "episode-start": "2025-06-01",
            "episode-end": "2025-08-01",
        },
    )
    assert response.status_code == 200
    assert "still open" in response.context["episode_form"].errors["start"][0]
    assert CustodyEpisode.objects.count() == 1


def test_placing_a_child_and_ending_the_stay_through_the_forms(client, personas, family, team_b):
    maria, artyom = family["maria"], family["artyom"]
    galina = add_person(team_b, "Галина", "Иванова")
    people_actions.add_relationship(None, artyom, galina, "grandparent")
    client.force_login(personas["caseworker_b"])
    page = tab(client, maria)
    assert [choice[0] for choice in page.context["place_form"].fields["child"].choices] == [
        artyom.pk
    ]
    assert "IK-15: 0 of 3 places taken." in page.content.decode()
    refused = client.post(
        reverse("custody:stay_create", args=[maria.pk]),
        {"child-child": artyom.pk, "child-start": "2025-02-01"},
    )
    assert "born on March 10, 2025" in refused.context["place_form"].errors["start"][0]
    response = client.post(
        reverse("custody:stay_create", args=[maria.pk]),
        {"child-child": artyom.pk, "child-start": "2025-03-10"},
    )
    assert response.status_code == 302
    stay = ChildResidence.objects.get()

    page = tab(client, maria)
    end_form = page.context["children_with_her"][0].end_form
    assert [label for _pk, label in end_form.fields["carer"].choices][1:] == [
        "Мария Иванова",
        "Галина Иванова",
    ]
    key = f"leave-{stay.pk}"
    refused = client.post(
        reverse("custody:stay_end", args=[stay.pk]), {f"{key}-date": "2026-05-30"}
    )
    assert refused.status_code == 200
    assert refused.context["children_with_her"][0].end_form.errors["next_place"]
    response = client.post(
        reverse("custody:stay_end", args=[stay.pk]),
        {
            f"{key}-date": "2026-05-30",
            f"{key}-next_place": "With the mother's relatives",
            f"{key}-carer": galina.pk,
        },
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert (stay.end, stay.carer) == (dt.date(2026, 5, 30), galina)
    assert "cared for by Галина Иванова" in tab(client, artyom).content.decode()


def test_release_form_asks_about_the_children(client, personas, family):
    maria, artyom = family["maria"], family["artyom"]
    actions.place_child(None, child=artyom, mother=maria, start=dt.date(2025, 3, 10))
    client.force_login(personas["caseworker_b"])
    url = reverse("custody:episode_release", args=[family["episode"].pk])
    refused = client.post(url, {"release-date": "2026-05-31"})
    assert "Tick “The children leave with her”" in " ".join(
        refused.context["release_form"].errors["children_leave_with_her"]
    )
    assert CustodyEpisode.objects.get().is_open
    done = client.post(url, {"release-date": "2026-05-31", "release-children_leave_with_her": "on"})
    assert done.status_code == 302
    assert ChildResidence.objects.get().next_place == "With the mother, on her release"


def test_a_stay_needs_both_child_and_mother_visible(client, personas, family, team_a):
    """Maria is team B; her child recorded by team A stays out of team B's view."""
    maria = family["maria"]
    hidden = add_person(team_a, "Скрытый", born=dt.date(2025, 6, 1))
    mother_of(hidden, maria)
    stay = actions.place_child(None, child=hidden, mother=maria, start=dt.date(2025, 6, 1))
    client.force_login(personas["caseworker_b"])
    assert "Скрытый" not in tab(client, maria).content.decode()
    assert client.get(f"/api/v1/child-residences/{stay.pk}/").status_code == 404
    response = client.post(
        reverse("custody:stay_end", args=[stay.pk]), {f"leave-{stay.pk}-date": "2026-05-30"}
    )
    assert response.status_code == 404
    client.force_login(personas["caseworker"])  # team A sees the child but not the mother
    assert (
        client.get(reverse("people:detail", args=[hidden.pk]), {"tab": "custody"}).status_code
        == 200
    )
    assert "Мария" not in tab(client, hidden).content.decode()


def test_the_family_view_says_where_each_child_lives(client, personas, family, team_b):
    maria, artyom = family["maria"], family["artyom"]
    actions.place_child(None, child=artyom, mother=maria, start=dt.date(2025, 3, 10))
    older = add_person(team_b, "Ольга", "Иванова", dt.date(2015, 1, 1))
    mother_of(older, maria)
    galina = add_person(team_b, "Галина", "Иванова")
    people_actions.add_relationship(None, older, galina, "grandparent", lives_with=True)
    unknown = add_person(team_b, "Пётр", "Иванов", dt.date(2017, 1, 1))
    mother_of(unknown, maria)
    client.force_login(personas["caseworker_b"])
    page = tab(client, maria, "family")
    homes = {member.given_name: home for member, home in page.context["household"]}
    assert homes["Мария"].custody.facility.name == "IK-15"
    assert homes["Артём"].stay.facility.name == "IK-15"
    assert homes["Артём"].stay_limit == dt.date(2028, 3, 10)
    assert [link.relative for link in homes["Ольга"].lives_with] == [galina]
    assert not homes["Пётр"].recorded
    html = page.content.decode()
    assert "In IK-15, with the mother Мария Иванова" in html
    assert "People this person is a relative of" in html
    their = [(link.person.given_name, link.kind) for link in page.context["relative_of"]]
    assert sorted(their) == [("Артём", "mother"), ("Ольга", "mother"), ("Пётр", "mother")]
    assert "Not recorded" in html


def test_custody_tab_queries_stay_constant(
    client, personas, family, places, assert_constant_queries
):
    maria = family["maria"]
    places["ik15"].children_capacity = None
    places["ik15"].save()
    years = itertools.count(2000, 2)
    client.force_login(personas["caseworker_b"])

    def grow():
        year = next(years)
        actions.record_episode(
            None,
            maria,
            facility=places["ik18"],
            status="released",
            start=dt.date(year, 1, 1),
            end=dt.date(year, 6, 1),
        )
        for n in range(2):
            child = add_person(maria.teams.get(), f"Дитя{year}{n}", born=dt.date(2025, 1, 1 + n))
            mother_of(child, maria)
            actions.place_child(None, child=child, mother=maria, start=dt.date(2025, 2, 1))

    grow()
    assert_constant_queries(lambda: tab(client, maria), grow)


def test_family_tab_queries_stay_constant(
    client, personas, family, places, assert_constant_queries
):
    maria = family["maria"]
    places["ik15"].children_capacity = None
    places["ik15"].save()
    numbers = itertools.count()
    team = maria.teams.get()
    client.force_login(personas["caseworker_b"])

    def grow():
        n = next(numbers)
        placed = add_person(team, f"Дитя{n}", born=dt.date(2025, 1, 1))
        mother_of(placed, maria)
        actions.place_child(None, child=placed, mother=maria, start=dt.date(2025, 2, 1))
        elsewhere = add_person(team, f"Старший{n}", born=dt.date(2015, 1, 1))
        mother_of(elsewhere, maria)
        carer = add_person(team, f"Бабушка{n}")
        people_actions.add_relationship(None, elsewhere, carer, "grandparent", lives_with=True)

    grow()
    assert_constant_queries(lambda: tab(client, maria, "family"), grow)


def test_family_tab_of_a_child_in_a_facility(client, personas, today, team_b, places):
    _mother, baby, _stay = mother_with_baby(
        team_b, places["mbu"], dt.date(2025, 10, 1), dt.date(2027, 1, 1)
    )
    client.force_login(personas["caseworker_b"])
    html = tab(client, baby, "family").content.decode()
    assert "In HMP Eastwood Park, with the mother Мать Петрова" in html
    assert "may stay until April 1, 2027" in html
