"""The referrals API: the same rules and actions as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from kinbridge.audit.models import AuditEvent
from kinbridge.casework import referral_actions
from kinbridge.casework.models import Case, Referral, ReferralOut
from kinbridge.casework.tests import referrals_setup
from kinbridge.casework.tests.referrals_setup import days_ago, file, sharing_consent
from kinbridge.people.actions import create_person

world = referrals_setup.world
pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user):
        self.client = Client()
        self.client.force_login(user)

    def get(self, url):
        return self.client.get(url)

    def post(self, url, data, **headers):
        return self.client.post(url, data, content_type="application/json", headers=headers)

    def patch(self, url, data):
        return self.client.patch(url, data, content_type="application/json")


def referral_body(world, **extra):
    return {
        "source": "partner",
        "partner": world["partner"].pk,
        "team": world["team_b"].pk,
        "given_name": "Nina",
        "family_name": "Sokolova",
        "email": "nina@example.org",
        "needs": ["housing"],
    } | extra


def test_the_queue_lists_the_teams_referrals_and_those_without_a_team(world):
    mine = file(world["caseworker"], team=world["team_a"])
    unrouted = file(world["caseworker_b"])
    file(world["caseworker_b"], team=world["team_b"])
    rows = Api(world["caseworker"]).get("/api/v1/referrals/").json()["results"]
    assert {row["id"] for row in rows} == {mine.pk, unrouted.pk}


def test_creating_a_referral_is_idempotent(world):
    api = Api(world["caseworker_b"])
    first = api.post("/api/v1/referrals/", referral_body(world), **{"Idempotency-Key": "k-1"})
    again = api.post("/api/v1/referrals/", referral_body(world), **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Referral.objects.count() == 1
    assert first.json()["status"] == "new" and first.json()["needs"] == ["housing"]


def test_a_bad_referral_is_refused_by_field(world):
    response = Api(world["caseworker_b"]).post(
        "/api/v1/referrals/", referral_body(world, partner=None, email="", given_name="")
    )
    assert response.status_code == 400
    assert {"partner", "given_name", "phone"} <= set(response.json())
    assert not Referral.objects.exists()


def test_reading_a_referral_is_audited(world):
    referral = file(world["caseworker_b"], team=world["team_b"])
    response = Api(world["programme_manager"]).get(f"/api/v1/referrals/{referral.pk}/")
    assert response.status_code == 200 and response.json()["reference"] == referral.reference
    assert AuditEvent.objects.filter(
        object_type="casework.referral", object_id=str(referral.pk), action="read"
    ).exists()


def test_accepting_asks_about_likely_duplicates_then_opens_one_case(world):
    referral = file(world["caseworker_b"], team=world["team_b"])
    same = create_person(
        None,
        teams=[world["team_b"]],
        given_name="Olga",
        family_name="Petrova",
        birth_date=referral.birth_date,
    )
    api = Api(world["caseworker_b"])
    url = f"/api/v1/referrals/{referral.pk}/accept/"
    body = {"team": world["team_b"].pk, "case_type": "family_casework", "version": 1}
    asked = api.post(url, body)
    assert asked.status_code == 409
    assert [c["id"] for c in asked.json()["candidates"]] == [same.pk]
    accepted = api.post(
        url,
        body | {"confirm_not_duplicate": True, "seen_duplicates": asked.json()["seen_duplicates"]},
    )
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == "accepted"
    again = api.post(url, body | {"person": same.pk})
    assert again.status_code == 409
    assert "already accepted" in again.json()["detail"]
    assert again.json()["current"]["case"] == accepted.json()["case"]
    assert Case.objects.filter(referrals_in=referral).count() == 1


def test_declining_without_a_reason_is_refused(world):
    referral = file(world["caseworker_b"], team=world["team_b"])
    api = Api(world["caseworker_b"])
    url = f"/api/v1/referrals/{referral.pk}/decline/"
    assert api.post(url, {"reason": ""}).status_code == 400
    response = api.post(url, {"reason": "Not in our area", "signposted_to": "City helpline"})
    assert response.status_code == 200 and response.json()["status"] == "declined"


def out_body(world, **extra):
    return {
        "case": world["case"].pk,
        "partner": world["partner"].pk,
        "reason": "Legal advice",
        "shared_items": ["contact", "needs"],
        "sent_on": days_ago(4).isoformat(),
    } | extra


def test_a_referral_out_without_consent_is_refused_at_partner(world):
    response = Api(world["caseworker_b"]).post("/api/v1/referrals-out/", out_body(world))
    assert response.status_code == 400
    assert "consent" in response.json()["partner"][0]
    assert not ReferralOut.objects.exists()


def test_a_referral_out_of_an_unseen_case_is_refused(world):
    sharing_consent(world["client"], world["partner"])
    response = Api(world["caseworker"]).post("/api/v1/referrals-out/", out_body(world))
    assert response.status_code == 400 and "case" in response.json()
    assert not ReferralOut.objects.exists()


def test_a_referral_out_is_created_once_and_listed_by_case(world):
    consent = sharing_consent(world["client"], world["partner"])
    api = Api(world["caseworker_b"])
    first = api.post("/api/v1/referrals-out/", out_body(world), **{"Idempotency-Key": "o-1"})
    again = api.post("/api/v1/referrals-out/", out_body(world), **{"Idempotency-Key": "o-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["consent"] == consent.pk
    assert ReferralOut.objects.count() == 1
    rows = api.get(f"/api/v1/referrals-out/?case={world['case'].pk}").json()["results"]
    assert [row["id"] for row in rows] == [first.json()["id"]]


def test_a_stale_answer_gets_409_with_the_differences(world):
    sharing_consent(world["client"], world["partner"])
    referral = referral_actions.refer_out(
        None,
        world["case"],
        partner=world["partner"],
        reason="Legal advice",
        shared_items=["contact"],
        sent_on=days_ago(4),
    )
    api = Api(world["caseworker_b"])
    url = f"/api/v1/referrals-out/{referral.pk}/"
    early = api.patch(
        url, {"status": "accepted", "answered_on": days_ago(6).isoformat(), "version": 1}
    )
    assert early.status_code == 400 and "answered_on" in early.json()
    saved = api.patch(
        url, {"status": "accepted", "answered_on": days_ago(2).isoformat(), "version": 1}
    )
    assert saved.status_code == 200 and saved.json()["version"] == 2
    stale = api.patch(
        url, {"status": "declined", "answered_on": days_ago(1).isoformat(), "version": 1}
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["status"] == "accepted"
    assert {d["field"] for d in stale.json()["differences"]} == {"status", "answered_on"}
