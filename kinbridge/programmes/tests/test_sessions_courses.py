"""Courses through the actions: waitlist, withdrawal, parcels, completion, handouts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.programmes import sessions_course_actions as actions
from kinbridge.programmes.models import Attendance, Course, Enrolment, HandoutReceipt
from kinbridge.programmes.tests import sessions_setup
from kinbridge.programmes.tests.sessions_setup import at, person

world = sessions_setup.world
pytestmark = pytest.mark.django_db


@pytest.fixture
def course(world):
    return actions.create_course(
        world["manager"],
        team=world["team"],
        project=world["project"],
        title="Kids Matter",
        planned_sessions=4,
        capacity=2,
        completion_percent=60,
        parcels=True,
    )


@pytest.fixture
def people(world):
    team = world["team"]
    return [person(team, given, "Петрова") for given in ("Анна", "Вероника", "Галина", "Дарья")]


def test_enrolment_past_capacity_goes_to_the_waitlist_in_order(world, course, people):
    states = [actions.enrol(world["manager"], course, p) for p in people]
    assert [(e.status, e.waitlist_position) for e in states] == [
        ("enrolled", None),
        ("enrolled", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]


def test_enrolling_twice_is_refused(world, course, people):
    actions.enrol(world["manager"], course, people[0])
    with pytest.raises(ValidationError) as refused:
        actions.enrol(world["manager"], course, people[0])
    assert "person" in refused.value.message_dict


def test_withdrawal_needs_a_reason_and_promotes_the_first_on_the_waitlist(world, course, people):
    first, _second, third, fourth = (actions.enrol(world["manager"], course, p) for p in people)
    with pytest.raises(ValidationError) as refused:
        actions.withdraw(world["manager"], first, reason="  ")
    assert "reason" in refused.value.message_dict
    assert Enrolment.objects.get(pk=first.pk).status == "enrolled"

    actions.withdraw(world["manager"], first, reason="Transferred to another colony")
    first.refresh_from_db()
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (first.status, first.withdrawal_reason) == ("withdrawn", "Transferred to another colony")
    assert (third.status, third.waitlist_position) == ("enrolled", None)
    assert (fourth.status, fourth.waitlist_position) == ("waitlisted", 1)
    promoted = AuditEvent.objects.filter(
        action=Action.UPDATE, object_type="programmes.enrolment", object_id=str(third.pk)
    ).get()
    assert promoted.changes["status"] == ["waitlisted", "enrolled"]


def test_withdrawing_from_the_waitlist_closes_the_gap(world, course, people):
    *_, third, fourth = (actions.enrol(world["manager"], course, p) for p in people)
    actions.withdraw(world["manager"], third, reason="Released")
    fourth.refresh_from_db()
    assert (fourth.status, fourth.waitlist_position) == ("waitlisted", 1)


def test_more_places_take_people_off_the_waitlist(world, course, people):
    for p in people:
        actions.enrol(world["manager"], course, p)
    actions.update_course(world["manager"], course, capacity=3)
    assert list(course.enrolments.values_list("status", "waitlist_position")) == [
        ("enrolled", None),
        ("enrolled", None),
        ("enrolled", None),
        ("waitlisted", 1),
    ]


def test_who_may_manage_enrolment(world, course, people, personas):
    actions.enrol(personas["caseworker_b"], course, people[0])
    for persona in ("facilitator", "analyst", "caseworker"):
        with pytest.raises(PermissionDenied):
            actions.enrol(personas[persona], course, people[1])


def test_schedule_creates_the_weekly_meetings_numbered(world, course):
    series = actions.schedule_course(
        world["manager"],
        course,
        place_kind="online",
        online_link="https://meet.example.org/kids",
        start=at(7, 18),
        end=at(7, 19, 30),
        facilitators=[world["facilitator"]],
    )
    sessions = list(course.sessions.order_by("start"))
    assert series.every_weeks == 1
    assert [s.topic for s in sessions] == [f"Kids Matter ({n}/4)" for n in range(1, 5)]
    assert {s.kind for s in sessions} == {"course_meeting"}
    assert {s.project_id for s in sessions} == {world["project"].pk}
    with pytest.raises(ValidationError):
        actions.schedule_course(
            world["manager"],
            course,
            place_kind="online",
            online_link="https://x.org",
            start=at(7, 18),
            end=at(7, 19),
        )


def _schedule(world, course, start_days=-30):
    actions.schedule_course(
        world["manager"],
        course,
        place_kind="facility",
        facility=world["colony"],
        start=at(start_days, 10),
        end=at(start_days, 12),
    )
    return list(course.sessions.order_by("start"))


def test_completion_is_computed_from_attendance_at_held_sessions(world, course, people):
    sessions = _schedule(world, course)
    a, b = (actions.enrol(world["manager"], course, p) for p in people[:2])
    for s in sessions[:3]:
        s.status = "held"
        s.save()
    Attendance.objects.create(session=sessions[0], person=people[0], status="present")
    Attendance.objects.create(session=sessions[1], person=people[0], status="present")
    Attendance.objects.create(session=sessions[0], person=people[1], status="present")
    Attendance.objects.create(session=sessions[1], person=people[1], status="absent")
    progress = actions.course_progress(course, [a, b])
    assert progress[a.pk].state == "in_progress"  # a session is still planned
    sessions[3].status = "cancelled"
    sessions[3].save()
    progress = actions.course_progress(course, [a, b])
    assert (progress[a.pk].attended, progress[a.pk].held, progress[a.pk].state) == (
        2,
        3,
        "completed",  # 2 of 3 = 67 % >= 60 %
    )
    assert (progress[b.pk].attended, progress[b.pk].state) == (1, "not_completed")


def test_parcels_not_sent_before_the_first_session_are_listed(world, course, people):
    sessions = _schedule(world, course, start_days=2)
    a, b = (actions.enrol(world["manager"], course, p) for p in people[:2])
    a = actions.set_parcel_sent(world["manager"], a, timezone.localdate())
    missing = actions.parcels_missing(course, [a, b], sessions[0])
    assert [e.pk for e in missing] == [b.pk]
    with pytest.raises(ValidationError):
        actions.set_parcel_sent(world["manager"], b, timezone.localdate() + dt.timedelta(days=1))


def test_handouts_and_receipts(world, course, people, personas):
    sessions = _schedule(world, course)
    enrolled = [actions.enrol(world["manager"], course, p) for p in people[:2]]
    handout = actions.add_handout(
        world["manager"],
        sessions[0],
        title="Week 1: attachment",
        file=SimpleUploadedFile("week1.pdf", b"%PDF-1.4 handout"),
    )
    assert handout.file.name.startswith("handouts/")
    with pytest.raises(ValidationError):
        actions.add_handout(world["manager"], sessions[0], title="Week 1: attachment")
    with pytest.raises(ValidationError) as refused:
        actions.add_handout(
            world["manager"], sessions[0], title="Bad", file=SimpleUploadedFile("x.exe", b"MZ")
        )
    assert "file" in refused.value.message_dict

    Attendance.objects.create(session=sessions[0], person=people[0], status="present")
    assert actions.everyone_present_received(world["manager"], handout) == (1, 0)
    assert actions.set_handout_receipts(
        world["manager"], handout, [e.person_id for e in enrolled]
    ) == (1, 0)
    assert HandoutReceipt.objects.filter(handout=handout).count() == 2
    with pytest.raises(ValidationError):
        actions.set_handout_receipts(world["manager"], handout, [people[3].pk])
    with pytest.raises(PermissionDenied):
        actions.set_handout_receipts(personas["caseworker_b"], handout, [])


def test_a_course_title_is_required(world):
    with pytest.raises(ValidationError) as refused:
        actions.create_course(world["manager"], team=world["team"], title="", planned_sessions=0)
    assert {"title", "planned_sessions"} <= set(refused.value.message_dict)
    assert not Course.objects.exists()
