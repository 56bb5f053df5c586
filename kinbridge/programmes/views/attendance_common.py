"""Helpers shared by the roster and the paper-register pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kinbridge.programmes.access import get_session_for_user, require_roster
from kinbridge.programmes.attendance_files import session_place, session_when
from kinbridge.programmes.attendance_rules import audience_label
from kinbridge.programmes.models import PROGRAMME_READERS, RegisterSheet


def require_programme_role(request) -> None:
    """Volunteers (and accounts without a programme role) see nothing of programmes."""
    if not request.user.has_role(*PROGRAMME_READERS):
        raise PermissionDenied


def roster_session(request, pk, *, audit=True):
    """The session if the user may read its roster (404 unseen, 403 no roster).

    ``audit``: record the read of the roster (names) in the audit trail.
    """
    require_programme_role(request)
    session = get_session_for_user(request, pk)
    require_roster(request, session, audit=audit)
    return session


def sheet_for_user(request, *, pk=None, code=None, audit=True) -> RegisterSheet:
    """A paper register, if the user may read its session's roster (404 unseen, 403 no roster)."""
    require_programme_role(request)
    lookup = {"pk": pk} if pk is not None else {"code": (code or "").upper()}
    sheet = RegisterSheet.objects.select_related("printed_by").filter(**lookup).first()
    if sheet is None:
        raise Http404
    sheet.session = roster_session(request, sheet.session_id, audit=audit)
    return sheet


def session_header(session) -> dict:
    """What every attendance page shows about its session: topic, date, place, audience."""
    return {
        "session": session,
        "when": session_when(session),
        "place": session_place(session),
        "audience": audience_label(session),
    }
