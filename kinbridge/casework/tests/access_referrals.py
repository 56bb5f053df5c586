"""Access expectations of the casework pages and API: referrals (see kinbridge/tests/access_rules.py)."""

EXPECTATIONS: dict = {}
