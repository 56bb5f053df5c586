import datetime as dt
import itertools

import pytest

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.custody import actions
from kinbridge.custody.models import ChildResidence, CustodyEpisode
from kinbridge.custody.tests.conftest import add_person, mother_of, mother_with_baby

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_episodes_are_listed_filtered_and_scoped(client, personas, family, team_b, places):
    maria = family["maria"]
    other = add_person(team_b, "Ольга")
    actions.record_episode(
        None, other, facility=places["ik18"], status="remand", start=dt.date(2026, 1, 1)
    )
    client.force_login(personas["caseworker_b"])
    rows = client.get("/api/v1/custody-episodes/").json()["results"]
    assert len(rows) == 2
    rows = client.get("/api/v1/custody-episodes/", {"person": maria.pk}).json()["results"]
    assert [(row["person"], row["facility_name"], row["status"]) for row in rows] == [
        (maria.pk, "IK-15", "sentenced")
    ]
    episode = family["episode"]
    detail = client.get(f"/api/v1/custody-episodes/{episode.pk}/")
    assert detail.json()["expected_release"] == "2027-03-01"
    assert AuditEvent.objects.filter(
        action=Action.READ, object_type="custody.custodyepisode", object_id=str(episode.pk)
    ).exists()

    client.force_login(personas["caseworker"])  # team A
    assert client.get("/api/v1/custody-episodes/").json()["results"] == []
    assert client.get(f"/api/v1/custody-episodes/{episode.pk}/").status_code == 404


def test_creating_an_episode_goes_through_the_action(
    client, personas, today, team_a, team_b, places
):
    olga = add_person(team_b, "Ольга")
    client.force_login(personas["caseworker_b"])
    url = "/api/v1/custody-episodes/"
    ok = post(
        client,
        url,
        {
            "person": olga.pk,
            "facility": places["ik15"].pk,
            "status": "remand",
            "start": "2026-05-01",
        },
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["end"] is None
    overlap = post(
        client,
        url,
        {
            "person": olga.pk,
            "facility": places["ik18"].pk,
            "status": "remand",
            "start": "2026-05-10",
        },
    )
    assert overlap.status_code == 400
    assert "still open" in overlap.json()["start"][0]
    bad = post(
        client,
        url,
        {
            "person": olga.pk,
            "facility": places["ik18"].pk,
            "status": "released",
            "start": "2020-01-01",
            "end": "2019-01-01",
        },
    )
    assert bad.status_code == 400 and "end" in bad.json()
    stranger = add_person(team_a, "Чужая")
    hidden = post(
        client,
        url,
        {
            "person": stranger.pk,
            "facility": places["ik15"].pk,
            "status": "remand",
            "start": "2026-05-01",
        },
    )
    assert hidden.status_code == 404
    assert CustodyEpisode.objects.count() == 1
    client.force_login(personas["volunteer"])
    assert post(client, url, {}).status_code == 403


def test_child_residences_through_the_api(client, personas, family, places):
    maria, artyom = family["maria"], family["artyom"]
    client.force_login(personas["caseworker_b"])
    url = "/api/v1/child-residences/"
    early = post(client, url, {"child": artyom.pk, "mother": maria.pk, "start": "2025-02-01"})
    assert early.status_code == 400 and "born on" in early.json()["start"][0]
    elsewhere = post(
        client,
        url,
        {
            "child": artyom.pk,
            "mother": maria.pk,
            "start": "2025-03-10",
            "facility": places["ik18"].pk,
        },
    )
    assert elsewhere.status_code == 400 and "facility" in elsewhere.json()
    ok = post(client, url, {"child": artyom.pk, "mother": maria.pk, "start": "2025-03-10"})
    assert ok.status_code == 201, ok.content
    assert ok.json()["facility_name"] == "IK-15"
    assert ok.json()["stay_limit"] == "2028-03-10"
    rows = client.get(url, {"person": maria.pk}).json()["results"]
    assert [row["child"] for row in rows] == [artyom.pk]
    assert client.get(url, {"person": artyom.pk}).json()["results"] == rows
    assert rows[0]["stay_limit"] == "2028-03-10"
    assert ChildResidence.objects.count() == 1


def test_the_schema_lists_the_custody_endpoints(admin_client):
    paths = admin_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in (
        "/api/v1/custody-episodes/",
        "/api/v1/custody-episodes/{id}/",
        "/api/v1/child-residences/",
        "/api/v1/child-residences/{id}/",
        "/api/v1/planning/",
    ):
        assert path in paths


def test_api_lists_keep_constant_queries(
    client, personas, today, team_b, places, assert_constant_queries
):
    places["ik15"].children_capacity = None
    places["ik15"].save()
    numbers = itertools.count()
    client.force_login(personas["caseworker_b"])

    def grow():
        for _ in range(3):
            n = next(numbers)
            mother, _baby, _stay = mother_with_baby(
                team_b, places["ik15"], dt.date(2025, 1, 1), dt.date(2027, 1, 1), name=f"Мать{n}"
            )
            child = add_person(team_b, f"Сын{n}", born=dt.date(2024, 1, 1))
            mother_of(child, mother)

    grow()
    assert_constant_queries(lambda: client.get("/api/v1/custody-episodes/"), grow)
    assert_constant_queries(lambda: client.get("/api/v1/child-residences/"), grow)


def test_transfer_release_and_end_of_a_stay_through_the_api(client, personas, family, places):
    maria, artyom, episode = family["maria"], family["artyom"], family["episode"]
    actions.place_child(None, child=artyom, mother=maria, start=dt.date(2025, 3, 10))
    stay = ChildResidence.objects.get()
    client.force_login(personas["caseworker_b"])
    base = f"/api/v1/custody-episodes/{episode.pk}"
    # Her baby lives with her: a transfer without the children is refused, nothing changes.
    refused = post(
        client, f"{base}/transfer/", {"facility": places["ik18"].pk, "date": "2026-05-01"}
    )
    assert refused.status_code == 400
    assert CustodyEpisode.objects.count() == 1
    moved = post(
        client,
        f"{base}/transfer/",
        {"facility": places["ik18"].pk, "date": "2026-05-01", "children_move_with_her": True},
    )
    assert moved.status_code == 201, moved.content
    following = CustodyEpisode.objects.get(pk=moved.json()["id"])
    assert (following.facility, following.previous_id) == (places["ik18"], episode.pk)
    episode.refresh_from_db()
    assert (episode.status, episode.end) == ("transferred", dt.date(2026, 5, 1))
    new_stay = ChildResidence.objects.get(end__isnull=True)
    assert new_stay.facility == places["ik18"]

    early = post(
        client, f"/api/v1/custody-episodes/{following.pk}/release/", {"date": "2026-04-01"}
    )
    assert early.status_code == 400 and "date" in early.json()
    left = post(
        client,
        f"/api/v1/child-residences/{new_stay.pk}/end/",
        {"date": "2026-05-20", "next_place": "With her grandmother Галина"},
    )
    assert left.status_code == 200, left.content
    assert left.json()["end"] == "2026-05-20"
    freed = post(
        client, f"/api/v1/custody-episodes/{following.pk}/release/", {"date": "2026-05-25"}
    )
    assert freed.status_code == 200 and freed.json()["status"] == "released"
    assert stay.pk != new_stay.pk

    client.force_login(personas["caseworker"])  # another team: the records do not exist
    assert post(client, f"{base}/release/", {"date": "2026-05-25"}).status_code == 404
