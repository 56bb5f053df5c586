"""Access expectations of the casework pages and API: risks (see kinbridge/tests/access_rules.py)."""

EXPECTATIONS: dict = {}
