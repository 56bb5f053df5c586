"""The programme app's part of the access matrix: expectations and target records.

Each area keeps its table in its own module (``access_<area>.py``); the
matrix in ``kinbridge/tests/test_access_matrix.py`` joins them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kinbridge.programmes.tests import (
    access_attendance,
    access_projects,
    access_reports,
    access_sessions,
)

PROGRAMME_EXPECTATIONS = (
    access_projects.EXPECTATIONS
    | access_sessions.EXPECTATIONS
    | access_attendance.EXPECTATIONS
    | access_reports.EXPECTATIONS
)


def programme_targets(personas, team_b, *, facility, person, child, partner) -> dict:
    """Team B's programme records, run by the facilitator persona, for URL kwargs."""
    from kinbridge.programmes.models import (
        Attendance,
        Course,
        Enrolment,
        Funder,
        Handout,
        Indicator,
        Programme,
        Project,
        RegisterLine,
        RegisterSheet,
        Session,
        SessionSeries,
    )

    today = timezone.localdate()
    programme = Programme.objects.create(team=team_b, name="Мама за решёткой")
    project = Project.objects.create(
        team=team_b,
        programme=programme,
        title="Mom Behind Bars 2026",
        start=today - dt.timedelta(days=100),
        end=today + dt.timedelta(days=265),
        currency="RUB",
        total_budget=Decimal("2827613"),
    )
    project.facilities.add(facility)
    funder = Funder.objects.create(name="Фонд президентских грантов")
    project.fundings.create(funder=funder, amount=Decimal("2527613"))
    budget_line = project.budget_lines.create(name="Fees", planned=Decimal("1000"))
    indicator = Indicator.objects.create(
        project=project,
        name="Women",
        kind="participants",
        parameters={"characteristic": "women"},
        target=90,
    )
    manual_indicator = Indicator.objects.create(
        project=project,
        name="Brochure",
        kind="manual",
        target=1,
        manual_actual=1,
        evidence=SimpleUploadedFile("brochure.pdf", b"%PDF-1.4 brochure"),
    )
    course = Course.objects.create(
        team=team_b, project=project, title="Kids Matter", planned_sessions=8
    )
    start = timezone.now() - dt.timedelta(days=3)
    session = Session.objects.create(
        team=team_b,
        project=project,
        course=course,
        kind="training",
        topic="Breastfeeding",
        place_kind="facility",
        facility=facility,
        start=start,
        end=start + dt.timedelta(hours=2),
        status="held",
    )
    session.facilitators.add(personas["facilitator"])
    enrolment = Enrolment.objects.create(course=course, person=person)
    attendance = Attendance.objects.create(session=session, person=person, status="present")
    handout = Handout.objects.create(
        session=session,
        title="Week 1",
        file=SimpleUploadedFile("week-1.pdf", b"%PDF-1.4 handout"),
    )
    series = SessionSeries.objects.create(
        team=team_b, title="Self-help group", every_weeks=1, occurrences=1
    )
    later = Session.objects.create(
        team=team_b,
        series=series,
        kind="self_help_group",
        topic="Self-help group",
        place_kind="online",
        online_link="https://meet.example.org/group",
        start=start + dt.timedelta(days=10),
        end=start + dt.timedelta(days=10, hours=2),
    )
    later.facilitators.add(personas["facilitator"])
    sheet = RegisterSheet.objects.create(session=session, printed_by=personas["facilitator"])
    RegisterLine.objects.create(sheet=sheet, number=1, person=person)
    return {
        "programme": {"pk": programme.pk},
        "project": {"pk": project.pk},
        "funder": {"pk": funder.pk},
        "budget_line": {"pk": budget_line.pk},
        "indicator": {"pk": indicator.pk},
        "manual_indicator": {"pk": manual_indicator.pk},
        "course": {"pk": course.pk},
        "session": {"pk": session.pk},
        "enrolment": {"pk": enrolment.pk},
        "attendance": {"pk": attendance.pk},
        "handout": {"pk": handout.pk},
        "series": {"pk": series.pk},
        "sheet": {"code": sheet.code},
        "sheet_pk": {"pk": sheet.pk},
    }
