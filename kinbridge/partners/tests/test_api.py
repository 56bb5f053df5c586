import pytest

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.partners import actions
from kinbridge.partners.models import Partner

URL = "/api/v1/partners/"
NEW = {
    "name": "Pact",
    "description": "Visits and family support",
    "is_public": True,
    "services": [
        {"kind": "visits_transport", "description": "Transport", "languages": "EN"},
        {"kind": "children_family"},
    ],
    "contacts": [{"name": "Sarah Bennett", "role": "Coordinator"}],
}


def send(client, data, url=URL, method="post"):
    return getattr(client, method)(url, data, content_type="application/json")


@pytest.mark.django_db
def test_managers_create_and_update_partners_with_services_and_contacts(client, personas, regions):
    client.force_login(personas["programme_manager"])
    response = send(client, NEW | {"region_id": regions["a"].pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["region"]["name"] == "Vilnius County"
    assert [s["languages"] for s in body["services"]] == ["", "en"]  # ordered by kind
    contact_id = body["contacts"][0]["id"]
    url = f"{URL}{body['id']}/"

    response = send(
        client,
        {
            "services": [{"kind": "legal_advice", "regions": [regions["b"].pk]}],
            "contacts": [{"id": contact_id, "name": "Sarah Bennett", "phone": "+44 20 7946 0123"}],
        },
        url=url,
        method="patch",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(s["kind"], s["regions"]) for s in body["services"]] == [
        ("legal_advice", [regions["b"].pk])
    ]
    assert body["contacts"] == [
        {
            "id": contact_id,
            "name": "Sarah Bennett",
            "role": "Coordinator",
            "phone": "+44 20 7946 0123",
            "email": "",
        }
    ]
    # Left out: unchanged.
    response = send(client, {"is_active": False}, url=url, method="patch")
    assert len(response.json()["services"]) == 1
    assert (
        AuditEvent.objects.filter(action=Action.UPDATE, object_type="partners.partner").count() == 2
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["caseworker", "facilitator", "volunteer_coordinator", "volunteer", "analyst"]
)
def test_other_roles_read_but_cannot_write(client, personas, persona):
    partner = actions.create_partner(None, name="Pact")
    client.force_login(personas[persona])
    assert client.get(URL).json()["results"][0]["name"] == "Pact"
    assert send(client, NEW | {"name": "Other"}).status_code == 403
    assert send(client, {"name": "X"}, url=f"{URL}{partner.pk}/", method="patch").status_code == 403
    assert list(Partner.objects.values_list("name", flat=True)) == ["Pact"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "PACT"}, "name"),
        ({"services": [{"kind": "housing"}, {"kind": "housing"}]}, "services"),
        ({"services": [{"kind": "nonsense"}]}, "services"),
        ({"services": [{"kind": "housing", "languages": "russian"}]}, "services"),
        ({"contacts": [{"name": ""}]}, "contacts"),
        ({"region_id": 999999}, "region_id"),
    ],
)
def test_bad_input_answers_400_and_saves_nothing(admin_client, change, field):
    actions.create_partner(None, name="Pact")
    events = AuditEvent.objects.count()
    response = send(admin_client, NEW | {"name": "Other"} | change)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Partner.objects.count() == 1
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_list_filters(admin_client, regions):
    actions.create_partner(None, name="Pact", services=[{"kind": "visits_transport"}])
    actions.create_partner(
        None, name="Tinklas", region=regions["a"], is_public=True, services=[{"kind": "housing"}]
    )
    actions.create_partner(None, name="Opora", region=regions["b"])

    def names(**params):
        return sorted(row["name"] for row in admin_client.get(URL, params).json()["results"])

    assert names() == ["Opora", "Pact", "Tinklas"]
    assert names(region=regions["a"].pk) == ["Pact", "Tinklas"]
    assert names(service="housing") == ["Tinklas"]
    assert names(public="yes") == ["Tinklas"]
    assert names(q="opo") == ["Opora"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["administrator", "volunteer"])
def test_api_list_keeps_constant_queries(
    client, personas, regions, persona, assert_constant_queries
):
    client.force_login(personas[persona])

    def grow():
        for number in range(10):
            actions.create_partner(
                None,
                name=f"Partner {number}",
                services=[{"kind": "housing", "regions": [regions["a"]]}, {"kind": "other"}],
                contacts=[{"name": "Someone"}],
            )

    actions.create_partner(None, name="First", services=[{"kind": "housing"}])
    assert_constant_queries(lambda: client.get(URL), grow)


@pytest.mark.django_db
def test_the_schema_describes_partners(admin_client):
    paths = admin_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert "/api/v1/partners/" in paths
    assert "/api/v1/partners/{id}/" in paths
