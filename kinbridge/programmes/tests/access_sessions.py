"""Access expectations of the programme pages and API: sessions (see kinbridge/tests/access_rules.py)."""

from __future__ import annotations

from kinbridge.tests.access_rules import *  # noqa: F403

EXPECTATIONS: dict = {}
