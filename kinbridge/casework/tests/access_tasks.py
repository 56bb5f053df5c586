"""Access expectations of the casework pages and API: tasks (see kinbridge/tests/access_rules.py)."""

EXPECTATIONS: dict = {}
