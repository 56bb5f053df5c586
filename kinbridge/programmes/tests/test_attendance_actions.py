"""Recording attendance: idempotent rows, the audience rule, children with their mothers,
headcounts, and sessions becoming held."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.people.models import Gender
from kinbridge.programmes import attendance_actions as actions
from kinbridge.programmes.attendance_rules import AudienceFacts, fits_audience
from kinbridge.programmes.models import Attendance, Audience, Session
from kinbridge.programmes.tests.attendance_support import add_person, build_world, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas, team_b, regions):
    return build_world(personas, team_b, regions)


def record(actor, world, person, status="present", **extra):
    return actions.record_attendance(actor, world.session, person, status=status, **extra)


def test_recording_twice_keeps_one_row_and_audits_the_change(personas, world):
    facilitator = personas["facilitator"]
    first, created = record(facilitator, world, world.anna)
    again, created_again = record(facilitator, world, world.anna, "excused")
    assert created and not created_again
    assert first.pk == again.pk
    row = Attendance.objects.get(session=world.session, person=world.anna)
    assert row.status == "excused" and row.recorded_by == facilitator
    events = AuditEvent.objects.filter(object_type="programmes.attendance", object_id=str(row.pk))
    assert list(events.order_by("id").values_list("action", flat=True)) == [
        Action.CREATE,
        Action.UPDATE,
    ]
    # The same mark a third time changes nothing and writes no event.
    record(facilitator, world, world.anna, "excused")
    assert events.count() == 2
    assert Attendance.objects.filter(session=world.session).count() == 1


def test_the_database_refuses_a_second_row_for_the_same_person(world):
    Attendance.objects.create(session=world.session, person=world.anna, status="present")
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(session=world.session, person=world.anna, status="absent")


def test_a_mark_saved_by_someone_else_meanwhile_is_updated_not_doubled(
    personas, world, monkeypatch
):
    """Two people save the same mark at once: the other one's row lands between our
    read and our write. We update it instead of failing or adding a second row."""
    original = actions._save

    def someone_else_first(actor, session, mark, existing, source, outside):
        assert existing is None  # we read before the other row arrived
        with transaction.atomic():
            Attendance.objects.create(session=session, person=mark.person, status="absent")
        return original(actor, session, mark, existing, source, outside)

    monkeypatch.setattr(actions, "_save", someone_else_first)
    record(personas["facilitator"], world, world.anna, "present")

    rows = Attendance.objects.filter(session=world.session, person=world.anna)
    assert list(rows.values_list("status", flat=True)) == ["present"]


def test_someone_outside_the_audience_needs_a_reason(personas, world):
    facilitator = personas["facilitator"]
    with pytest.raises(ValidationError) as refused:
        record(facilitator, world, world.ivan)
    message = refused.value.message_dict["outside_audience_reason"][0]
    assert world.ivan.reference in message and "Mothers" in message
    assert not Attendance.objects.exists()
    row, _created = record(facilitator, world, world.ivan, reason="Brought his wife's parcel")
    assert row.outside_audience_reason == "Brought his wife's parcel"
    # Marked absent, he needs no reason; a reason given to someone inside is not kept.
    row, _created = record(facilitator, world, world.olga, "present", reason="no need")
    assert row.outside_audience_reason == ""


def test_absent_people_outside_the_audience_need_no_reason(personas, world):
    row, _created = record(personas["facilitator"], world, world.ivan, "absent")
    assert row.status == "absent"


@pytest.mark.parametrize(
    ("audience", "facts", "accompanied", "fits"),
    [
        ([], AudienceFacts(gender=Gender.MALE), False, True),
        (["public"], AudienceFacts(gender=Gender.MALE), False, True),
        (["pregnant_women"], AudienceFacts(gender=Gender.MALE, age=30), False, False),
        (["pregnant_women"], AudienceFacts(roles=frozenset({"pregnant"})), False, True),
        (
            ["pregnant_women"],
            AudienceFacts(gender=Gender.MALE, roles=frozenset({"pregnant"})),
            False,
            False,
        ),
        (["mothers"], AudienceFacts(gender=Gender.MALE, is_mother=True), False, False),
        (["mothers"], AudienceFacts(gender=Gender.FEMALE, is_mother=True), False, True),
        (["mothers"], AudienceFacts(gender=Gender.FEMALE, age=40), False, False),
        (["prison_staff"], AudienceFacts(roles=frozenset({"prisoner"})), False, False),
        (["professionals"], AudienceFacts(roles=frozenset({"prison_staff"})), False, True),
        (["childrens_home_staff"], AudienceFacts(roles=frozenset({"specialist"})), False, False),
        (["children"], AudienceFacts(age=2), False, True),
        (["children"], AudienceFacts(roles=frozenset({"child"})), False, True),
        (["mothers"], AudienceFacts(age=1), True, True),
        (["mothers"], AudienceFacts(age=30), True, False),
    ],
)
def test_the_audience_rule(audience, facts, accompanied, fits):
    assert fits_audience(audience, facts, accompanied=accompanied) is fits


def test_a_role_counts_from_the_day_it_started(personas, team_b, world):
    """As the KPI engine counts: pregnant since tomorrow is not pregnant at yesterday's session."""
    late = add_person(
        team_b,
        "Лена",
        gender="female",
        roles=["pregnant"],
        role_start=timezone.localdate() + dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as refused:
        record(personas["facilitator"], world, late)
    assert "outside_audience_reason" in refused.value.message_dict


def test_a_child_comes_with_a_present_mother(personas, world):
    facilitator = personas["facilitator"]
    with pytest.raises(ValidationError) as refused:
        record(facilitator, world, world.baby, with_adult=world.anna)
    assert "is not recorded as present" in refused.value.message_dict["with_adult"][0]
    record(facilitator, world, world.anna)
    row, _created = record(facilitator, world, world.baby, with_adult=world.anna)
    assert row.with_adult == world.anna and row.outside_audience_reason == ""
    # Saving the child's row again without naming the adult keeps her.
    row, _created = record(facilitator, world, world.baby)
    assert row.with_adult == world.anna
    # Not with someone who is not recorded as the child's relative.
    record(facilitator, world, world.olga)
    with pytest.raises(ValidationError) as refused:
        record(facilitator, world, world.baby, with_adult=world.olga)
    assert "is not recorded as a relative" in refused.value.message_dict["with_adult"][0]


def test_a_batch_is_saved_whole_or_not_at_all(personas, world):
    marks = [
        actions.Mark(world.anna, "present"),
        actions.Mark(world.olga, "maybe"),
        actions.Mark(world.ivan, "present"),
        actions.Mark(world.anna, "absent"),
    ]
    with pytest.raises(actions.RowErrors) as refused:
        actions.record_marks(personas["facilitator"], world.session, marks)
    assert set(refused.value.rows) == {1, 2, 3}
    assert "status" in refused.value.rows[1]
    assert "outside_audience_reason" in refused.value.rows[2]
    assert "already in this list, in row 1" in refused.value.rows[3]["person"][0]
    assert not Attendance.objects.exists()
    world.session.refresh_from_db()
    assert world.session.status == "planned"


def test_recording_marks_a_planned_session_held(personas, world):
    record(personas["facilitator"], world, world.anna, "absent")
    world.session.refresh_from_db()
    assert world.session.status == "held"
    assert AuditEvent.objects.filter(
        object_type="programmes.session",
        object_id=str(world.session.pk),
        action=Action.UPDATE,
        changes__status=["planned", "held"],
    ).exists()


def test_no_attendance_for_a_cancelled_or_future_session(personas, team_b, world):
    Session.objects.filter(pk=world.session.pk).update(status="cancelled")
    world.session.refresh_from_db()
    with pytest.raises(ValidationError, match="cancelled"):
        record(personas["facilitator"], world, world.anna)
    world.session = make_session(team_b, days_ago=-3)
    world.session.facilitators.add(personas["facilitator"])
    with pytest.raises(ValidationError, match="takes place on"):
        record(personas["facilitator"], world, world.anna)


def test_only_managers_and_the_sessions_facilitators_record(personas, team_b, world):
    for persona in ("caseworker_b", "analyst", "volunteer", "caseworker"):
        with pytest.raises(PermissionDenied):
            record(personas[persona], world, world.anna)
    other = make_session(team_b)
    with pytest.raises(PermissionDenied):
        actions.record_attendance(personas["facilitator"], other, world.anna, status="present")
    record(personas["programme_manager"], world, world.anna)
    record(personas["administrator"], world, world.olga)


def test_the_unnamed_headcount_of_a_public_event(personas, team_b):
    event = make_session(team_b, kind="family_day", audience=[Audience.PUBLIC])
    event.facilitators.add(personas["facilitator"])
    actions.set_headcount(personas["facilitator"], event, 37)
    event.refresh_from_db()
    assert event.unnamed_headcount == 37 and event.status == "held"
    with pytest.raises(ValidationError) as refused:
        actions.set_headcount(personas["facilitator"], event, -1)
    assert "unnamed_headcount" in refused.value.message_dict


def test_recordable_people_are_the_roster_and_the_people_one_may_see(personas, team_a, world):
    stranger = add_person(team_a, "Jonas", gender="male")
    found = actions.recordable_people(
        personas["facilitator"], world.session, [world.anna.pk, world.ivan.pk, stranger.pk]
    )
    assert set(found) == {world.anna.pk, world.ivan.pk}
    # Once enrolled in the session's course, a person of another team is on the roster.
    world.course.enrolments.create(person=stranger)
    found = actions.recordable_people(personas["facilitator"], world.session, [stranger.pk])
    assert set(found) == {stranger.pk}
