import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.partners import actions
from kinbridge.partners.models import Partner, PartnerContact, PartnerService


def add(name, region=None, services=(), contacts=(), **fields):
    return actions.create_partner(
        None, name=name, region=region, services=services, contacts=contacts, **fields
    )


@pytest.fixture
def partners(regions):
    return {
        "pact": add(
            "Pact",
            None,
            services=[{"kind": "visits_transport", "description": "Transport to prisons"}],
            contacts=[{"name": "Sarah Bennett", "role": "Coordinator"}],
            is_public=True,
        ),
        "tinklas": add(
            "Artimųjų pagalbos tinklas",
            regions["a"],
            description="Counselling for relatives of prisoners",
            services=[
                {"kind": "emotional_support", "languages": "LT, ru"},
                {"kind": "legal_advice", "regions": [regions["b"]]},
            ],
        ),
        "opora": add(
            "Правовая опора",
            regions["b"],
            services=[{"kind": "housing"}],
            contacts=[{"name": "Ирина Волкова"}],
        ),
        "closed": add("Closed charity", regions["a"], is_active=False),
    }


def form_data(partner=None, services=(), contacts=(), services_initial=0, contacts_initial=0):
    data = {"name": "New partner", "is_active": "on", **(partner or {})}
    for prefix, rows, initial, blank in (
        ("services", services, services_initial, {"kind": "", "description": "", "languages": ""}),
        (
            "contacts",
            contacts,
            contacts_initial,
            {"name": "", "role": "", "phone": "", "email": ""},
        ),
    ):
        rows = [*rows, {}]
        data |= {
            f"{prefix}-TOTAL_FORMS": str(len(rows)),
            f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "50",
        }
        for index, row in enumerate(rows):
            for name, value in (blank | row).items():
                data[f"{prefix}-{index}-{name}"] = value
    return data


@pytest.mark.django_db
def test_list_filters_and_searches(client, personas, regions, partners):
    client.force_login(personas["analyst"])

    def names(**params):
        response = client.get(reverse("partners:list"), params)
        assert response.status_code == 200
        return [partner.name for partner in response.context["partners"]]

    assert names() == ["Artimųjų pagalbos tinklas", "Pact", "Правовая опора"]
    assert names(q="artimuju") == ["Artimųjų pagalbos tinklas"]
    assert names(q="relatives") == ["Artimųjų pagalbos tinklas"]  # the description counts
    assert names(q="pravovaia") == ["Правовая опора"]
    # Samara: based there, national, or with a service there.
    assert names(region=regions["b"].pk) == ["Artimųjų pagalbos tinklas", "Pact", "Правовая опора"]
    assert names(region=regions["a"].pk) == ["Artimųjų pagalbos tinklas", "Pact"]
    assert names(service="legal_advice") == ["Artimųjų pagalbos tinklas"]
    assert names(public="yes") == ["Pact"]
    assert names(public="no", active="all") == [
        "Artimųjų pagalbos tinklas",
        "Closed charity",
        "Правовая опора",
    ]
    assert partners["tinklas"].services.get(kind="emotional_support").languages == "lt, ru"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "sees_contacts"),
    [
        ("administrator", True),
        ("programme_manager", True),
        ("caseworker", True),
        ("facilitator", True),
        ("volunteer_coordinator", True),
        ("volunteer", False),
        ("analyst", False),
    ],
)
def test_contact_people_only_for_roles_that_see_people(
    client, personas, partners, persona, sees_contacts
):
    client.force_login(personas[persona])
    pact = partners["pact"]
    page = client.get(reverse("partners:detail", args=[pact.pk])).content.decode()
    assert "Transport to prisons" in page
    assert ("Sarah Bennett" in page) is sees_contacts
    body = client.get(f"/api/v1/partners/{pact.pk}/").json()
    assert body["services"][0]["kind"] == "visits_transport"
    assert ("contacts" in body) is sees_contacts
    listing = client.get("/api/v1/partners/").json()["results"]
    assert ("Sarah Bennett" in str(listing)) is sees_contacts


