"""Referrals into the intake queue: the public form's entry point and the staff form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kinbridge.accounts.actions import create_team
from kinbridge.audit.models import AuditEvent
from kinbridge.casework import intake
from kinbridge.casework.models import Referral, ReferralStatus
from kinbridge.casework.tests import referrals_setup
from kinbridge.casework.tests.referrals_setup import days_ago, file, signed_in
from kinbridge.people.models import Person

world = referrals_setup.world
pytestmark = pytest.mark.django_db


def public(**extra):
    values = {
        "name": "Sveta",
        "contact": "Text only, in the evening",
        "contact_safety": "write_only",
        "consent_to_contact": True,
        "kind_of_help": "targeted_assistance",
        "language": "ru",
        "message": "My husband was sentenced last week; I do not know how to tell our son.",
        "needs": ["talking_to_children"],
    }
    return intake.submit_public_request(**(values | extra))


def test_public_request_files_one_queue_item_and_no_person(world):
    people = Person.objects.count()
    referral = public(region=world["regions"]["b"])
    assert Referral.objects.count() == 1
    assert Person.objects.count() == people
    assert referral.source == "public_form"
    assert referral.status == ReferralStatus.NEW
    assert referral.person is None and referral.created_by is None
    assert referral.consent_to_contact
    assert referral.safe_contact_note == "Text only, in the evening"
    # Exactly one active team serves region B: the referral goes to it.
    assert referral.team == world["team_b"]
    assert AuditEvent.objects.filter(object_id=str(referral.pk), action="create").exists()


def test_public_request_waits_without_team_when_the_region_is_ambiguous(world):
    create_team(None, name="Team B2", region=world["regions"]["b"])
    assert public(region=world["regions"]["b"]).team is None
    assert public(region=None).team is None


def test_public_request_without_consent_is_refused_and_saves_nothing(world):
    with pytest.raises(ValidationError) as refused:
        public(consent_to_contact=False)
    assert "consent_to_contact" in refused.value.message_dict
    assert not Referral.objects.exists()


def test_public_request_needs_a_name_and_a_way_to_reach_them(world):
    with pytest.raises(ValidationError) as refused:
        public(name=" ", contact="")
    assert set(refused.value.message_dict) == {"given_name", "phone"}
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"source": "partner"}, "partner"),
        ({"source": "prison_staff"}, "facility"),
        ({"received_on": dt.date.today() + dt.timedelta(days=2)}, "received_on"),
        ({"given_name": ""}, "given_name"),
        ({"phone": ""}, "phone"),
        ({"email": "not an address"}, "email"),
        ({"needs": ["no_such_need"]}, "needs"),
    ],
)
def test_bad_referrals_are_refused_at_the_field(world, fields, field):
    with pytest.raises(ValidationError) as refused:
        file(world["caseworker_b"], **fields)
    assert field in refused.value.message_dict
    assert not Referral.objects.exists()


def test_a_note_on_how_to_reach_them_stands_in_for_a_phone(world):
    referral = file(world["caseworker_b"], phone="", safe_contact_note="Through the partner only")
    assert referral.status == ReferralStatus.NEW


def test_staff_file_for_their_own_teams_only(world):
    with pytest.raises(ValidationError) as refused:
        file(world["caseworker"], team=world["team_b"])
    assert "team" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        file(world["facilitator"])


def test_the_staff_form_puts_a_partner_referral_in_the_queue(world):
    client = signed_in(world["caseworker_b"])
    response = client.post(
        reverse("casework:referral_create"),
        {
            "source": "partner",
            "partner": world["partner"].pk,
            "received_on": days_ago(1).isoformat(),
            "team": world["team_b"].pk,
            "given_name": "Nina",
            "family_name": "Sokolova",
            "phone": "+7 900 000 11 22",
            "contact_safety": "call_only",
            "case_type": "family_casework",
            "needs": ["housing", "financial"],
            "consent_to_contact": "on",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:referral_detail", args=[referral.pk])
    assert referral.partner == world["partner"]
    assert referral.needs == ["housing", "financial"]
    assert referral.created_by == world["caseworker_b"]


def test_the_staff_form_shows_errors_at_the_fields_and_saves_nothing(world):
    client = signed_in(world["caseworker_b"])
    response = client.post(
        reverse("casework:referral_create"),
        {"source": "partner", "received_on": days_ago(-3).isoformat(), "contact_safety": "safe"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"partner", "received_on", "given_name", "phone"} <= set(errors)
    assert not Referral.objects.exists()
