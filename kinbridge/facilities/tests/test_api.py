import pytest

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.facilities import actions
from kinbridge.facilities.models import Facility, VisitingRules

URL = "/api/v1/facilities/"

NEW = {
    "name": "HMP Eastwood Park",
    "kind": "prison",
    "children_capacity": 12,
    "child_age_limit_months": 18,
    "visiting_rules": {
        "booking_window_days": 28,
        "id_required": True,
        "accepted_ids": "passport, photo driving licence",
        "has_family_room": True,
        "family_room_capacity": 6,
        "slots": [
            {"weekday": 1, "start": "14:00", "end": "16:00", "kind": "short"},
            {"weekday": 5, "start": "10:00", "end": "13:00", "kind": "family"},
        ],
    },
}


def post(client, data, url=URL, method="post"):
    return getattr(client, method)(url, data, content_type="application/json")


@pytest.mark.django_db
def test_managers_create_a_facility_with_nested_rules_and_slots(client, personas, regions):
    client.force_login(personas["programme_manager"])
    response = post(client, NEW | {"region_id": regions["a"].pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["region"]["country"] == "LT"
    assert body["has_children_unit"] is True
    assert body["visiting_rules"]["booking_lead_days"] == 1  # the default
    assert [slot["kind"] for slot in body["visiting_rules"]["slots"]] == ["short", "family"]
    facility = Facility.objects.get(pk=body["id"])
    assert facility.visiting_rules.slots.count() == 2
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="facilities.facility", actor=personas["programme_manager"]
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["caseworker", "facilitator", "volunteer", "analyst"])
def test_other_roles_read_but_cannot_write(client, personas, regions, persona):
    facility = actions.create_facility(None, name="IK-5", kind="womens_colony", region=regions["b"])
    client.force_login(personas[persona])
    assert client.get(URL).json()["results"][0]["name"] == "IK-5"
    assert post(client, NEW | {"region_id": regions["a"].pk}).status_code == 403
    patch = post(client, {"name": "IK-6"}, url=f"{URL}{facility.pk}/", method="patch")
    assert patch.status_code == 403
    facility.refresh_from_db()
    assert facility.name == "IK-5"
    assert Facility.objects.count() == 1


@pytest.mark.django_db
def test_update_changes_rules_keeps_slots_unless_given_and_removes_rules_with_null(
    admin_client, regions
):
    created = post(admin_client, NEW | {"region_id": regions["a"].pk}).json()
    url = f"{URL}{created['id']}/"
    response = post(admin_client, {"visiting_rules": {"max_visitors": 4}}, url=url, method="patch")
    assert response.status_code == 200, response.content
    assert response.json()["visiting_rules"]["max_visitors"] == 4
    assert response.json()["visiting_rules"]["family_room_capacity"] == 6  # unchanged
    assert len(response.json()["visiting_rules"]["slots"]) == 2  # slots left out: kept
    response = post(
        admin_client,
        {"visiting_rules": {"slots": [{"weekday": 6, "start": "14:00", "end": "16:00"}]}},
        url=url,
        method="patch",
    )
    assert [slot["weekday"] for slot in response.json()["visiting_rules"]["slots"]] == [6]
    response = post(admin_client, {"visiting_rules": None}, url=url, method="patch")
    assert response.json()["visiting_rules"] is None
    assert not VisitingRules.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"child_age_limit_months": None}, {"children_capacity"}),
        ({"extended_age_limit_months": 18}, {"extended_age_limit_months"}),
        ({"visiting_rules": {"booking_lead_days": 40}}, {"visiting_rules"}),
        (
            {"visiting_rules": {"slots": [{"weekday": 1, "start": "16:00", "end": "14:00"}]}},
            {"visiting_rules"},
        ),
        (
            {
                "visiting_rules": {
                    "slots": [
                        {"weekday": 1, "start": "14:00", "end": "16:00"},
                        {"weekday": 1, "start": "14:00", "end": "15:00"},
                    ]
                }
            },
            {"visiting_rules"},
        ),
        ({"region_id": 999999}, {"region_id"}),
    ],
)
def test_bad_input_answers_400_and_saves_nothing(admin_client, regions, change, errors):
    events = AuditEvent.objects.count()
    response = post(admin_client, NEW | {"region_id": regions["a"].pk} | change)
    assert response.status_code == 400, response.content
    assert set(response.json()) == errors
    assert not Facility.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_list_filters(admin_client, regions):
    actions.create_facility(None, name="IK-5", kind="womens_colony", region=regions["b"])
    actions.create_facility(None, name="Centre", kind="community_venue", region=regions["a"])

    def names(**params):
        return [row["name"] for row in admin_client.get(URL, params).json()["results"]]

    assert sorted(names()) == ["Centre", "IK-5"]
    assert names(kind="community_venue") == ["Centre"]
    assert names(country="RU") == ["IK-5"]
    assert names(region=regions["a"].pk) == ["Centre"]
    assert names(q="ik") == ["IK-5"]


@pytest.mark.django_db
def test_api_list_keeps_constant_queries(admin_client, regions, assert_constant_queries):
    def grow():
        for number in range(10):
            post(admin_client, NEW | {"name": f"Unit {number}", "region_id": regions["a"].pk})

    post(admin_client, NEW | {"region_id": regions["b"].pk})
    assert_constant_queries(lambda: admin_client.get(URL), grow)


@pytest.mark.django_db
def test_the_schema_describes_facilities(admin_client):
    paths = admin_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert "/api/v1/facilities/" in paths
    assert "/api/v1/facilities/{id}/" in paths
    assert "delete" not in paths["/api/v1/facilities/{id}/"]
