"""``{% attendance_links session %}``: a session page's links to its attendance pages,
shown according to what the signed-in user may do with the session's roster."""

from __future__ import annotations

from django import template

from kinbridge.programmes.access import can_record_attendance, can_see_roster

register = template.Library()


@register.inclusion_tag("programmes/attendance/_links.html", takes_context=True)
def attendance_links(context, session):
    user = context["request"].user
    can_read = can_see_roster(user, session)
    return {
        "session": session,
        "can_read": can_read,
        "can_edit": can_read and can_record_attendance(user, session),
        "sheets": list(session.register_sheets.order_by("-printed_at")[:5]) if can_read else [],
    }
