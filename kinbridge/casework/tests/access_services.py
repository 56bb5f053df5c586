"""Access expectations of the casework pages and API: services (see kinbridge/tests/access_rules.py).

The target service was given by ``caseworker_b`` on the team B case.
"Log a service" lists the user's own open cases: every casework role opens it.
"""

from __future__ import annotations

from kinbridge.casework.tests.access_plan import CASE_API, CASE_PAGE, CASEWORK_API, CASEWORK_PAGE

EXPECTATIONS: dict = {
    "casework:case_services": ("get", "case", CASE_PAGE),
    "casework:service_add": ("get", "case", CASE_PAGE),
    "casework:service_quick": ("get", None, CASEWORK_PAGE),
    "casework:service_edit": ("get", "service", CASE_PAGE),
    "casework:service_delete": ("get", "service", CASE_PAGE),
    "api:service-list": ("get", None, CASEWORK_API),
    "api:service-detail": ("get", "service", CASE_API),
}
