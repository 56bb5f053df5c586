import datetime as dt
import itertools

import pytest
from django.test import Client
from django.urls import reverse

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.consents import actions
from kinbridge.consents.models import Consent
from kinbridge.consents.tests.conftest import PDF, PNG, upload
from kinbridge.people.actions import add_relationship, create_person
from kinbridge.people.models import RelationshipKind


def tab(client, person):
    return client.get(reverse("people:detail", args=[person.pk]), {"tab": "consents"})


def record(client, person, **fields):
    data = {"purpose": "casework", "given_by": person.pk, "given_on": "2026-02-01"}
    data |= {"method": "written"} | fields
    return client.post(reverse("consents:create", args=[person.pk]), data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("administrator", 200),
        ("caseworker", 200),
        ("volunteer_coordinator", 200),
        ("caseworker_b", 404),  # another team
        ("programme_manager", 404),  # team B only
        ("facilitator", 404),
        ("volunteer", 404),  # sees no people at all
        ("analyst", 404),
    ],
)
def test_consents_tab_access(personas, family, give, persona, status):
    give(family["anna"], "contact_email")
    client = Client()
    client.force_login(personas[persona])
    response = tab(client, family["anna"])
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Contact by e-mail" in html
        assert "Record a consent" in html  # every role that sees people may edit them


@pytest.mark.django_db
def test_tab_lists_current_and_withdrawn_consents(client, personas, family, give, pact):
    anna = family["anna"]
    give(anna, "sharing", partner=pact, evidence=upload())
    photos = give(anna, "photos")
    actions.withdraw_consent(None, photos, reason="Changed her mind about photos.")
    client.force_login(personas["caseworker"])
    response = tab(client, anna)
    assert [c.purpose for c in response.context["current_consents"]] == ["sharing"]
    assert [c.purpose for c in response.context["past_consents"]] == ["photos"]
    html = response.content.decode()
    assert "Sharing with Pact" in html
    assert "Changed her mind about photos." in html
    assert reverse("consents:evidence", args=[anna.consents.get(purpose="sharing").pk]) in html


@pytest.mark.django_db
def test_giver_is_chosen_from_the_person_and_holders_of_parental_responsibility(
    client, personas, family
):
    client.force_login(personas["caseworker"])
    form = tab(client, family["lena"]).context["consent_form"]
    assert [label for _pk, label in form.fields["given_by"].choices] == [
        "Lena Petrova (this person)",
        "Anna Petrova (mother, parental responsibility)",
    ]


@pytest.mark.django_db
def test_recording_a_consent_with_evidence_through_the_tab(client, personas, family):
    anna = family["anna"]
    client.force_login(personas["caseworker"])
    response = record(client, anna, purpose="evaluation", evidence=upload("scan.png", PNG))
    assert response.status_code == 302
    assert response["Location"] == f"/people/{anna.pk}/?tab=consents"
    consent = Consent.objects.get()
    assert (consent.purpose, consent.given_by, consent.recorded_by) == (
        "evaluation",
        anna,
        personas["caseworker"],
    )
    assert consent.evidence.name.endswith(".png")
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(consent.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "fields", "field", "message"),
    [
        ("anna", {"given_on": "2026-06-16"}, "given_on", "cannot be in the future"),
        ("anna", {"purpose": "sharing"}, "partner", "Choose the partner organisation"),
        ("lena", {}, "given_by", "is a child"),  # Lena giving her own consent
        ("anna", {"evidence": "html"}, "evidence", "PDF, JPEG or PNG"),
        ("anna", {"given_by": "stranger"}, "given_by", "Select a valid choice"),
        ("anna", {"given_on": "yesterday"}, "given_on", "Enter a valid date"),
    ],
)
def test_bad_consent_input_is_shown_at_the_field(
    client, personas, family, who, fields, field, message
):
    if fields.get("evidence") == "html":
        fields["evidence"] = upload("form.pdf", b"<html><script>alert(1)</script>")
    if fields.get("given_by") == "stranger":
        fields["given_by"] = family["stranger"].pk  # a person of another team
    client.force_login(personas["caseworker"])
    response = record(client, family[who], **fields)
    assert response.status_code == 200
    form = response.context["consent_form"]
    assert message in " ".join(form.errors[field])
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Consent.objects.exists()


