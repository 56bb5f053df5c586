"""Access expectations of the casework pages and API: dashboards (see kinbridge/tests/access_rules.py).

"My caseload" is open to every casework role (their own figures); the team
caseloads to supervisors (programme managers) and administrators only.
"""

from __future__ import annotations

from kinbridge.tests.access_rules import api, signed_in

CASEWORK = {"administrator": 200, "programme_manager": 200, "caseworker": 200, "caseworker_b": 200}
SUPERVISORS = {"administrator": 200, "programme_manager": 200}

EXPECTATIONS: dict = {
    "casework:my_caseload": ("get", None, signed_in(403) | CASEWORK),
    "casework:team_caseloads": ("get", None, signed_in(403) | SUPERVISORS),
    "api:caseload": ("get", None, api(403) | CASEWORK),
    "api:team-caseloads": ("get", None, api(403) | SUPERVISORS),
}
