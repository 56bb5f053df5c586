"""Erasure and merge across the registry's apps: custody, stays and consents."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kinbridge.consents.actions import record_consent
from kinbridge.consents.models import Consent
from kinbridge.custody import actions as custody
from kinbridge.custody.models import ChildResidence, CustodyEpisode
from kinbridge.facilities.actions import create_facility
from kinbridge.people import erasure
from kinbridge.people.actions import add_relationship, create_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def mother_and_baby(team_b, regions):
    today = dt.date.today()
    colony = create_facility(
        None,
        name="IK-15",
        kind="womens_colony",
        region=regions["b"],
        children_capacity=10,
        child_age_limit_months=36,
    )
    mother = create_person(None, teams=[team_b], given_name="Мария", family_name="Иванова")
    baby = create_person(
        None, teams=[team_b], given_name="Артём", birth_date=today - dt.timedelta(days=90)
    )
    add_relationship(None, baby, mother, "mother", parental_responsibility=True)
    episode = custody.record_episode(
        None,
        mother,
        facility=colony,
        status="sentenced",
        start=today - dt.timedelta(days=400),
        notes="Lives in unit 3 with Мария's cousin",
    )
    custody.place_child(None, child=baby, mother=mother, start=baby.birth_date)
    consent = record_consent(
        None,
        mother,
        purpose="casework",
        given_by=mother,
        given_on=today,
        method="written",
        evidence=SimpleUploadedFile("signed.pdf", "%PDF-1.4 Мария Иванова".encode()),
    )
    return {"mother": mother, "baby": baby, "episode": episode, "consent": consent}


def test_erasure_keeps_custody_and_consent_rows_but_blanks_what_identifies(
    personas, mother_and_baby, django_capture_on_commit_callbacks
):
    mother, consent = mother_and_baby["mother"], mother_and_baby["consent"]
    stored = consent.evidence.path
    before = (
        CustodyEpisode.objects.count(),
        ChildResidence.objects.count(),
        Consent.objects.count(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        erasure.erase_person(
            personas["administrator"], mother, reason="request", confirmation=mother.reference
        )
    after = (
        CustodyEpisode.objects.count(),
        ChildResidence.objects.count(),
        Consent.objects.count(),
    )
    assert after == before  # counts by facility and programme stay the same
    episode = CustodyEpisode.objects.get(pk=mother_and_baby["episode"].pk)
    assert episode.notes == "" and episode.facility.name == "IK-15"
    consent.refresh_from_db()
    assert not consent.evidence
    assert not os.path.exists(stored)  # the signed form itself is gone


def test_erased_people_get_no_new_custody_or_consent(personas, mother_and_baby):
    mother = mother_and_baby["mother"]
    admin = personas["administrator"]
    erasure.erase_person(admin, mother, reason="request", confirmation=mother.reference)
    mother.refresh_from_db()
    with pytest.raises(ValidationError, match="erased"):
        custody.record_episode(
            admin,
            mother,
            facility=mother_and_baby["episode"].facility,
            status="remand",
            start=dt.date(2015, 1, 1),
            end=dt.date(2015, 6, 1),
        )
    with pytest.raises(ValidationError, match="erased"):
        record_consent(
            admin,
            mother,
            purpose="photos",
            given_by=mother,
            given_on=dt.date.today(),
            method="verbal",
        )
