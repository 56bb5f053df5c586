"""Rows of a seed programme, collected in memory and written with bulk_create.

People get exactly what ``people.actions.create_person`` derives (names
refreshed for search, a unique reference code, team links), but their roles
carry real dates: the KPI engine asks whether someone was a prisoner, a
member of a children's home staff or pregnant *on the day of the session*,
so a role starting on the day the demo is loaded would count for nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from kinbridge.lib.codes import reference_code
from kinbridge.people.models import Person, PersonRole, PersonTeam, Relationship
from kinbridge.programmes.models import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    Enrolment,
    ExternalFacilitator,
    Handout,
    HandoutReceipt,
    Session,
    SessionStatus,
)

PRESENT, ABSENT, EXCUSED = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.ABSENT,
    AttendanceStatus.EXCUSED,
)


def at(day: dt.date, time: str) -> dt.datetime:
    """``day`` at ``time`` ("10:00") in the current time zone."""
    return dt.datetime.combine(
        day, dt.time.fromisoformat(time), tzinfo=timezone.get_current_timezone()
    )


def weekday_on_or_before(day: dt.date, weekday: int) -> dt.date:
    """The last ``weekday`` (0 = Monday) on or before ``day``."""
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


@dataclass
class Role:
    role: str
    start: dt.date | None
    end: dt.date | None = None


class Writer:
    """Collects one seed's rows; :meth:`flush` writes them, parents before children."""

    def __init__(self, team, *, recorded_by=None):
        self.team = team
        self.recorded_by = recorded_by
        self.people: list[Person] = []
        self.team_links: list[PersonTeam] = []
        self.roles: list[PersonRole] = []
        self.links: list[Relationship] = []
        self.sessions: list[Session] = []
        self.facilitators: list[tuple[Session, object]] = []
        # Who entered each session's attendance: its first facilitator, or recorded_by.
        self.recorders: dict[int, object] = {}
        self.externals: list[ExternalFacilitator] = []
        self.attendance: dict[tuple[int, int], Attendance] = {}
        self.handouts: list[Handout] = []
        self.receipts: list[HandoutReceipt] = []
        self.enrolments: list[Enrolment] = []
        self._references = set(Person.objects.values_list("reference", flat=True))

    # People ---------------------------------------------------------------------------
    def person(self, given: str, family: str, *, roles=(), teams=None, **fields) -> Person:
        person = Person(given_name=given, family_name=family, **fields)
        person.refresh_names()
        reference = reference_code("P")
        while reference in self._references:
            reference = reference_code("P")
        self._references.add(reference)
        person.reference = reference
        self.people.append(person)
        for team in teams or [self.team]:
            self.team_links.append(PersonTeam(person=person, team=team))
        for role in roles:
            self.role(person, role)
        return person

    def role(self, person: Person, role: Role) -> None:
        self.roles.append(PersonRole(person=person, role=role.role, start=role.start, end=role.end))

    def link(self, person, relative, kind, *, responsible=False, lives=False) -> None:
        """``relative`` is the ``kind`` (mother, father…) of ``person``."""
        self.links.append(
            Relationship(
                person=person,
                relative=relative,
                kind=kind,
                parental_responsibility=responsible,
                lives_with=lives,
            )
        )

    # Sessions -------------------------------------------------------------------------
    def session(self, *, start, end, users=(), specialists=(), today=None, **fields) -> Session:
        """A session; held when it started before ``today`` (or always, without a today)."""
        if "status" not in fields:
            held = today is None or start.date() < today
            fields["status"] = SessionStatus.HELD if held else SessionStatus.PLANNED
        session = Session(team=self.team, start=start, end=end, **fields)
        session.fill_calendar()  # bulk_create skips save()
        self.sessions.append(session)
        for user in users:
            self.facilitators.append((session, user))
        self.recorders[id(session)] = users[0] if users else self.recorded_by
        for specialist in specialists:
            self.externals.append(ExternalFacilitator(session=session, person=specialist))
        return session

    def attend(
        self,
        session: Session,
        person: Person,
        status=PRESENT,
        *,
        with_adult: Person | None = None,
        reason: str = "",
        source=AttendanceSource.PAPER,
    ) -> None:
        """One attendance row; recording the same person twice keeps the better status."""
        key = (id(session), id(person))
        row = self.attendance.get(key)
        if row is not None:
            if status == PRESENT:
                row.status = PRESENT
            return
        self.attendance[key] = Attendance(
            session=session,
            person=person,
            status=status,
            with_adult=with_adult,
            outside_audience_reason=reason,
            source=source,
            recorded_by=self.recorders.get(id(session)),
        )

    def handout(self, session: Session, title: str) -> Handout:
        handout = Handout(session=session, title=title)
        self.handouts.append(handout)
        return handout

    def receipt(self, handout: Handout, person: Person, received_on: dt.date) -> None:
        self.receipts.append(
            HandoutReceipt(handout=handout, person=person, received_on=received_on)
        )

    def enrol(self, course, person, **fields) -> Enrolment:
        enrolment = Enrolment(course=course, person=person, **fields)
        self.enrolments.append(enrolment)
        return enrolment

    # Writing --------------------------------------------------------------------------
    def flush(self) -> dict[str, int]:
        Person.objects.bulk_create(self.people)
        PersonTeam.objects.bulk_create(self.team_links)
        PersonRole.objects.bulk_create(self.roles)
        Relationship.objects.bulk_create(self.links)
        Session.objects.bulk_create(self.sessions)
        through = Session.facilitators.through
        through.objects.bulk_create(
            [through(session=session, user=user) for session, user in self.facilitators]
        )
        ExternalFacilitator.objects.bulk_create(self.externals)
        Attendance.objects.bulk_create(self.attendance.values(), batch_size=2000)
        Handout.objects.bulk_create(self.handouts)
        HandoutReceipt.objects.bulk_create(self.receipts)
        Enrolment.objects.bulk_create(self.enrolments)
        return {
            "people": len(self.people),
            "sessions": len(self.sessions),
            "attendance": len(self.attendance),
            "handouts": len(self.handouts),
            "enrolments": len(self.enrolments),
        }
