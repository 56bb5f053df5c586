"""Access expectations of the casework pages and API: notes (see kinbridge/tests/access_rules.py).

The target note is an ordinary note of the team B case: whoever sees the case
reads it. Confidential notes are tested with a sentinel in test_notes_confidential.
"""

from __future__ import annotations

from kinbridge.casework.tests.access_plan import CASE_API, CASE_PAGE, CASEWORK_API

EXPECTATIONS: dict = {
    "casework:case_notes": ("get", "case", CASE_PAGE),
    "casework:note_add": ("get", "case", CASE_PAGE),
    "casework:note_edit": ("get", "note", CASE_PAGE),
    "casework:note_history": ("get", "note", CASE_PAGE),
    "api:note-list": ("get", None, CASEWORK_API),
    "api:note-detail": ("get", "note", CASE_API),
    "api:note-versions": ("get", "note", CASE_API),
}
