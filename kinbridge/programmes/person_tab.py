"""The "Activities" tab of a person's page: sessions attended and courses enrolled in.

Rows come only from rosters the user may read (a facilitator sees the
sessions they run, team staff their team's), so the tab never reveals a
session the user could not open.
"""

from __future__ import annotations

from django.db.models import Q

from kinbridge.accounts.roles import Role
from kinbridge.programmes.models import TEAM_ROSTER_READERS, Attendance, Enrolment

LIMIT = 200


def enrolments_visible_to(user):
    if user.has_role(Role.ADMINISTRATOR):
        return Enrolment.objects.all()
    visible = Q(course__sessions__facilitators=user)
    if user.has_role(*TEAM_ROSTER_READERS):
        visible |= Q(course__team_id__in=user.team_ids)
    if not user.has_role(*TEAM_ROSTER_READERS, Role.FACILITATOR):
        return Enrolment.objects.none()
    return Enrolment.objects.filter(pk__in=Enrolment.objects.filter(visible).values("pk"))


def activities_tab(request, person):
    attendance = list(
        Attendance.objects.visible_to(request.user)
        .filter(person=person)
        .select_related("session__project", "session__facility", "with_adult")
        .order_by("-session__start")[: LIMIT + 1]
    )
    enrolments = list(
        enrolments_visible_to(request.user)
        .filter(person=person)
        .select_related("course__project", "referred_by")
        .order_by("-enrolled_on")
    )
    return "programmes/_tab_activities.html", {
        "attendance": attendance[:LIMIT],
        "more_attendance": len(attendance) > LIMIT,
        "enrolments": enrolments,
        "present_count": sum(1 for row in attendance if row.status == "present"),
    }
