"""The five seed programmes as projects, sessions and attendance.

Each seed is loaded once, keyed by its project (team, programme, code): a
second run finds the project and leaves everything as it is. Their KPI
actuals are never written: the KPI engine computes them from the sessions
and attendance here (see docs/programmes.md, "Demo data").
"""

from __future__ import annotations

from kinbridge.demo.seeds import (
    kids_matter,
    mom_behind_bars,
    relatives_lt,
    send_relief,
    visiting_mum,
)

SEEDS = [mom_behind_bars, relatives_lt, visiting_mum, kids_matter, send_relief]


def load(demo_people: dict) -> int:
    """Load the seed programmes that are missing; return how many were added."""
    return sum(1 for seed in SEEDS if seed.load(demo_people))
