"""Access expectations of the casework pages and API: plan (see kinbridge/tests/access_rules.py)."""

EXPECTATIONS: dict = {}
