"""Access expectations of the programme pages and API: sessions (see kinbridge/tests/access_rules.py).

The target session, course, handout and series belong to team B; the
facilitator persona runs the session (and so sees the course); team A
personas get 404; volunteers 403 everywhere; analysts see sessions and
courses but no roster (403).
"""

from __future__ import annotations

from kinbridge.tests.access_rules import ALLOWED, api, signed_in

SEES_SESSION = {
    "administrator": 200,
    "programme_manager": 200,
    "caseworker_b": 200,
    "facilitator": 200,
    "analyst": 200,
    "volunteer": 403,
}
NO_ROSTER = {"analyst": 403, "volunteer": 403}
# Team B records: team A personas do not find them.
PAGE_B = signed_in(404)
API_B = api(404)


def planners(status, others=403):
    """Administrators and team B's programme manager; the rest of team B is refused."""
    return PAGE_B | {
        "caseworker_b": others,
        "facilitator": others,
        "analyst": others,
        "volunteer": 403,
        "administrator": status,
        "programme_manager": status,
    }


def planners_anywhere(status=200):
    """Pages with no record: planning roles only."""
    return signed_in(403) | {"administrator": status, "programme_manager": status}


def enrolment_managers(status):
    """Planners and team B's caseworker; the facilitator sees the roster but may not change it."""
    return planners(status) | {"caseworker_b": status}


def roster_readers():
    """Names: team B staff who see the session; analysts are refused."""
    return PAGE_B | SEES_SESSION | NO_ROSTER


EXPECTATIONS: dict = {
    "programmes:session_list": ("get", None, signed_in() | {"volunteer": 403}),
    "programmes:session_create": ("get", None, planners_anywhere()),
    "programmes:series_create": ("get", None, planners_anywhere()),
    "programmes:session_detail": ("get", "session", PAGE_B | SEES_SESSION),
    "programmes:session_edit": ("get", "session", planners(200)),
    # The target session was held: refused with a message, back to the session (302).
    "programmes:session_cancel": ("post", "session", planners(302)),
    # An empty form: back to the session with the error (302); the facilitator runs it.
    "programmes:handout_add": ("post", "session", planners(302) | {"facilitator": 302}),
    "programmes:handout_detail": ("get", "handout", roster_readers()),
    "programmes:handout_file": ("get", "handout", roster_readers()),
    # Without the confirmation tick nothing is removed (302 back to the session).
    "programmes:handout_delete": ("post", "handout", planners(302) | {"facilitator": 302}),
    "programmes:course_list": ("get", None, signed_in() | {"volunteer": 403}),
    "programmes:course_create": ("get", None, planners_anywhere()),
    "programmes:course_detail": ("get", "course", PAGE_B | SEES_SESSION),
    "programmes:course_edit": ("get", "course", planners(200)),
    "programmes:course_schedule": ("get", "course", planners(200)),
    # Empty forms come back with their errors (400); nothing changes.
    "programmes:course_enrol": ("post", "course", enrolment_managers(400)),
    "programmes:enrolment_withdraw": ("post", "enrolment", enrolment_managers(400)),
    # An empty date clears the parcel date: saved, back to the course (302).
    "programmes:enrolment_parcel": ("post", "enrolment", enrolment_managers(302)),
    "api:session-list": ("get", None, api() | {"volunteer": 403}),
    "api:session-detail": ("get", "session", API_B | SEES_SESSION),
    # Past the access checks, the held session cannot be cancelled (400).
    "api:session-cancel": (
        "post",
        "session",
        API_B | SEES_SESSION | planners(ALLOWED, 403) | {"anonymous": 401},
    ),
    "api:sessionseries-list": ("get", None, api() | {"volunteer": 403}),
    "api:sessionseries-detail": ("get", "series", API_B | SEES_SESSION),
    "api:course-list": ("get", None, api() | {"volunteer": 403}),
    "api:course-detail": ("get", "course", API_B | SEES_SESSION),
    "api:enrolment-list": ("get", None, api() | NO_ROSTER),
    "api:enrolment-detail": ("get", "enrolment", API_B | SEES_SESSION | NO_ROSTER),
    "api:enrolment-withdraw": (
        "post",
        "enrolment",
        enrolment_managers(ALLOWED) | {"anonymous": 401},
    ),
    "api:enrolment-parcel": (
        "post",
        "enrolment",
        enrolment_managers(ALLOWED) | {"anonymous": 401},
    ),
    "api:handout-list": ("get", None, api() | {"volunteer": 403}),
    "api:handout-detail": ("get", "handout", API_B | SEES_SESSION),
    "api:handout-file": ("get", "handout", API_B | SEES_SESSION | NO_ROSTER),
    "api:handout-receipts": ("get", "handout", API_B | SEES_SESSION | NO_ROSTER),
}
