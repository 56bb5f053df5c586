"""The "Activities" tab of a person's page: sessions attended and courses enrolled in.

Rows come only from rosters the user may read (a facilitator sees the
sessions they run, team staff their team's), so the tab never reveals a
session the user could not open.
"""

from __future__ import annotations

from kinbridge.programmes.access import courses_with_rosters_for
from kinbridge.programmes.models import Attendance, Enrolment

LIMIT = 200


def activities_tab(request, person):
    attendance = list(
        Attendance.objects.visible_to(request.user)
        .filter(person=person)
        .select_related("session__project", "session__facility", "with_adult")
        .order_by("-session__start")[: LIMIT + 1]
    )
    enrolments = list(
        Enrolment.objects.filter(course__in=courses_with_rosters_for(request.user), person=person)
        .select_related("course__project", "referred_by")
        .order_by("-enrolled_on")
    )
    return "programmes/_tab_activities.html", {
        "attendance": attendance[:LIMIT],
        "more_attendance": len(attendance) > LIMIT,
        "enrolments": enrolments,
        "present_count": sum(1 for row in attendance if row.status == "present"),
    }
