"""Access expectations of the casework pages and API: risks (see kinbridge/tests/access_rules.py).

The target flag is on team B's target case, led by ``caseworker_b``: team B's
casework staff (its lead worker, its programme manager) and administrators
reach it; the team A caseworker does not find it (404); roles without
casework get 403.
"""

from __future__ import annotations

from kinbridge.tests.access_rules import api, signed_in

# Team B casework staff who may see the target case's flags.
FLAG_KEEPERS = {"administrator": 200, "programme_manager": 200, "caseworker_b": 200}
NO_CASEWORK = {"facilitator": 403, "volunteer_coordinator": 403, "volunteer": 403, "analyst": 403}
PAGE_B = signed_in(404) | NO_CASEWORK
API_B = api(404) | NO_CASEWORK


def keepers(status):
    return dict.fromkeys(FLAG_KEEPERS, status)


EXPECTATIONS: dict = {
    "casework:riskflag_create": ("get", "case", PAGE_B | FLAG_KEEPERS),
    "casework:riskflag_resolve": ("get", "risk_flag", PAGE_B | FLAG_KEEPERS),
    # Flags of the cases one may see; an empty list for the others (never 404).
    "api:riskflag-list": ("get", None, api(200) | NO_CASEWORK),
    "api:riskflag-detail": ("get", "risk_flag", API_B | FLAG_KEEPERS),
    # Past the access checks, an empty body is refused as bad input (400).
    "api:riskflag-resolve": ("post", "risk_flag", API_B | keepers(400)),
}
