"""The personas and the expectation helpers of the access matrix, shared by every app's
access table (``kinbridge/<app>/tests/access_*.py``)."""

from __future__ import annotations

PERSONAS = [
    "anonymous",
    "administrator",
    "programme_manager",
    "caseworker",
    "caseworker_b",
    "facilitator",
    "volunteer_coordinator",
    "volunteer",
    "analyst",
]
ROLES = PERSONAS[1:]
LOGIN = "login"  # a redirect to the sign-in page
ALLOWED = "allowed"  # let through: neither 401, 403 nor 404 (e.g. 400 "already ended")


def everyone(status, anonymous=None):
    return dict.fromkeys(ROLES, status) | {"anonymous": anonymous or status}


def signed_in(status=200):
    return everyone(status, anonymous=LOGIN)


def administrators(status=200, others=403):
    return dict.fromkeys(ROLES, others) | {"administrator": status, "anonymous": LOGIN}


def api(status=200):
    return everyone(status, anonymous=401)


def api_administrators(status=200):
    return dict.fromkeys(ROLES, 403) | {"administrator": status, "anonymous": 401}


TEAM_B_STAFF = dict.fromkeys(
    ["administrator", "programme_manager", "caseworker_b", "facilitator"], 200
)
NO_NAMES = {"volunteer": 403, "analyst": 403}
# Organisational reference data (facilities, partners): every role reads,
# administrators and programme managers write.
REFERENCE_EDITORS = {"administrator": 200, "programme_manager": 200}

# A person of team B and an administrators-only action: team B staff see the person
# but may not act (403); everyone else gets 404, as if the person did not exist.
TEAM_B_NOT_ADMIN = dict.fromkeys(["programme_manager", "caseworker_b", "facilitator"], 403)


def team_b_administrators(status=200):
    return signed_in(404) | TEAM_B_NOT_ADMIN | {"administrator": status}


def api_team_b_administrators(status=200):
    return api(404) | TEAM_B_NOT_ADMIN | NO_NAMES | {"administrator": status}
