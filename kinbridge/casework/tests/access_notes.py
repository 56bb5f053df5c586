"""Access expectations of the casework pages and API: notes (see kinbridge/tests/access_rules.py)."""

EXPECTATIONS: dict = {}
