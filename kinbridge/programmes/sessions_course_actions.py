"""Courses, enrolment with a waitlist, parcels, completion, and handouts.

* Courses are planned by administrators and the team's programme managers.
* Enrolment (enrol, withdraw, parcel sent) by those plus the team's
  caseworkers (``can_manage_enrolment``). When a course is full a new
  enrolee goes on the waitlist; withdrawing an enrolled person (a reason is
  required) moves the first on the waitlist into the place, in the same
  transaction, audited. Waitlist positions stay 1, 2, 3… without gaps.
* Completion is computed, never stored: present at held course sessions
  divided by held course sessions, against the course's completion rule.
* Handouts and who received them: those who may record the session's
  attendance (``can_record_attendance``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinbridge.audit.actions import record_created, record_deleted, record_updated, snapshot
from kinbridge.people.actions import refuse_erased
from kinbridge.people.models import Person
from kinbridge.programmes.access import (
    can_manage_enrolment,
    can_plan_for_team,
    can_record_attendance,
)
from kinbridge.programmes.models import (
    Attendance,
    AttendanceStatus,
    Course,
    Enrolment,
    EnrolmentStatus,
    Handout,
    HandoutReceipt,
    Session,
    SessionKind,
    SessionSeries,
    SessionStatus,
)
from kinbridge.programmes.sessions_actions import create_series

COURSE_FIELDS = (
    "team",
    "project",
    "title",
    "description",
    "planned_sessions",
    "capacity",
    "completion_percent",
    "referring_partner",
    "parcels",
)
HANDOUT_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".docx", ".odt", ".pptx", ".odp", ".txt"}


# Courses ------------------------------------------------------------------


def validate_course(fields: dict) -> None:
    errors = {}
    team, project = fields.get("team"), fields.get("project")
    if team is None:
        errors["team"] = _("Choose the team that runs the course.")
    elif project is not None and project.team_id != team.pk:
        errors["project"] = _("This project belongs to another team.")
    if not (fields.get("title") or "").strip():
        errors["title"] = _("Enter the title of the course.")
    planned = fields.get("planned_sessions")
    if planned is None or not 1 <= planned <= 200:
        errors["planned_sessions"] = _("A course has 1 to 200 sessions.")
    capacity = fields.get("capacity")
    if capacity is not None and capacity < 1:
        errors["capacity"] = _("Leave places empty for no limit, or give at least 1.")
    percent = fields.get("completion_percent")
    if percent is None or not 1 <= percent <= 100:
        errors["completion_percent"] = _("Give a percentage from 1 to 100.")
    if errors:
        raise ValidationError(errors)


def _course_fields(fields: dict) -> dict:
    fields = {name: fields.get(name) for name in COURSE_FIELDS}
    fields["title"] = (fields["title"] or "").strip()
    fields["description"] = (fields["description"] or "").strip()
    fields["parcels"] = bool(fields["parcels"])
    if fields["completion_percent"] is None:
        fields["completion_percent"] = 60
    return fields


def _require_planner(actor, team_id) -> None:
    if actor is not None and not can_plan_for_team(actor, team_id):
        raise PermissionDenied


@transaction.atomic
def create_course(actor, **fields) -> Course:
    fields = _course_fields(fields)
    validate_course(fields)
    _require_planner(actor, fields["team"].pk)
    course = Course.objects.create(**fields)
    record_created(actor, course)
    return course


@transaction.atomic
def update_course(actor, course: Course, **changes) -> Course:
    """Change a course; more places take people from the waitlist, first come first."""
    _require_planner(actor, course.team_id)
    current = _lock_course(course)
    merged = {name: getattr(current, name) for name in COURSE_FIELDS} | {
        name: value for name, value in changes.items() if name in COURSE_FIELDS
    }
    fields = _course_fields(merged)
    validate_course(fields)
    if fields["team"] != current.team:
        _require_planner(actor, fields["team"].pk)
        if current.sessions.exists() or current.enrolments.exists():
            raise ValidationError(
                {"team": _("A course with sessions or enrolments stays with its team.")}
            )
    before = snapshot(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current.save()
    record_updated(actor, current, before)
    _fill_places(actor, current)
    return current


def _lock_course(course: Course) -> Course:
    return Course.objects.select_for_update().select_related("team").get(pk=course.pk)


@transaction.atomic
def schedule_course(actor, course: Course, **fields) -> SessionSeries:
    """Weekly meetings from the first one's details, up to the planned number of sessions."""
    _require_planner(actor, course.team_id)
    current = _lock_course(course)
    remaining = (
        current.planned_sessions - current.sessions.exclude(status=SessionStatus.CANCELLED).count()
    )
    if remaining < 1:
        raise ValidationError(
            _("All %(count)d sessions of this course are already scheduled.")
            % {"count": current.planned_sessions}
        )
    fields = fields | {
        "team": current.team,
        "course": current,
        "project": current.project,
        "kind": fields.get("kind") or SessionKind.COURSE_MEETING,
        "topic": (fields.get("topic") or "").strip() or current.title,
        "status": SessionStatus.PLANNED,
    }
    return create_series(
        actor,
        every_weeks=fields.pop("every_weeks", None) or 1,
        occurrences=remaining,
        title=current.title,
        numbered=True,
        **fields,
    )


