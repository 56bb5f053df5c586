"""Access expectations of the casework pages and API: cases (see kinbridge/tests/access_rules.py)."""

EXPECTATIONS: dict = {}
