import datetime as dt
import itertools
import json

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.people import actions, erasure, merge, retention
from kinbridge.people.models import Person, PersonRole, Relationship

BORN = dt.date(1998, 4, 17)


def add(team, given, family="", born=None, **extra):
    return actions.create_person(
        None, teams=[team], given_name=given, family_name=family, birth_date=born, **extra
    )


@pytest.fixture
def family(team_b):
    mother = add(
        team_b,
        "Мария",
        "Иванова",
        BORN,
        roles=["prisoner"],
        patronymic="Сергеевна",
        phone="+7 900 123",
        email="maria@example.org",
        address="ул. Ленина 1",
        languages="ru",
        gender="female",
    )
    child = add(team_b, "Артём", "Иванов", dt.date(2025, 3, 10), roles=["child"])
    grandmother = add(team_b, "Галина", "Иванова", dt.date(1971, 9, 2), roles=["relative"])
    actions.add_relationship(None, child, mother, "mother", lives_with=True)
    actions.add_relationship(None, mother, grandmother, "mother")
    return {"mother": mother, "child": child, "grandmother": grandmother}


# --- Export ---------------------------------------------------------------------


@pytest.mark.django_db
def test_export_json_holds_every_linked_row_and_the_audit_events(client, personas, family):
    mother = family["mother"]
    client.force_login(personas["administrator"])
    client.get(reverse("people:detail", args=[mother.pk]))  # a read: an audit event
    response = client.get(reverse("people:export_json", args=[mother.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{mother.reference}.json"'
    data = json.loads(response.content)
    assert data["format"] == "kinbridge-subject-access/1"
    assert data["person"]["given_name"] == "Мария"
    assert data["person"]["phone"] == "+7 900 123"
    for link in merge.person_links():
        label = merge.link_label(link)
        expected = merge.rows_linked(link, mother).count()
        assert len(data["records"].get(label, {"rows": []})["rows"]) == expected, label
    relatives = data["records"]["people.relationship.person"]["rows"]
    assert relatives[0]["relative"] == {
        "id": family["grandmother"].pk,
        "reference": family["grandmother"].reference,
    }
    assert "Галина" not in response.content.decode()  # other people by reference only
    kinds = {(event["object_type"], event["action"]) for event in data["audit_events"]}
    assert ("people.person", "create") in kinds
    assert ("people.person", "read") in kinds
    assert ("people.relationship", "create") in kinds
    exported = AuditEvent.objects.get(action=Action.EXPORT, object_id=str(mother.pk))
    assert exported.extra["format"] == "json"
    assert exported.actor == personas["administrator"]


@pytest.mark.django_db
def test_export_includes_events_under_the_ids_of_merged_records(client, personas, team_a):
    keep = add(team_a, "Ona", "Jonaitienė", BORN)
    drop = add(team_a, "Ona", "Jonaitiene", BORN, phone="+370 1")
    merge.merge_people(personas["administrator"], keep, drop)
    client.force_login(personas["administrator"])
    data = client.get(reverse("people:export_json", args=[keep.pk])).json()
    ids = {event["object_id"] for event in data["audit_events"]}
    assert {str(keep.pk), str(drop.pk)} <= ids


@pytest.mark.django_db
def test_export_page_and_pdf(client, personas, family):
    mother = family["mother"]
    client.force_login(personas["administrator"])
    page = client.get(reverse("people:export", args=[mother.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Иванова" in html
    assert family["child"].reference in html
    assert reverse("people:export_pdf", args=[mother.pk]) in html
    pdf = client.get(reverse("people:export_pdf", args=[mother.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(mother.pk)).count() == 2


def test_the_pdf_loads_nothing_from_anywhere():
    from kinbridge.people.export import fetch_nothing

    with pytest.raises(ValueError):
        fetch_nothing("https://fonts.example.org/font.woff2")


@pytest.mark.django_db
def test_export_is_for_administrators_and_hidden_from_other_teams(client, personas, family):
    mother = family["mother"]  # team B
    client.force_login(personas["caseworker"])  # team A
    for name in ("people:export", "people:export_json", "people:export_pdf"):
        assert client.get(reverse(name, args=[mother.pk])).status_code == 404
    assert client.get(f"/api/v1/people/{mother.pk}/export/").status_code == 404
    client.force_login(personas["caseworker_b"])
    assert client.get(reverse("people:export_json", args=[mother.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


@pytest.mark.django_db
def test_api_export(client, personas, family):
    client.force_login(personas["administrator"])
    response = client.get(f"/api/v1/people/{family['child'].pk}/export/")
    assert response.status_code == 200
    assert response.json()["person"]["reference"] == family["child"].reference
    assert AuditEvent.objects.get(action=Action.EXPORT).extra["format"] == "api"


@pytest.mark.django_db
def test_export_query_count_is_constant(client, personas, family, assert_constant_queries):
    mother = family["mother"]
    client.force_login(personas["administrator"])
    counter = itertools.count(1)

    def grow():
        for _ in range(5):
            index = next(counter)
            PersonRole.objects.create(
                person=mother,
                role="volunteer",
                start=dt.date(2000 + index, 1, 1),
                end=dt.date(2000 + index, 6, 1),
            )
            relative = add(family["child"].teams.first(), f"Rel{index}", "Ivanova")
            actions.add_relationship(None, mother, relative, "sibling")
            client.get(reverse("people:detail", args=[mother.pk]))

    assert_constant_queries(
        lambda: client.get(reverse("people:export_json", args=[mother.pk])), grow
    )


# --- Erasure --------------------------------------------------------------------


def counts():
    return {model._meta.label: model._base_manager.count() for model in merge.linked_models()} | {
        "people.Person": Person.objects.count(),
        "by_role": sorted(PersonRole.objects.values_list("role", flat=True)),
        "by_gender": sorted(Person.objects.values_list("gender", flat=True)),
        "by_year": sorted(
            (p.birth_date.year if p.birth_date else p.birth_year) for p in Person.objects.all()
        ),
    }


@pytest.mark.django_db
def test_erasure_blanks_identifying_data_and_keeps_counts(client, personas, family):
    mother = family["mother"]
    before = counts()
    client.force_login(personas["administrator"])
    response = client.post(
        reverse("people:erase", args=[mother.pk]),
        {"reason": "Request by letter, 2026-11-20", "confirmation": mother.reference.lower()},
    )
    assert response.status_code == 302
    assert counts() == before
    mother.refresh_from_db()
    assert mother.is_erased
    assert mother.given_name == "Erased"
    for name in ("family_name", "patronymic", "preferred_name", "phone", "email", "address"):
        assert getattr(mother, name) == "", name
    assert (mother.birth_date, mother.birth_year, mother.gender) == (None, 1998, "female")
    assert mother.search_key == ""
    assert list(Person.objects.search("Иванова мария")) == []
    assert list(Person.objects.search(mother.reference)) == [mother]
    assert Relationship.objects.filter(relative=mother).count() == 1
    page = client.get(reverse("people:detail", args=[mother.pk])).content.decode()
    assert "Erased person" in page
    assert "Иванова" not in page.replace(family["child"].full_name, "")
    client.force_login(personas["caseworker_b"])
    history = client.get(reverse("people:detail", args=[mother.pk]), {"tab": "history"})
    assert "Иванова" not in history.content.decode()  # old events' values are masked
    assert "family_name" in history.content.decode()

    event = AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(mother.pk)).latest("id")
    text = json.dumps([event.changes, event.extra, event.object_repr], ensure_ascii=False)
    for secret in ("Мария", "Иванова", "Сергеевна", "+7 900", "maria@", "Ленина"):
        assert secret not in text
    assert set(event.changes) >= {"given_name", "family_name", "phone", "birth_date"}
    assert event.extra["erasure"]["reason"] == "Request by letter, 2026-11-20"


@pytest.mark.django_db
def test_erasure_blanks_the_erasable_fields_of_linked_rows(personas, family, monkeypatch):
    """Generic: any linked model's ``erasable_fields`` are blanked on its rows of the person."""
    mother = family["mother"]
    monkeypatch.setattr(PersonRole, "erasable_fields", ("role",), raising=False)
    erasure.erase_person(
        personas["administrator"], mother, reason="request", confirmation=mother.reference
    )
    assert list(PersonRole.objects.filter(person=mother).values_list("role", flat=True)) == [""]
    assert PersonRole.objects.filter(person=family["child"], role="child").exists()
    event = AuditEvent.objects.filter(object_id=str(mother.pk)).latest("id")
    assert event.extra["erasure"]["linked_rows"]["people.personrole.person"] == {
        "rows": 1,
        "fields": ["role"],
    }


def test_every_erasable_field_of_every_linked_model_can_be_blanked():
    for model in merge.linked_models():
        for name in getattr(model, "erasable_fields", ()):
            field = model._meta.get_field(name)
            assert field.concrete, f"{model._meta.label}.{name}"
            erasure._blank(field)  # raises for a field it cannot blank


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason": "asked", "confirmation": "P-WRONG1"}, "confirmation"),
        ({"reason": "   ", "confirmation": "{ref}"}, "reason"),
        ({"reason": "asked", "confirmation": ""}, "confirmation"),
    ],
)
def test_bad_erasure_input_changes_nothing(client, personas, family, data, field):
    mother = family["mother"]
    client.force_login(personas["administrator"])
    data = {key: value.format(ref=mother.reference) for key, value in data.items()}
    response = client.post(reverse("people:erase", args=[mother.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    mother.refresh_from_db()
    assert not mother.is_erased
    assert mother.family_name == "Иванова"


@pytest.mark.django_db
def test_erased_people_cannot_be_edited(client, personas, family):
    mother = family["mother"]
    admin = personas["administrator"]
    erasure.erase_person(admin, mother, reason="request", confirmation=mother.reference)
    mother.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.update_person(admin, mother, version=mother.version, family_name="Petrova")
    with pytest.raises(ValidationError):
        actions.add_relationship(admin, family["grandmother"], mother, "sibling")
    with pytest.raises(ValidationError, match="already"):
        erasure.erase_person(admin, mother, reason="again", confirmation=mother.reference)
    client.force_login(admin)
    assert client.get(reverse("people:edit", args=[mother.pk])).status_code == 302
    api = client.post(
        f"/api/v1/people/{mother.pk}/erase/",
        {"reason": "again", "confirmation": mother.reference},
        content_type="application/json",
    )
    assert api.status_code == 400


@pytest.mark.django_db
def test_only_administrators_erase(client, personas, family):
    mother = family["mother"]
    with pytest.raises(PermissionDenied):
        erasure.erase_person(
            personas["caseworker_b"], mother, reason="x", confirmation=mother.reference
        )
    client.force_login(personas["caseworker"])
    assert client.get(reverse("people:erase", args=[mother.pk])).status_code == 404
    client.force_login(personas["caseworker_b"])
    assert (
        client.post(
            f"/api/v1/people/{mother.pk}/erase/",
            {"reason": "x", "confirmation": mother.reference},
            content_type="application/json",
        ).status_code
        == 403
    )
    mother.refresh_from_db()
    assert not mother.is_erased


@pytest.mark.django_db
def test_api_erase(client, personas, family):
    mother = family["mother"]
    client.force_login(personas["administrator"])
    bad = client.post(
        f"/api/v1/people/{mother.pk}/erase/",
        {"reason": "asked", "confirmation": "nope"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "confirmation" in bad.json()
    ok = client.post(
        f"/api/v1/people/{mother.pk}/erase/",
        {"reason": "asked", "confirmation": mother.reference},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert ok.json()["family_name"] == ""


# --- Retention ------------------------------------------------------------------


def at(day):
    return time_machine.travel(dt.datetime.combine(day, dt.time(12)), tick=False)


@pytest.mark.django_db
def test_retention_lists_people_without_recent_activity(client, personas, team_a, settings):
    settings.KINBRIDGE_RETENTION_YEARS = 6
    with at(dt.date(2015, 3, 1)):
        quiet = add(team_a, "Quiet", "Old", BORN)
        with_recent_role = add(team_a, "Role", "Old", BORN)
        with_future_date = add(team_a, "Future", "Old", BORN)
        erased = add(team_a, "Erased", "Old", BORN)
        erasure.erase_person(
            personas["administrator"], erased, reason="request", confirmation=erased.reference
        )
    with at(dt.date(2016, 1, 1)):
        edited = add(team_a, "Edited", "Later", BORN)
    with at(dt.date(2024, 1, 1)):
        PersonRole.objects.create(
            person=with_recent_role, role="volunteer", start=dt.date(2023, 5, 1)
        )
        recent = add(team_a, "Recent", "New", BORN)
    PersonRole.objects.create(
        person=with_future_date, role="relative", start=dt.date(2015, 3, 1), end=dt.date(2031, 1, 1)
    )

    with at(dt.date(2022, 6, 1)):  # cut-off 2016-06-01
        assert retention.cutoff() == dt.date(2016, 6, 1)
        client.force_login(personas["administrator"])
        response = client.get(reverse("people:retention"))
        listed = [person for person, _last in response.context["rows"]]
        assert listed == [quiet, edited]  # the role's 2023 start is still ahead
        last = dict(response.context["rows"])
        assert last[quiet] == dt.date(2015, 3, 1)

    with at(dt.date(2030, 1, 1)):  # cut-off 2024-01-01
        people = retention.due_for_review(Person.objects.all(), retention.cutoff())
        assert set(people) == {quiet, edited, with_recent_role}
        assert recent not in people  # created on the cut-off day
        assert with_future_date not in people  # a date still ahead
        client.force_login(personas["administrator"])
        api = client.get("/api/v1/people/retention/")
        assert api.status_code == 200
        rows = api.json()["results"]
        assert [row["reference"] for row in rows] == [
            quiet.reference,
            with_recent_role.reference,
            edited.reference,
        ]
        assert rows[1]["last_activity"] == "2023-05-01"


@pytest.mark.django_db
def test_retention_list_query_count_is_constant(client, personas, team_a, assert_constant_queries):
    counter = itertools.count()

    def grow():
        with at(dt.date(2010, 1, 1)):
            for _ in range(5):
                person = add(team_a, f"Old{next(counter)}", "Person", BORN, roles=["relative"])
                actions.add_relationship(
                    None, person, add(team_a, "Kin", f"K{next(counter)}"), "sibling"
                )

    grow()
    client.force_login(personas["administrator"])
    with at(dt.date(2024, 1, 1)):
        count = assert_constant_queries(lambda: client.get(reverse("people:retention")), grow)
    # One grouped query per kind of record linked to a person, plus the page's own.
    assert count < 12 + len(retention.activity_links())


def test_retention_years_come_from_the_environment():
    from kinbridge.lib.env import ConfigError, envint

    assert envint("KINBRIDGE_RETENTION_YEARS", 6, minimum=1, environ={}) == 6
    with pytest.raises(ConfigError):
        envint(
            "KINBRIDGE_RETENTION_YEARS", 6, minimum=1, environ={"KINBRIDGE_RETENTION_YEARS": "0"}
        )


def test_every_linked_model_with_dates_counts_as_activity():
    for link, fields in retention.activity_links():
        assert all(isinstance(field, models.DateField) for field in fields)
        assert link in merge.person_links()


@pytest.mark.django_db
def test_the_schema_describes_the_rights_endpoints(admin_client):
    paths = admin_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in (
        "/api/v1/people/check-duplicates/",
        "/api/v1/people/retention/",
        "/api/v1/people/{id}/merge/",
        "/api/v1/people/{id}/export/",
        "/api/v1/people/{id}/erase/",
    ):
        assert path in paths
    assert "409" in paths["/api/v1/people/"]["post"]["responses"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {},
        {"reason": "asked"},
        {"confirmation": "P-XXXXXX"},
        {"reason": "asked", "confirmation": "P-XXXXXX"},  # not this person's reference
        {"reason": "", "confirmation": ""},
    ],
)
def test_bad_erasure_input_over_the_api_changes_nothing(client, personas, family, body):
    mother = family["mother"]
    client.force_login(personas["administrator"])
    response = client.post(
        f"/api/v1/people/{mother.pk}/erase/", body, content_type="application/json"
    )
    assert response.status_code == 400
    mother.refresh_from_db()
    assert not mother.is_erased
    assert not AuditEvent.objects.filter(extra__has_key="erasure").exists()