# Enrolment ------------------------------------------------------------------


def _require_enrolment_manager(actor, course) -> None:
    if actor is not None and not can_manage_enrolment(actor, course):
        raise PermissionDenied


def _enrolled_count(course: Course) -> int:
    return course.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()


def _is_full(course: Course) -> bool:
    return course.capacity is not None and _enrolled_count(course) >= course.capacity


def _next_position(course: Course) -> int:
    top = course.enrolments.filter(status=EnrolmentStatus.WAITLISTED).aggregate(
        top=Max("waitlist_position")
    )["top"]
    return (top or 0) + 1


@transaction.atomic
def enrol(
    actor, course: Course, person: Person, *, referred_by=None, on: dt.date | None = None
) -> Enrolment:
    """Enrol a person; on the waitlist, with a position, when the course is full."""
    _require_enrolment_manager(actor, course)
    refuse_erased(person)
    current = _lock_course(course)
    existing = Enrolment.objects.filter(course=current, person=person).first()
    if existing is not None and existing.status != EnrolmentStatus.WITHDRAWN:
        raise ValidationError(
            {
                "person": _("%(name)s is already on this course (%(status)s).")
                % {"name": person.full_name, "status": existing.get_status_display()}
            }
        )
    if referred_by is not None and not referred_by.is_active:
        raise ValidationError({"referred_by": _("This partner organisation is no longer active.")})
    full = _is_full(current)
    fields = {
        "status": EnrolmentStatus.WAITLISTED if full else EnrolmentStatus.ENROLLED,
        "waitlist_position": _next_position(current) if full else None,
        "enrolled_on": on or timezone.localdate(),
        "referred_by": referred_by,
        "withdrawn_on": None,
        "withdrawal_reason": "",
    }
    if existing is None:
        enrolment = Enrolment.objects.create(course=current, person=person, **fields)
        record_created(actor, enrolment)
        return enrolment
    before = snapshot(existing)
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.save()
    record_updated(actor, existing, before)
    return existing


@transaction.atomic
def withdraw(actor, enrolment: Enrolment, *, reason: str, on: dt.date | None = None) -> Enrolment:
    """Withdraw with a reason; an enrolled person's place goes to the first on the waitlist."""
    _require_enrolment_manager(actor, enrolment.course)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for withdrawing.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason under 300 characters.")})
    course = _lock_course(enrolment.course)
    current = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if current.status == EnrolmentStatus.WITHDRAWN:
        raise ValidationError({"reason": _("This person has already withdrawn.")})
    on = on or timezone.localdate()
    if on < current.enrolled_on:
        raise ValidationError({"on": _("The withdrawal cannot be before the enrolment.")})
    before = snapshot(current)
    current.status = EnrolmentStatus.WITHDRAWN
    current.waitlist_position = None
    current.withdrawn_on = on
    current.withdrawal_reason = reason
    current.save()
    record_updated(actor, current, before)
    _fill_places(actor, course)
    return current


