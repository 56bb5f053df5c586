"""Referrals out of a case: a current consent to share with the partner, what was shared,
and the partner's answer."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kinbridge.audit.models import AuditEvent
from kinbridge.casework import referral_actions
from kinbridge.casework.locking import StaleEdit
from kinbridge.casework.models import ReferralOut
from kinbridge.casework.tests import referrals_setup
from kinbridge.casework.tests.referrals_setup import days_ago, sharing_consent, signed_in
from kinbridge.casework.views.referrals import case_panel
from kinbridge.consents.actions import withdraw_consent

world = referrals_setup.world
pytestmark = pytest.mark.django_db


def form(world, **extra):
    return {
        "partner": world["partner"].pk,
        "reason": "Legal advice on the appeal",
        "shared_items": ["contact", "situation"],
        "shared_note": "",
        "sent_on": days_ago(3).isoformat(),
    } | extra


def refer(world, **extra):
    values = {
        "partner": world["partner"],
        "reason": "Legal advice",
        "shared_items": ["contact"],
        "sent_on": days_ago(5),
    }
    return referral_actions.refer_out(world["caseworker_b"], world["case"], **(values | extra))


def test_without_consent_the_form_refuses_at_the_partner_and_saves_nothing(world):
    url = reverse("casework:referral_out_create", args=[world["case"].pk])
    response = signed_in(world["caseworker_b"]).post(url, form(world))
    assert response.status_code == 200
    errors = response.context["panel"]["form"].errors
    assert "has not given consent for: sharing" in errors["partner"][0]
    html = response.content.decode()
    consents_tab = reverse("people:detail", args=[world["client"].pk]) + "?tab=consents"
    assert consents_tab in html
    assert not ReferralOut.objects.exists()


def test_a_withdrawn_consent_does_not_count(world):
    consent = sharing_consent(world["client"], world["partner"])
    withdraw_consent(None, consent, reason="Changed her mind", withdrawn_on=days_ago(10))
    with pytest.raises(ValidationError) as refused:
        refer(world)
    assert "partner" in refused.value.message_dict
    assert not ReferralOut.objects.exists()


def test_with_consent_the_referral_keeps_what_was_shared_and_the_consent(world):
    consent = sharing_consent(world["client"], world["partner"])
    url = reverse("casework:referral_out_create", args=[world["case"].pk])
    response = signed_in(world["caseworker_b"]).post(
        url, form(world, shared_note="Her son's school", next="/casework/elsewhere/")
    )
    assert response.status_code == 302 and response["Location"] == "/casework/elsewhere/"
    referral = ReferralOut.objects.get()
    assert referral.consent == consent
    assert referral.shared_items == ["contact", "situation"]
    assert referral.shared_note == "Her son's school"
    assert referral.created_by == world["caseworker_b"]
    assert AuditEvent.objects.filter(
        object_type="casework.referralout", object_id=str(referral.pk), action="create"
    ).exists()


def test_a_redirect_off_site_is_not_followed(world):
    sharing_consent(world["client"], world["partner"])
    url = reverse("casework:referral_out_create", args=[world["case"].pk])
    response = signed_in(world["caseworker_b"]).post(url, form(world, next="https://evil.test/"))
    assert response["Location"] == url


def test_bad_referrals_out_are_refused_at_the_field(world):
    sharing_consent(world["client"], world["partner"])
    with pytest.raises(ValidationError) as refused:
        refer(world, reason=" ", shared_items=[], sent_on=days_ago(-1))
    assert {"reason", "shared_items", "sent_on"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError) as refused:
        refer(world, sent_on=days_ago(90))
    assert "sent_on" in refused.value.message_dict
    assert not ReferralOut.objects.exists()


def test_an_answer_before_the_referral_was_sent_is_refused(world):
    sharing_consent(world["client"], world["partner"])
    referral = refer(world)
    url = reverse("casework:referral_out_answer", args=[referral.pk])
    response = signed_in(world["caseworker_b"]).post(
        url,
        {"status": "accepted", "answered_on": days_ago(8).isoformat(), "version": 1},
    )
    assert response.status_code == 200
    assert "answered_on" in response.context["form"].errors
    referral.refresh_from_db()
    assert referral.status == "sent" and referral.answered_on is None

    response = signed_in(world["caseworker_b"]).post(
        url,
        {"status": "completed", "answered_on": days_ago(1).isoformat(), "version": 1},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.version == 2


def test_a_stale_answer_shows_what_changed_and_saves_nothing(world):
    sharing_consent(world["client"], world["partner"])
    referral = refer(world)
    referral_actions.answer_referral_out(
        world["programme_manager"], referral, status="declined", answered_on=days_ago(2), version=1
    )
    url = reverse("casework:referral_out_answer", args=[referral.pk])
    response = signed_in(world["caseworker_b"]).post(
        url, {"status": "accepted", "answered_on": days_ago(1).isoformat(), "version": 1}
    )
    assert response.status_code == 200
    assert {d.field for d in response.context["conflict"]} >= {"status", "answered_on"}
    referral.refresh_from_db()
    assert referral.status == "declined"
    with pytest.raises(StaleEdit):
        referral_actions.answer_referral_out(
            world["caseworker_b"], referral, status="accepted", answered_on=days_ago(1), version=1
        )


def test_the_case_panel_lists_referrals_and_offers_the_form(world, rf):
    sharing_consent(world["client"], world["partner"])
    refer(world)
    request = rf.get("/casework/cases/1/")
    request.user = world["caseworker_b"]
    panel = case_panel(request, world["case"])
    assert [row.partner for row in panel["rows"]] == [world["partner"]]
    assert panel["form"] is not None
    assert "consent to share on file" in str(panel["form"]["partner"])
