"""Access expectations of the programme pages and API: projects (see kinbridge/tests/access_rules.py).

Projects, indicators and programmes of team B: its staff and analysts read them
(aggregates only), other teams get 404, volunteers 403. Administrators and
team B's programme manager change them; the other readers get 403.
"""

from __future__ import annotations

from kinbridge.tests.access_rules import *  # noqa: F403
from kinbridge.tests.access_rules import ALLOWED, api, signed_in

B_READERS = ["administrator", "programme_manager", "caseworker_b", "facilitator", "analyst"]
B_EDITORS = ["administrator", "programme_manager"]
NO_PROGRAMMES = {"volunteer": 403}


def team_b_readers(status=200):
    """A team B record: its readers get ``status``; other teams 404; volunteers 403."""
    return signed_in(404) | dict.fromkeys(B_READERS, status) | NO_PROGRAMMES


def team_b_editors(status=200):
    """A change to a team B record: readers who may not plan get 403."""
    return team_b_readers(403) | dict.fromkeys(B_EDITORS, status)


def api_team_b_readers(status=200):
    return api(404) | dict.fromkeys(B_READERS, status) | NO_PROGRAMMES


def api_team_b_editors(status=200):
    return api_team_b_readers(403) | dict.fromkeys(B_EDITORS, status)


EXPECTATIONS: dict = {
    "programmes:project_list": ("get", None, signed_in() | NO_PROGRAMMES),
    "programmes:project_create": ("get", None, signed_in(403) | dict.fromkeys(B_EDITORS, 200)),
    "programmes:project_detail": ("get", "project", team_b_readers()),
    "programmes:project_edit": ("get", "project", team_b_editors()),
    "programmes:indicator_create": ("get", "project", team_b_editors()),
    "programmes:indicator_edit": ("get", "indicator", team_b_editors()),
    # GET asks for confirmation; nothing is deleted.
    "programmes:indicator_delete": ("get", "indicator", team_b_editors()),
    # An empty post (no direction) changes nothing and goes back to the project.
    "programmes:indicator_move": ("post", "indicator", team_b_editors(302)),
    "programmes:indicator_evidence": ("get", "manual_indicator", team_b_readers()),
    "programmes:indicator_breakdown": ("get", "indicator", team_b_readers()),
    "api:programme-list": ("get", None, api() | NO_PROGRAMMES),
    "api:programme-detail": ("get", "programme", api_team_b_readers()),
    # Funders are shared by every team.
    "api:funder-list": ("get", None, api() | NO_PROGRAMMES),
    "api:funder-detail": ("get", "funder", api() | NO_PROGRAMMES),
    "api:project-list": ("get", None, api() | NO_PROGRAMMES),
    "api:project-detail": ("get", "project", api_team_b_readers()),
    "api:indicator-list": ("get", None, api() | NO_PROGRAMMES),
    "api:indicator-detail": ("get", "indicator", api_team_b_readers()),
    # Past every access check, an empty body is refused as bad input (400).
    "api:indicator-move": ("post", "indicator", api_team_b_editors(ALLOWED)),
    "api:indicator-evidence": ("get", "manual_indicator", api_team_b_readers()),
}
