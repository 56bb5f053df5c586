"""Access expectations of the casework pages and API: cases (see kinbridge/tests/access_rules.py).

The target case belongs to team B and is led by ``caseworker_b``: team B's casework
staff and administrators get in, the caseworker of team A gets 404 (as if it did not
exist), and roles without casework (facilitator, volunteer coordinator, volunteer,
analyst) get 403 everywhere.
"""

from __future__ import annotations

from kinbridge.tests.access_rules import ALLOWED, api, signed_in

CASE_STAFF = ("administrator", "programme_manager", "caseworker_b")


def page(status=200):
    """A page of the team B case."""
    return signed_in(403) | {"caseworker": 404} | dict.fromkeys(CASE_STAFF, status)


def casework_pages(status=200):
    """A page without a record: every casework role."""
    return signed_in(403) | dict.fromkeys((*CASE_STAFF, "caseworker"), status)


def endpoint(status=200):
    return api(403) | {"caseworker": 404} | dict.fromkeys(CASE_STAFF, status)


EXPECTATIONS: dict = {
    "casework:case_list": ("get", None, casework_pages()),
    "casework:case_create": ("get", None, casework_pages()),
    "casework:case_detail": ("get", "case", page()),
    "casework:case_edit": ("get", "case", page()),
    "casework:case_timeline": ("get", "case", page()),
    # An empty step form comes back on the case page with its errors (400); nothing changes.
    "casework:case_transition": ("post", "case", page(400)),
    # The target case is not closed: refused with a message, back to the case (302).
    "casework:case_reopen": ("post", "case", page(302)),
    # Empty forms: a message on the case page (302); nothing changes.
    "casework:case_worker_add": ("post", "case", page(302)),
    "casework:case_worker_remove": ("post", "case", page(302)),
    "casework:case_member_add": ("post", "case", page(302)),
    "casework:case_member_remove": ("post", "case", page(302)),
    "api:case-list": ("get", None, api(403) | dict.fromkeys((*CASE_STAFF, "caseworker"), 200)),
    "api:case-detail": ("get", "case", endpoint()),
    "api:case-timeline": ("get", "case", endpoint()),
    # Empty bodies are refused as bad input (400) past the access checks.
    "api:case-transition": ("post", "case", endpoint(ALLOWED)),
    "api:case-reopen": ("post", "case", endpoint(ALLOWED)),
    "api:case-add-worker": ("post", "case", endpoint(ALLOWED)),
    "api:case-remove-worker": ("post", "case", endpoint(ALLOWED)),
    "api:case-add-member": ("post", "case", endpoint(ALLOWED)),
    "api:case-remove-member": ("post", "case", endpoint(ALLOWED)),
}
