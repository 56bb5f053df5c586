"""Access expectations of the casework pages and API: dashboards (see kinbridge/tests/access_rules.py)."""

EXPECTATIONS: dict = {}