def _fill_places(actor, course: Course) -> list[Enrolment]:
    """Move people from the waitlist into free places, then close the gaps in positions."""
    waiting = list(
        course.enrolments.select_for_update()
        .filter(status=EnrolmentStatus.WAITLISTED)
        .order_by("waitlist_position", "id")
    )
    free = None if course.capacity is None else course.capacity - _enrolled_count(course)
    promoted, position = [], 0
    for enrolment in waiting:
        before = snapshot(enrolment)
        if free is None or free > 0:
            enrolment.status = EnrolmentStatus.ENROLLED
            enrolment.waitlist_position = None
            promoted.append(enrolment)
            free = None if free is None else free - 1
        else:
            position += 1
            enrolment.waitlist_position = position
        if snapshot(enrolment) != before:
            enrolment.save(update_fields=["status", "waitlist_position"])
            record_updated(actor, enrolment, before)
    return promoted


@transaction.atomic
def set_parcel_sent(actor, enrolment: Enrolment, sent_on: dt.date | None) -> Enrolment:
    """Record (or clear, with None) the day the participant's parcel was sent."""
    _require_enrolment_manager(actor, enrolment.course)
    if sent_on is not None and sent_on > timezone.localdate():
        raise ValidationError({"parcel_sent_on": _("The parcel cannot be sent in the future.")})
    current = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if current.status == EnrolmentStatus.WITHDRAWN and sent_on is not None:
        raise ValidationError(
            {"parcel_sent_on": _("This person has withdrawn; no parcel is recorded.")}
        )
    before = snapshot(current)
    current.parcel_sent_on = sent_on
    current.save(update_fields=["parcel_sent_on"])
    record_updated(actor, current, before)
    return current


# Completion and parcels -------------------------------------------------------


class Completion:
    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    NOT_COMPLETED = "not_completed"
    LABELS = {
        COMPLETED: gettext_lazy("Completed"),
        IN_PROGRESS: gettext_lazy("In progress"),
        NOT_COMPLETED: gettext_lazy("Not completed"),
    }


@dataclass
class Progress:
    attended: int
    held: int
    state: str

    @property
    def label(self) -> str:
        return str(Completion.LABELS[self.state])

    @property
    def percent(self) -> int | None:
        return round(100 * self.attended / self.held) if self.held else None


def course_progress(course: Course, enrolments) -> dict[int, Progress]:
    """Completion per enrolment id, in three queries whatever the number of enrolees.

    While sessions remain to be held (planned, or not yet scheduled) an
    enrolee is in progress; afterwards they completed if present at
    ``completion_percent`` of the held sessions.
    """
    counts = course.sessions.aggregate(
        held=Count("pk", filter=Q(status=SessionStatus.HELD)),
        planned=Count("pk", filter=Q(status=SessionStatus.PLANNED)),
        cancelled=Count("pk", filter=Q(status=SessionStatus.CANCELLED)),
    )
    present = dict(
        Attendance.objects.filter(
            session__course=course,
            session__status=SessionStatus.HELD,
            status=AttendanceStatus.PRESENT,
        )
        .values("person_id")
        .annotate(n=Count("pk"))
        .values_list("person_id", "n")
    )
    held = counts["held"]
    finished = (
        held > 0
        and counts["planned"] == 0
        and held + counts["cancelled"] >= course.planned_sessions
    )
    result = {}
    for enrolment in enrolments:
        attended = present.get(enrolment.person_id, 0)
        if not finished:
            state = Completion.IN_PROGRESS
        elif held and 100 * attended >= course.completion_percent * held:
            state = Completion.COMPLETED
        else:
            state = Completion.NOT_COMPLETED
        result[enrolment.pk] = Progress(attended, held, state)
    return result


def first_session(course: Course) -> Session | None:
    return course.sessions.exclude(status=SessionStatus.CANCELLED).order_by("start", "id").first()


def parcels_missing(course: Course, enrolments, first: Session | None) -> list[Enrolment]:
    """Enrolled people whose parcel was not sent before the first session."""
    if not course.parcels:
        return []
    first_day = first.start_date if first is not None else None
    return [
        enrolment
        for enrolment in enrolments
        if enrolment.status == EnrolmentStatus.ENROLLED
        and (
            enrolment.parcel_sent_on is None
            or (first_day is not None and enrolment.parcel_sent_on >= first_day)
        )
    ]


