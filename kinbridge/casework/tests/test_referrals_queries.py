"""Query counts of the queue, the triage page, the referral-out panel and the API lists
stay the same as rows grow."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from kinbridge.casework import referral_actions
from kinbridge.casework.tests import referrals_setup
from kinbridge.casework.tests.referrals_setup import days_ago, file, sharing_consent, signed_in
from kinbridge.facilities.actions import create_facility
from kinbridge.partners.actions import create_partner
from kinbridge.people.actions import create_person

world = referrals_setup.world
pytestmark = pytest.mark.django_db
counter = itertools.count()


def add_referrals(world, n=3):
    facility = create_facility(
        None,
        name=f"IK-{next(counter)}",
        kind="womens_colony",
        region=world["regions"]["b"],
        children_capacity=None,
        child_age_limit_months=36,
        rules={},
    )
    for index in range(n):
        file(world["caseworker_b"], team=world["team_b"], given_name=f"Anna {index}")
        file(world["caseworker_b"], source="partner", partner=world["partner"])
        file(world["caseworker_b"], source="prison_staff", facility=facility)
    decided = file(world["caseworker_b"], team=world["team_b"])
    referral_actions.decline_referral(world["caseworker_b"], decided, reason="Not ours")


def test_the_queue_page(world, assert_constant_queries):
    add_referrals(world, 1)
    client = signed_in(world["programme_manager"])
    url = reverse("casework:referral_list")

    def fetch():
        assert client.get(url).status_code == 200

    assert_constant_queries(fetch, lambda: add_referrals(world))


def test_the_triage_page(world, assert_constant_queries):
    referral = file(world["caseworker_b"], team=world["team_b"], needs=["housing"])
    client = signed_in(world["caseworker_b"])
    url = reverse("casework:referral_detail", args=[referral.pk]) + "?q=Petrova"

    def similar_people(team):
        for _index in range(3):
            create_person(
                None,
                teams=[team],
                given_name="Olga",
                family_name="Petrova",
                birth_date=referral.birth_date,
            )

    def fetch():
        assert client.get(url).status_code == 200

    # Each hidden strong match is one audited hint (at most duplicates.SHOWN): keep those
    # fixed and grow the candidates the worker sees.
    similar_people(world["team_a"])
    similar_people(world["team_b"])
    assert_constant_queries(fetch, lambda: similar_people(world["team_b"]))


def add_referrals_out(world):
    for _index in range(2):
        partner = create_partner(None, name=f"Partner {next(counter)}", contacts=[])
        sharing_consent(world["client"], partner)
        referral_actions.refer_out(
            None,
            world["case"],
            partner=partner,
            reason="Help",
            shared_items=["contact"],
            sent_on=days_ago(3),
        )


def test_the_referrals_out_page(world, assert_constant_queries):
    add_referrals_out(world)
    client = signed_in(world["caseworker_b"])
    url = reverse("casework:referral_out_create", args=[world["case"].pk])

    def fetch():
        assert client.get(url).status_code == 200

    assert_constant_queries(fetch, lambda: add_referrals_out(world))


@pytest.mark.parametrize("url", ["/api/v1/referrals/", "/api/v1/referrals-out/"])
def test_the_api_lists(world, assert_constant_queries, url):
    add_referrals(world, 1)
    add_referrals_out(world)
    client = signed_in(world["caseworker_b"])

    def fetch():
        assert client.get(url).status_code == 200

    def grow():
        add_referrals(world)
        add_referrals_out(world)

    assert_constant_queries(fetch, grow)
