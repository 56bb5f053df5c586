"""Access expectations of the casework pages and API: tasks (see kinbridge/tests/access_rules.py).

The target task is on team B's case and assigned to ``caseworker_b``: team B's
casework staff see it, team A's caseworker gets 404, roles without casework 403.
Completing posts run persona after persona: the first completes the task, the
next are told it is already done (pages: back to the list, 302; API: 400).
"""

from __future__ import annotations

from kinbridge.tests.access_rules import ALLOWED, api, signed_in

NO_CASEWORK = dict.fromkeys(["facilitator", "volunteer_coordinator", "volunteer", "analyst"], 403)
TEAM_B_CASEWORK = ["administrator", "programme_manager", "caseworker_b"]


def task_page(status):
    return signed_in(404) | NO_CASEWORK | dict.fromkeys(TEAM_B_CASEWORK, status)


def task_api(status):
    return api(404) | NO_CASEWORK | dict.fromkeys(TEAM_B_CASEWORK, status)


EXPECTATIONS: dict = {
    "casework:task_list": ("get", None, signed_in() | NO_CASEWORK),
    "casework:task_create": ("get", None, signed_in() | NO_CASEWORK),
    "casework:task_edit": ("get", "task", task_page(200)),
    "casework:task_complete": ("post", "task", task_page(302)),
    "casework:task_cancel": ("post", "task", task_page(302)),
    "casework:task_reopen": ("post", "task", task_page(302)),
    "api:task-list": ("get", None, api() | NO_CASEWORK),
    "api:task-detail": ("get", "task", task_api(200)),
    "api:task-complete": ("post", "task", task_api(ALLOWED)),
    "api:task-cancel": ("post", "task", task_api(ALLOWED)),
    "api:task-reopen": ("post", "task", task_api(ALLOWED)),
}
