"""Access expectations of the casework pages and API: services (see kinbridge/tests/access_rules.py)."""

EXPECTATIONS: dict = {}
