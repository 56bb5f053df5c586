"""Access expectations of the casework pages and API: plan (see kinbridge/tests/access_rules.py).

The target case belongs to team B and is led by ``caseworker_b``: team B's casework
staff and administrators see it (200), the team A caseworker does not find it
(404), roles without casework get 403. The list of needs is administered by
administrators only; casework roles read it through the API.
"""

from __future__ import annotations

from kinbridge.tests.access_rules import administrators, api, signed_in

CASEWORK_STAFF_B = {"administrator": 200, "programme_manager": 200, "caseworker_b": 200}
CASEWORK_ROLES = CASEWORK_STAFF_B | {"caseworker": 200}
# A record of the team B case.
CASE_PAGE = signed_in(403) | CASEWORK_STAFF_B | {"caseworker": 404}
CASE_API = api(403) | CASEWORK_STAFF_B | {"caseworker": 404}
# Lists and pages with no record: every casework role.
CASEWORK_PAGE = signed_in(403) | CASEWORK_ROLES
CASEWORK_API = api(403) | CASEWORK_ROLES

EXPECTATIONS: dict = {
    "casework:case_plan": ("get", "case", CASE_PAGE),
    "casework:need_add": ("get", "case", CASE_PAGE),
    "casework:need_edit": ("get", "case_need", CASE_PAGE),
    "casework:goal_add": ("get", "case", CASE_PAGE),
    "casework:goal_edit": ("get", "goal", CASE_PAGE),
    "casework:plan_review_add": ("get", "case", CASE_PAGE),
    "casework:needtype_list": ("get", None, administrators()),
    "casework:needtype_edit": ("get", "need_type", administrators()),
    "api:needtype-list": ("get", None, CASEWORK_API),
    "api:needtype-detail": ("get", "need_type", CASEWORK_API),
    "api:caseneed-list": ("get", None, CASEWORK_API),
    "api:caseneed-detail": ("get", "case_need", CASE_API),
    "api:goal-list": ("get", None, CASEWORK_API),
    "api:goal-detail": ("get", "goal", CASE_API),
    "api:planreview-list": ("get", None, CASEWORK_API),
    "api:planreview-detail": ("get", "plan_review", CASE_API),
}
