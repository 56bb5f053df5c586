import datetime as dt
import itertools

import pytest
from django.test import Client

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.consents.models import Consent
from kinbridge.consents.tests.conftest import PDF, upload

URL = "/api/v1/consents/"


@pytest.fixture
def api(client, personas):
    client.force_login(personas["caseworker"])
    return client


@pytest.mark.django_db
def test_list_is_scoped_by_person_visibility_and_filtered_by_person(api, personas, family, give):
    anna_consent = give(family["anna"])
    give(family["lena"], given_by=family["anna"])
    hidden = give(family["stranger"])  # team B
    ids = {row["id"] for row in api.get(URL).json()["results"]}
    assert hidden.pk not in ids and anna_consent.pk in ids and len(ids) == 2
    only_anna = api.get(URL, {"person": family["anna"].pk}).json()["results"]
    assert [row["id"] for row in only_anna] == [anna_consent.pk]
    assert api.get(URL, {"person": family["stranger"].pk}).json()["results"] == []
    assert api.get(URL, {"person": "x"}).json()["results"] == []
    assert api.get(f"{URL}{hidden.pk}/").status_code == 404
    assert api.get(f"{URL}{hidden.pk}/evidence/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["volunteer", "analyst"])
def test_roles_without_names_get_403(client, personas, family, give, persona):
    consent = give(family["anna"])
    client.force_login(personas[persona])
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{consent.pk}/").status_code == 403
    response = client.post(
        URL,
        {"person": family["anna"].pk, "purpose": "casework", "given_by": family["anna"].pk},
        content_type="application/json",
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_detail_shows_evidence_as_a_download_url_and_audits_reads(
    api, personas, family, give, pact
):
    consent = give(family["anna"], "sharing", partner=pact, evidence=upload())
    data = api.get(f"{URL}{consent.pk}/").json()
    assert data["purpose_display"] == "sharing with Pact"
    assert data["partner"] == pact.pk
    assert data["evidence_url"] == f"http://testserver{URL}{consent.pk}/evidence/"
    assert "evidence" not in data  # never inline
    assert data["is_current"] is True
    assert AuditEvent.objects.filter(action=Action.READ, object_id=str(consent.pk)).count() == 1

    download = api.get(data["evidence_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF
    reads = AuditEvent.objects.filter(action=Action.READ, object_id=str(consent.pk))
    assert reads.count() == 2
    assert reads.latest("id").extra == {"file": "evidence"}


@pytest.mark.django_db
def test_create_validates_and_saves_through_the_action(api, personas, family, pact):
    anna, lena = family["anna"], family["lena"]
    ok = api.post(
        URL,
        {
            "person": anna.pk,
            "purpose": "sharing",
            "partner": pact.pk,
            "given_by": anna.pk,
            "given_on": "2026-05-01",
            "method": "online",
        },
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["purpose_display"] == "sharing with Pact"
    assert Consent.objects.get().recorded_by == personas["caseworker"]

    base = {"person": lena.pk, "purpose": "casework", "given_by": anna.pk, "method": "verbal"}
    bad = [
        ({"given_on": "2026-07-01"}, "given_on", "cannot be in the future"),
        ({"given_on": "2026-05-01", "given_by": lena.pk}, "given_by", "is a child"),
        ({"given_on": "2026-05-01", "purpose": "sharing"}, "partner", "Choose the partner"),
        # A person of another team does not "exist" for this user.
        ({"given_on": "2026-05-01", "person": family["stranger"].pk}, "person", "does not exist"),
    ]
    for changes, field, message in bad:
        response = api.post(URL, base | changes, content_type="application/json")
        assert response.status_code == 400, changes
        assert message in " ".join(response.json()[field]), response.json()
    assert Consent.objects.count() == 1


@pytest.mark.django_db
def test_create_with_evidence_as_multipart(api, family):
    anna = family["anna"]
    response = api.post(
        URL,
        {
            "person": anna.pk,
            "purpose": "photos",
            "given_by": anna.pk,
            "given_on": "2026-05-01",
            "method": "written",
            "evidence": upload(),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["evidence_url"].endswith("/evidence/")
    bad = api.post(
        URL,
        {
            "person": anna.pk,
            "purpose": "evaluation",
            "given_by": anna.pk,
            "given_on": "2026-05-01",
            "method": "written",
            "evidence": upload("x.pdf", b"#!/bin/sh"),
        },
    )
    assert bad.status_code == 400 and "evidence" in bad.json()
    assert Consent.objects.count() == 1


@pytest.mark.django_db
def test_withdraw_action(api, personas, family, give):
    consent = give(family["anna"], "evaluation", given_on=dt.date(2026, 3, 1))
    url = f"{URL}{consent.pk}/withdraw/"
    early = api.post(
        url, {"withdrawn_on": "2026-02-01", "reason": "x"}, content_type="application/json"
    )
    assert early.status_code == 400 and "withdrawn_on" in early.json()
    assert api.post(url, {}, content_type="application/json").status_code == 400
    done = api.post(url, {"reason": "Asked by phone."}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["withdrawn_on"] == "2026-06-15"
    assert done.json()["is_current"] is False
    again = api.post(url, {"reason": "again"}, content_type="application/json")
    assert again.status_code == 400

    other = Client()
    other.force_login(personas["caseworker_b"])
    assert other.post(url, {"reason": "x"}, content_type="application/json").status_code == 404


@pytest.mark.django_db
def test_api_list_queries_stay_constant(api, family, give, pact, assert_constant_queries):
    numbers = itertools.count(1)

    def grow():
        day = dt.date(2026, 1, next(numbers))
        give(family["anna"], "sharing", partner=pact, given_on=day, evidence=upload())
        from kinbridge.consents.actions import withdraw_consent

        for consent in Consent.objects.current().filter(person=family["anna"]):
            withdraw_consent(None, consent, reason="next")

    grow()
    assert_constant_queries(lambda: api.get(URL), grow)
    assert_constant_queries(lambda: api.get(URL, {"person": family["anna"].pk}), grow)


def test_the_schema_describes_consents(admin_client):
    schema = admin_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/consents/"])
    assert "post" in paths["/api/v1/consents/{id}/withdraw/"]
    evidence = paths["/api/v1/consents/{id}/evidence/"]["get"]["responses"]["200"]["content"]
    assert set(evidence) == {"application/pdf", "image/jpeg", "image/png"}