@pytest.mark.django_db
def test_withdrawing_through_the_tab(client, personas, family, give):
    consent = give(family["anna"], "evaluation", given_on=dt.date(2026, 3, 1))
    client.force_login(personas["caseworker"])
    url = reverse("consents:withdraw", args=[consent.pk])
    prefix = f"w{consent.pk}-"
    refused = client.post(url, {prefix + "withdrawn_on": "2026-02-28", prefix + "reason": "x"})
    assert refused.status_code == 200
    assert "before it was given" in refused.content.decode()
    consent.refresh_from_db()
    assert consent.is_current
    done = client.post(
        url, {prefix + "withdrawn_on": "2026-06-01", prefix + "reason": "No more questionnaires."}
    )
    assert done.status_code == 302
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawal_reason) == (
        dt.date(2026, 6, 1),
        "No more questionnaires.",
    )
    again = client.post(url, {prefix + "reason": "again"}, follow=True)
    assert "already withdrawn" in again.content.decode()


@pytest.mark.django_db
def test_evidence_upload_and_audited_download(client, personas, family, give):
    consent = give(family["anna"])
    client.force_login(personas["caseworker"])
    upload_url = reverse("consents:attach_evidence", args=[consent.pk])
    bad = client.post(upload_url, {f"e{consent.pk}-evidence": upload("x.pdf", b"GIF89a")})
    assert bad.status_code == 200
    assert "PDF, JPEG or PNG" in bad.content.decode()
    consent.refresh_from_db()
    assert not consent.evidence
    ok = client.post(upload_url, {f"e{consent.pk}-evidence": upload()})
    assert ok.status_code == 302

    response = client.get(reverse("consents:evidence", args=[consent.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="consent-{consent.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == PDF
    read = AuditEvent.objects.get(action=Action.READ, object_type="consents.consent")
    assert (read.actor, read.object_id, read.extra) == (
        personas["caseworker"],
        str(consent.pk),
        {"file": "evidence"},
    )

    # Another team: 404, and no read is logged.
    client.force_login(personas["caseworker_b"])
    assert client.get(reverse("consents:evidence", args=[consent.pk])).status_code == 404
    assert (
        AuditEvent.objects.filter(action=Action.READ, object_type="consents.consent").count() == 1
    )


@pytest.mark.django_db
def test_a_consent_without_evidence_has_nothing_to_download(client, personas, family, give):
    consent = give(family["anna"])
    client.force_login(personas["caseworker"])
    assert client.get(reverse("consents:evidence", args=[consent.pk])).status_code == 404


@pytest.mark.django_db
def test_a_giver_from_a_hidden_team_is_named_by_reference(client, personas, family, team_b, give):
    lena = family["lena"]
    father = create_person(None, teams=[team_b], given_name="Pavel", family_name="Petrov")
    add_relationship(None, lena, father, RelationshipKind.FATHER, parental_responsibility=True)
    give(lena, given_by=father)
    client.force_login(personas["caseworker"])
    response = tab(client, lena)
    html = response.content.decode()
    assert "Pavel" not in html
    assert father.reference in html
    # Nor is he offered as a giver.
    choices = response.context["consent_form"].fields["given_by"].choices
    assert father.pk not in [pk for pk, _label in choices]


@pytest.mark.django_db
def test_consents_tab_queries_stay_constant(
    client, personas, family, give, pact, assert_constant_queries
):
    lena, anna = family["lena"], family["anna"]
    client.force_login(personas["caseworker"])
    days = itertools.count(1)

    def grow():
        for purpose in ("casework", "photos", "evaluation"):
            consent = give(
                lena,
                purpose,
                given_by=anna,
                given_on=dt.date(2026, 1, next(days)),
                evidence=upload("s.pdf", PDF),
            )
            actions.withdraw_consent(personas["caseworker"], consent, reason="test")
        give(lena, "sharing", partner=pact, given_by=anna)
        actions.withdraw_consent(
            None, lena.consents.get(purpose="sharing", withdrawn_on=None), reason="x"
        )

    grow()
    assert_constant_queries(lambda: tab(client, lena), grow)
