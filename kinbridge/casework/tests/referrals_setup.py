"""Shared records of the referral tests: team B's queue, a partner and a client with a case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from kinbridge.casework import case_actions, intake
from kinbridge.consents.actions import record_consent
from kinbridge.partners.actions import create_partner
from kinbridge.people.actions import create_person


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def file(actor=None, **fields):
    """A referral from a partner-less source with the least a referral needs."""
    values = {
        "source": "self",
        "given_name": "Olga",
        "family_name": "Petrova",
        "birth_date": dt.date(1990, 4, 12),
        "phone": "+7 900 111 22 33",
        "received_on": days_ago(2),
    }
    return intake.file_referral(actor, **(values | fields))


def sharing_consent(person, partner, *, given_on=None):
    return record_consent(
        None,
        person,
        purpose="sharing",
        partner=partner,
        given_by=person,
        given_on=given_on or days_ago(40),
        method="verbal",
    )


@pytest.fixture
def world(personas, team_a, team_b, regions):
    partner = create_partner(None, name="Legal Aid Samara", region=regions["b"], contacts=[])
    client = create_person(
        None, teams=[team_b], given_name="Maria", family_name="Ivanova", roles=["relative"]
    )
    case = case_actions.create_case(
        None,
        client=client,
        team=team_b,
        case_type="targeted_assistance",
        lead_worker=personas["caseworker_b"],
        opened_on=days_ago(60),
    )
    return {
        **personas,
        "team_a": team_a,
        "team_b": team_b,
        "regions": regions,
        "partner": partner,
        "client": client,
        "case": case,
    }
