"""The funder report's actions: who gets which variant, and the audited export.

The page, the API, the PDF and the XLSX file all come through here.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied

from kinbridge.audit.actions import record
from kinbridge.audit.models import Action
from kinbridge.programmes import reports
from kinbridge.programmes.access import get_project_for_user
from kinbridge.programmes.models import PROGRAMME_READERS, Project


def project_for_report(request, pk) -> Project:
    """The project whose report or dashboard is asked for.

    Roles that see nothing of programmes (volunteers) are refused (403); a project
    the user's teams do not hold does not exist for them (404).
    """
    if not request.user.has_role(*PROGRAMME_READERS):
        raise PermissionDenied
    return get_project_for_user(request, pk)


def report_for(actor, project: Project, *, start: dt.date, end: dt.date, variant: str) -> dict:
    """The report data; the internal variant only for those allowed it."""
    if variant not in reports.allowed_variants(actor, project):
        raise PermissionDenied
    return reports.build(project, start, end, variant)


def export_report(
    actor, project: Project, *, start: dt.date, end: dt.date, variant: str, format: str
) -> dict:
    """The report for a file that leaves the system (PDF, XLSX): audited."""
    data = report_for(actor, project, start=start, end=end, variant=variant)
    record(
        Action.EXPORT,
        actor=actor,
        obj=project,
        format=format,
        variant=variant,
        start=start.isoformat(),
        end=end.isoformat(),
    )
    return data
