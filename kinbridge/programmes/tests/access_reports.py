"""Access expectations of the programme pages and API: reports (see kinbridge/tests/access_rules.py)."""

from __future__ import annotations

from kinbridge.tests.access_rules import *  # noqa: F403
from kinbridge.tests.access_rules import LOGIN, api, signed_in

# Team B's project: its team's staff and administrators, and analysts (who get the
# external variant); other teams' staff get 404; volunteers see no programme (403).
PROJECT_READERS = {
    "administrator": 200,
    "programme_manager": 200,
    "caseworker_b": 200,
    "facilitator": 200,
    "analyst": 200,
    "volunteer": 403,
}
PAGE = signed_in(404) | PROJECT_READERS | {"anonymous": LOGIN}

EXPECTATIONS: dict = {
    "programmes:project_report": ("get", "project", PAGE),
    "programmes:project_report_pdf": ("get", "project", PAGE),
    "programmes:project_report_xlsx": ("get", "project", PAGE),
    "programmes:project_dashboard": ("get", "project", PAGE),
    "api:project-report": ("get", "project", api(404) | PROJECT_READERS),
}