# Handouts ------------------------------------------------------------------


def _require_session_worker(actor, session: Session) -> None:
    if actor is not None and not can_record_attendance(actor, session):
        raise PermissionDenied


def handout_file_problem(upload) -> str | None:
    limit = settings.UPLOAD_MAX_MB
    if upload.size > limit * 1024 * 1024:
        return _("The file is larger than %(limit)s MB.") % {"limit": limit}
    if upload.size == 0:
        return _("The file is empty.")
    if PurePosixPath(upload.name or "").suffix.lower() not in HANDOUT_EXTENSIONS:
        return _("Upload a PDF, an image (JPEG, PNG), a document, a presentation or a text file.")
    return None


@transaction.atomic
def add_handout(actor, session: Session, *, title: str, file=None) -> Handout:
    _require_session_worker(actor, session)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Enter the title of the handout.")})
    if len(title) > 300:
        raise ValidationError({"title": _("Keep the title under 300 characters.")})
    if Handout.objects.filter(session=session, title=title).exists():
        raise ValidationError({"title": _("This session already has a handout with this title.")})
    if file is not None:
        problem = handout_file_problem(file)
        if problem:
            raise ValidationError({"file": problem})
    handout = Handout(session=session, title=title)
    if file is not None:
        handout.file.save(PurePosixPath(file.name).name[-80:], file, save=False)
    handout.save()
    record_created(actor, handout)
    return handout


@transaction.atomic
def delete_handout(actor, handout: Handout) -> None:
    _require_session_worker(actor, handout.session)
    record_deleted(actor, handout, extra={"receipts": handout.receipts.count()})
    stored = handout.file.name if handout.file else ""
    handout.delete()
    if stored:
        transaction.on_commit(lambda: handout.file.storage.delete(stored))


def handout_recipients(session: Session):
    """Who may have received a session's handout: the course's enrolees and the attendees."""
    roster = Q(attendance__session=session)
    if session.course_id:
        roster |= Q(
            enrolments__course_id=session.course_id,
            enrolments__status=EnrolmentStatus.ENROLLED,
        )
    return Person.objects.filter(pk__in=Person.objects.filter(roster).values("pk")).order_by(
        "family_name", "given_name", "id"
    )


@transaction.atomic
def set_handout_receipts(
    actor, handout: Handout, people_ids, *, received_on: dt.date | None = None
) -> tuple[int, int]:
    """Make exactly these people the recipients; returns (added, removed)."""
    _require_session_worker(actor, handout.session)
    wanted = {int(pk) for pk in people_ids}
    allowed = set(handout_recipients(handout.session).values_list("pk", flat=True))
    existing = set(handout.receipts.values_list("person_id", flat=True))
    outside = wanted - allowed - existing
    if outside:
        raise ValidationError(
            {
                "people": _(
                    "Only the session's participants and the course's enrolees can be ticked."
                )
            }
        )
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date cannot be in the future.")})
    added = [
        HandoutReceipt(handout=handout, person_id=pk, received_on=received_on)
        for pk in sorted(wanted - existing)
    ]
    HandoutReceipt.objects.bulk_create(added)
    removed = existing - wanted
    handout.receipts.filter(person_id__in=removed).delete()
    if added or removed:
        from kinbridge.audit.actions import record
        from kinbridge.audit.models import Action

        record(
            Action.UPDATE,
            actor=actor,
            obj=handout,
            changes={"received_by": [sorted(existing), sorted(wanted)]},
        )
    return len(added), len(removed)


def present_ids(session: Session) -> set[int]:
    return set(
        session.attendance.filter(status=AttendanceStatus.PRESENT).values_list(
            "person_id", flat=True
        )
    )


def everyone_present_received(actor, handout: Handout, *, received_on=None) -> tuple[int, int]:
    """Tick every person present at the session (keeping those already ticked)."""
    current = set(handout.receipts.values_list("person_id", flat=True))
    return set_handout_receipts(
        actor, handout, current | present_ids(handout.session), received_on=received_on
    )
