"""Access expectations of the programme pages and API: attendance (see kinbridge/tests/access_rules.py).

The target session belongs to team B and is run by the facilitator persona.
Reading a roster: administrators, team B's manager and caseworker, and the
facilitator; analysts see the session but not its roster (403); volunteers
see nothing of programmes (403); team A's caseworker and coordinator do not
see the session (404). Recording and paper registers: administrators, the
manager and the facilitator; the team B caseworker reads only (403).
"""

from __future__ import annotations

from kinbridge.tests.access_rules import ALLOWED, TEAM_B_STAFF, api, signed_in

# Pages of a team B session.
ROSTER_READERS = signed_in(404) | TEAM_B_STAFF | {"analyst": 403, "volunteer": 403}
RECORDERS = ROSTER_READERS | {"caseworker_b": 403}
# Pages that do not name a session: the roles that record attendance somewhere.
RECORDING_ROLES = signed_in(403) | {
    "administrator": 200,
    "programme_manager": 200,
    "facilitator": 200,
}
# The API: roles that never read rosters get 403 before anything is looked up.
API_NO_ROSTERS = {"analyst": 403, "volunteer": 403}
API_ROSTER_READERS = api(404) | TEAM_B_STAFF | API_NO_ROSTERS
# Posting {}: past the role check the empty body is bad input (400).
API_RECORDERS = api(ALLOWED) | API_NO_ROSTERS

EXPECTATIONS: dict = {
    "programmes:roster": ("get", "session", ROSTER_READERS),
    # An empty post is sent back to the roster with a message (302).
    "programmes:roster_row": (
        "post",
        "session",
        RECORDERS | dict.fromkeys(["administrator", "programme_manager", "facilitator"], 302),
    ),
    "programmes:register_print": ("get", "session", RECORDERS),
    "programmes:register_sheet": ("get", "sheet_pk", ROSTER_READERS),
    "programmes:register_pdf": ("get", "sheet_pk", ROSTER_READERS),
    "programmes:register_template": ("get", "sheet_pk", ROSTER_READERS),
    "programmes:register_entry": ("get", "sheet", RECORDERS),
    "programmes:register_find": ("get", None, RECORDING_ROLES),
    "programmes:register_upload": ("get", None, RECORDING_ROLES),
    "api:attendance-list": ("get", None, api() | API_NO_ROSTERS),
    "api:attendance-detail": ("get", "attendance", API_ROSTER_READERS),
    "api:attendance-bulk": ("post", None, API_RECORDERS),
    "api:registersheet-list": ("get", None, api() | API_NO_ROSTERS),
    "api:registersheet-detail": ("get", "sheet_pk", API_ROSTER_READERS),
    # The team B caseworker reads the register but may not enter it.
    "api:registersheet-enter": (
        "post",
        "sheet_pk",
        api(404)
        | API_NO_ROSTERS
        | {"caseworker_b": 403}
        | dict.fromkeys(["administrator", "programme_manager", "facilitator"], ALLOWED),
    ),
}