@pytest.mark.django_db
def test_creating_a_partner_with_services_and_contacts_through_the_form(client, personas, regions):
    client.force_login(personas["programme_manager"])
    data = form_data(
        partner={"region": regions["a"].pk, "is_public": "on", "website": "example.org"},
        services=[
            {
                "kind": "legal_advice",
                "description": "Free consultations",
                "languages": "LT",
                "regions": [regions["a"].pk],
            },
            {"kind": "housing"},
        ],
        contacts=[{"name": "Rasa", "role": "Social worker", "email": "rasa@example.org"}],
    )
    response = client.post(reverse("partners:create"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    partner = Partner.objects.get(name="New partner")
    assert partner.website == "https://example.org"
    assert partner.is_public
    legal = partner.services.get(kind="legal_advice")
    assert (legal.languages, list(legal.regions.all())) == ("lt", [regions["a"]])
    assert partner.contacts.get().name == "Rasa"
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="partners.partner")
    assert event.actor == personas["programme_manager"]
    assert event.changes["contacts"][1] == ["Rasa | Social worker |  | rasa@example.org"]


@pytest.mark.django_db
def test_editing_updates_contacts_in_place_and_drops_removed_services(
    client, personas, regions, partners
):
    tinklas = partners["tinklas"]
    actions.update_partner(None, tinklas, contacts=[{"name": "Rasa"}, {"name": "Jonas"}])
    rasa, jonas = tinklas.contacts.order_by("pk")
    client.force_login(personas["administrator"])
    data = form_data(
        partner={
            "name": "Artimųjų pagalbos tinklas",
            "region": regions["a"].pk,
            "description": tinklas.description,
        },
        services_initial=2,
        services=[
            {"kind": "emotional_support", "description": "Groups", "languages": "lt"},
            {"kind": "legal_advice", "DELETE": "on"},
        ],
        contacts_initial=2,
        contacts=[
            {"id": rasa.pk, "name": "Rasa Vaitkutė", "role": "Social worker"},
            {"id": jonas.pk, "name": "Jonas", "DELETE": "on"},
        ],
    )
    response = client.post(reverse("partners:edit", args=[tinklas.pk]), data)
    assert response.status_code == 302
    assert list(tinklas.services.values_list("kind", "description")) == [
        ("emotional_support", "Groups")
    ]
    assert list(tinklas.contacts.values_list("pk", "name")) == [(rasa.pk, "Rasa Vaitkutė")]
    event = AuditEvent.objects.filter(action=Action.UPDATE, object_type="partners.partner").latest(
        "id"
    )
    assert set(event.changes) == {"services", "contacts"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("partner", "services", "contacts", "where", "message"),
    [
        ({"name": "pact"}, [], [], "name", "already registered"),
        ({"name": ""}, [], [], "name", "This field is required"),
        ({"email": "nope"}, [], [], "email", "valid email"),
        ({}, [{"kind": "housing", "languages": "russian!"}], [], "service", "language codes"),
        ({}, [{"description": "No kind"}], [], "service", "This field is required"),
        ({}, [{"kind": "housing"}, {"kind": "housing"}], [], "services", "listed once"),
        ({}, [], [{"role": "Lawyer"}], "contact", "This field is required"),
        ({}, [], [{"name": "X", "email": "x@"}], "contact", "valid email"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    client, personas, partners, partner, services, contacts, where, message
):
    client.force_login(personas["administrator"])
    counts = (Partner.objects.count(), PartnerService.objects.count(), AuditEvent.objects.count())
    response = client.post(
        reverse("partners:create"), form_data(partner=partner, services=services, contacts=contacts)
    )
    assert response.status_code == 200
    if where == "service":
        errors = [str(e) for e in response.context["services"].errors[0].values()]
    elif where == "contact":
        errors = [str(e) for e in response.context["contacts"].errors[0].values()]
    elif where == "services":
        errors = response.context["services"].non_form_errors()
    else:
        errors = response.context["form"].errors[where]
    assert message in " ".join(errors)
    assert counts == (
        Partner.objects.count(),
        PartnerService.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_a_contact_of_another_partner_cannot_be_taken_over(personas, partners):
    other = partners["opora"].contacts.get()
    with pytest.raises(ValidationError, match="belongs to another partner"):
        actions.update_partner(
            personas["administrator"], partners["pact"], contacts=[{"id": other.pk, "name": "X"}]
        )
    assert PartnerContact.objects.get(pk=other.pk).name == "Ирина Волкова"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["caseworker", "facilitator", "volunteer_coordinator", "volunteer", "analyst"]
)
def test_only_administrators_and_programme_managers_edit(client, personas, partners, persona):
    client.force_login(personas[persona])
    assert client.post(reverse("partners:create"), form_data()).status_code == 403
    pact = partners["pact"]
    assert client.post(reverse("partners:edit", args=[pact.pk]), form_data()).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.update_partner(personas[persona], pact, name="Taken")
    assert not Partner.objects.filter(name="New partner").exists()


@pytest.mark.django_db
def test_list_keeps_constant_queries(admin_client, regions, partners, assert_constant_queries):
    def grow():
        for number in range(10):
            add(
                f"Partner {number}",
                regions["a"],
                services=[{"kind": "housing"}, {"kind": "legal_advice"}],
                contacts=[{"name": "Someone"}],
            )

    assert_constant_queries(lambda: admin_client.get(reverse("partners:list")), grow)
