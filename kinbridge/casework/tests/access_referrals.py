"""Access expectations of the casework pages and API: referrals (see kinbridge/tests/access_rules.py).

The target referral waits in team B's queue; the target referral out belongs to
team B's target case. Team A's caseworker sees the queue (its teams' and the
team-less referrals) but gets 404 on team B's records; roles without casework
get 403 everywhere.
"""

from __future__ import annotations

from kinbridge.tests.access_rules import ALLOWED, api, signed_in

NO_CASEWORK = dict.fromkeys(["facilitator", "volunteer_coordinator", "volunteer", "analyst"], 403)
TEAM_B_CASEWORK = ["administrator", "programme_manager", "caseworker_b"]


def queue(status=200):
    """Pages without a record: every casework role."""
    return signed_in(status) | NO_CASEWORK


def team_b(status=200):
    """A team B record: its casework staff; team A's caseworker does not find it."""
    return signed_in(404) | NO_CASEWORK | dict.fromkeys(TEAM_B_CASEWORK, status)


def api_queue(status=200):
    return api(status) | NO_CASEWORK


def api_team_b(status=200):
    return api(404) | NO_CASEWORK | dict.fromkeys(TEAM_B_CASEWORK, status)


EXPECTATIONS: dict = {
    "casework:referral_list": ("get", None, queue()),
    "casework:referral_create": ("get", None, queue()),
    "casework:referral_detail": ("get", "referral", team_b()),
    # An empty decision comes back on the triage page with its errors (200).
    "casework:referral_accept": ("post", "referral", team_b()),
    "casework:referral_decline": ("post", "referral", team_b()),
    "casework:referral_out_create": ("get", "case", team_b()),
    "casework:referral_out_answer": ("get", "referral_out", team_b()),
    "api:referral-list": ("get", None, api_queue()),
    "api:referral-detail": ("get", "referral", api_team_b()),
    # Past the access checks, an empty body is refused as bad input (400).
    "api:referral-accept": ("post", "referral", api_team_b(ALLOWED)),
    "api:referral-decline": ("post", "referral", api_team_b(ALLOWED)),
    "api:referralout-list": ("get", None, api_queue()),
    "api:referralout-detail": ("get", "referral_out", api_team_b()),
}
