"""Triage: accepting a referral (linking or creating the person, opening the case) or
declining it; a referral decided once cannot be decided again."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kinbridge.audit.models import AuditEvent
from kinbridge.casework import referral_actions
from kinbridge.casework.locking import StaleEdit
from kinbridge.casework.models import Case, CaseNeed, Referral, ReferralStatus
from kinbridge.casework.tests import referrals_setup
from kinbridge.casework.tests.referrals_setup import file, signed_in
from kinbridge.people.actions import create_person
from kinbridge.people.models import Person

world = referrals_setup.world
pytestmark = pytest.mark.django_db


def accept_url(referral):
    return reverse("casework:referral_accept", args=[referral.pk])


def accept_form(world, referral, **extra):
    return {
        "person": "",
        "role": "relative",
        "team": world["team_b"].pk,
        "case_type": "targeted_assistance",
        "lead_worker": world["caseworker_b"].pk,
        "version": referral.version,
    } | extra


def test_accepting_creates_the_person_and_opens_the_case(world):
    referral = file(world["caseworker_b"], team=world["team_b"], needs=["housing", "legal"])
    response = signed_in(world["caseworker_b"]).post(
        accept_url(referral), accept_form(world, referral)
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    person, case = referral.person, referral.case
    assert (person.given_name, person.family_name) == ("Olga", "Petrova")
    assert person.phone == referral.phone
    assert list(person.roles.values_list("role", flat=True)) == ["relative"]
    assert list(person.team_links.values_list("team_id", flat=True)) == [world["team_b"].pk]
    assert case.client == person and case.team == world["team_b"]
    # A lead worker was chosen: the case is past referral, at assessment.
    assert case.status == "assessment" and case.lead_worker == world["caseworker_b"]
    needs = CaseNeed.objects.filter(case=case)
    assert sorted(needs.values_list("need__code", flat=True)) == ["housing", "legal"]
    assert set(needs.values_list("severity", flat=True)) == {2}
    assert referral.decided_by == world["caseworker_b"]
    page = signed_in(world["caseworker_b"]).get(response["Location"]).content.decode()
    assert case.reference in page and person.reference in page
    assert AuditEvent.objects.filter(
        object_type="casework.referral", object_id=str(referral.pk), action="update"
    ).exists()


def test_accepting_without_a_lead_leaves_the_case_at_referred(world):
    referral = file(world["caseworker_b"])
    referral = referral_actions.accept_referral(
        world["caseworker_b"], referral, team=world["team_b"], case_type="family_casework"
    )
    assert referral.case.status == "referred" and referral.team == world["team_b"]


def test_accepting_can_link_an_existing_person(world):
    referral = file(world["caseworker_b"], given_name="Maria", family_name="Ivanova")
    people = Person.objects.count()
    response = signed_in(world["programme_manager"]).post(
        accept_url(referral), accept_form(world, referral, person=world["client"].pk)
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.person == world["client"]
    assert Person.objects.count() == people
    assert Case.objects.filter(client=world["client"]).count() == 2


def test_a_person_of_another_team_cannot_be_linked(world):
    stranger = create_person(None, teams=[world["team_a"]], given_name="Anna", family_name="K")
    referral = file(world["caseworker_b"])
    with pytest.raises(ValidationError) as refused:
        referral_actions.accept_referral(
            world["caseworker_b"],
            referral,
            team=world["team_b"],
            case_type="family_casework",
            person=stranger,
        )
    assert "person" in refused.value.message_dict
    assert not Case.objects.filter(client=stranger).exists()


def test_a_new_person_with_likely_duplicates_needs_a_confirmation(world):
    referral = file(world["caseworker_b"], team=world["team_b"])
    same = create_person(
        None,
        teams=[world["team_b"]],
        given_name="Ольга",
        family_name="Петрова",
        birth_date=referral.birth_date,
    )
    client = signed_in(world["caseworker_b"])
    page = client.get(reverse("casework:referral_detail", args=[referral.pk]))
    assert [c.person for c in page.context["duplicates"].candidates] == [same]
    assert same.reference in page.content.decode()
    people = Person.objects.count()

    refused = client.post(accept_url(referral), accept_form(world, referral))
    assert refused.status_code == 200
    assert "confirm_not_duplicate" in refused.context["accept_form"].errors
    assert Person.objects.count() == people
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NEW

    token = refused.context["accept_form"]["seen_duplicates"].value()
    confirmed = client.post(
        accept_url(referral),
        accept_form(world, referral, seen_duplicates=token, confirm_not_duplicate="on"),
    )
    assert confirmed.status_code == 302
    assert Person.objects.count() == people + 1
    referral.refresh_from_db()
    assert referral.person != same
    created = AuditEvent.objects.get(
        object_type="people.person", object_id=str(referral.person_id), action="create"
    )
    assert "confirmed_not_duplicate_of" in created.changes


def test_declining_needs_a_reason(world):
    referral = file(world["caseworker_b"], team=world["team_b"])
    client = signed_in(world["caseworker_b"])
    url = reverse("casework:referral_decline", args=[referral.pk])
    response = client.post(url, {"reason": "  ", "version": referral.version})
    assert response.status_code == 200
    assert "reason" in response.context["decline_form"].errors
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NEW

    response = client.post(
        url,
        {
            "reason": "Lives outside the regions we serve.",
            "signposted_to": "Family support line",
            "version": referral.version,
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert "Family support line" in referral.decline_reason
    assert referral.person is None and referral.case is None


def test_a_decided_referral_cannot_be_decided_again(world):
    referral = file(world["caseworker_b"], team=world["team_b"])
    referral_actions.decline_referral(world["programme_manager"], referral, reason="Duplicate")
    client = signed_in(world["caseworker_b"])
    response = client.post(accept_url(referral), accept_form(world, referral), follow=True)
    assert "already declined this referral" in response.content.decode()
    assert not Case.objects.filter(referrals_in=referral).exists()


def test_two_coordinators_accepting_the_same_referral_open_one_case(world):
    referral = file(world["caseworker_b"], team=world["team_b"])
    seen_by_first = Referral.objects.get(pk=referral.pk)
    seen_by_second = Referral.objects.get(pk=referral.pk)
    referral_actions.accept_referral(
        world["caseworker_b"],
        seen_by_first,
        team=world["team_b"],
        case_type="family_casework",
        version=seen_by_first.version,
    )
    with pytest.raises(referral_actions.AlreadyDecided):
        referral_actions.accept_referral(
            world["programme_manager"],
            seen_by_second,
            team=world["team_b"],
            case_type="family_casework",
            version=seen_by_second.version,
        )
    assert Case.objects.filter(referrals_in=referral).count() == 1
    assert Person.objects.filter(given_name="Olga").count() == 1


def test_a_stale_version_is_refused(world):
    referral = file(world["caseworker_b"], team=world["team_b"])
    Referral.objects.filter(pk=referral.pk).update(version=referral.version + 1)
    with pytest.raises(StaleEdit):
        referral_actions.decline_referral(
            world["caseworker_b"], referral, reason="x", version=referral.version
        )
