"""The casework API, one module per area (see kinbridge/api/urls.py)."""

from kinbridge.casework.api import (
    cases,
    dashboards,
    notes,
    plan,
    referrals,
    risks,
    services,
    tasks,
)

CASEWORK_APIS = (cases, plan, services, notes, referrals, tasks, risks, dashboards)
