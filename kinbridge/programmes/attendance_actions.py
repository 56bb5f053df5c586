"""Every change to attendance, unnamed headcounts and paper registers.

Who may act: ``can_record_attendance`` (administrators, the team's programme
managers, the session's own facilitators); ``actor=None`` is the system
(demo data, imports). Pages, the API and file uploads all call these.

* :func:`record_marks` saves a batch of marks for one session, all or
  nothing: every row is checked first and the problems come back by row
  (:class:`RowErrors`). One row per session and person, by constraint:
  recording twice updates the row (``update_or_create``; a concurrent
  insert loses to the unique index and becomes an update).
* A person outside the session's audience (see
  :func:`kinbridge.programmes.attendance_rules.fits_audience`) is recorded
  present only with a reason.
* Recording attendance on a planned session marks it held.
* :func:`print_register` creates a numbered paper register; :func:`enter_register`
  brings its marks back by line number (or a walk-in's reference);
  :func:`import_marks` does the same for a whole uploaded file.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinbridge.audit.actions import record_created, record_updated, snapshot
from kinbridge.people.models import Person, Relationship
from kinbridge.programmes.access import can_record_attendance
from kinbridge.programmes.attendance_rules import (
    audience_facts,
    expected_people,
    fits_audience,
    name_order,
    outside_audience_message,
)
from kinbridge.programmes.models import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    PlaceKind,
    RegisterLine,
    RegisterSheet,
    Session,
    SessionStatus,
    register_code,
)

MAX_BLANK_LINES = 60
MAX_HEADCOUNT = 100_000
REASON_LENGTH = Attendance._meta.get_field("outside_audience_reason").max_length
# ``Mark.with_adult`` left as KEEP keeps whoever the row already says the child came with.
KEEP = object()


class RowErrors(ValidationError):
    """Problems of some rows of a batch: ``rows`` maps a row's index to {field: [messages]}.

    Nothing of the batch was saved.
    """

    def __init__(self, rows: dict[int, dict[str, list[str]]]):
        self.rows = dict(sorted(rows.items()))
        count = len(self.rows)
        super().__init__(
            ngettext(
                "%(count)d row has a problem; nothing was saved.",
                "%(count)d rows have problems; nothing was saved.",
                count,
            )
            % {"count": count}
        )


@dataclass
class Mark:
    """One person's attendance as a form, the API or a register gives it."""

    person: Person
    status: str
    with_adult: object = KEEP  # a Person, None (came alone) or KEEP
    reason: str = ""


def _require_recorder(actor, session: Session) -> None:
    if actor is not None and not can_record_attendance(actor, session):
        raise PermissionDenied


def check_session_takes_attendance(session: Session) -> None:
    """A cancelled session has no attendance; a session not yet held has none so far."""
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError({"session": _("This session was cancelled: it has no attendance.")})
    if session.start_date > timezone.localdate():
        raise ValidationError(
            {
                "session": _(
                    "This session takes place on %(date)s. Record attendance on or after that day."
                )
                % {"date": date_format(session.start_date, "DATE_FORMAT")}
            }
        )


def roster_filter(session: Session) -> Q:
    """People on the session's roster: enrolled, already recorded, or on one of its registers."""
    on_roster = Q(pk__in=Attendance.objects.filter(session=session).values("person_id")) | Q(
        pk__in=RegisterLine.objects.filter(sheet__session=session).values("person_id")
    )
    if session.course_id is not None:
        on_roster |= Q(
            pk__in=Enrolment.objects.filter(
                course_id=session.course_id, status=EnrolmentStatus.ENROLLED
            ).values("person_id")
        )
    return on_roster


def recordable_people(actor, session: Session, ids) -> dict[int, Person]:
    """Of ``ids``, the people the actor may record at ``session`` (one query).

    Anyone on the session's roster, and anyone else the actor may see.
    """
    ids = {int(pk) for pk in ids}
    if not ids:
        return {}
    people = Person.objects.filter(pk__in=ids)
    if actor is not None:
        visible = Person.objects.visible_to(actor).filter(pk__in=ids).values("pk")
        people = people.filter(roster_filter(session) | Q(pk__in=visible))
    return {person.pk: person for person in people}


def _adult_of(mark: Mark, existing: Attendance | None):
    """Whom the child came with, once the mark is applied (None: alone)."""
    if mark.status != AttendanceStatus.PRESENT:
        return None
    if mark.with_adult is KEEP:
        return existing.with_adult_id if existing else None
    return mark.with_adult.pk if mark.with_adult is not None else None


def _validate(session: Session, marks: list[Mark], existing: dict, facts: dict) -> dict:
    """Every problem of every row, by row index (a handful of queries for any batch)."""
    errors: dict[int, dict[str, list[str]]] = defaultdict(dict)
    status_in_batch = {mark.person.pk: mark.status for mark in marks}
    adults = {
        mark.with_adult.pk: mark.with_adult
        for mark in marks
        if mark.with_adult is not KEEP and mark.with_adult is not None
    }
    stored = dict(
        Attendance.objects.filter(session=session, person_id__in=adults).values_list(
            "person_id", "status"
        )
    )
    links = set(
        Relationship.objects.filter(
            person_id__in=[mark.person.pk for mark in marks],
            relative_id__in=adults,
            end__isnull=True,
        ).values_list("person_id", "relative_id")
    )
    seen: dict[int, int] = {}
    for index, mark in enumerate(marks):
        problems = errors[index]
        person = mark.person
        if mark.status not in AttendanceStatus.values:
            problems["status"] = [_("Choose present, absent or excused.")]
        if person.erased_at is not None:
            problems["person"] = [
                _("This person's identifying data was erased; the record cannot be changed.")
            ]
        elif person.pk in seen:
            problems["person"] = [
                _("%(reference)s is already in this list, in row %(row)d.")
                % {"reference": person.reference, "row": seen[person.pk] + 1}
            ]
        seen.setdefault(person.pk, index)
        if len(mark.reason or "") > REASON_LENGTH:
            problems["outside_audience_reason"] = [
                _("Keep the reason under %(count)d characters.") % {"count": REASON_LENGTH}
            ]
        adult_id = _adult_of(mark, existing.get(person.pk))
        new_adult = mark.with_adult is not KEEP and adult_id is not None
        if new_adult:
            adult = adults[adult_id]
            adult_status = status_in_batch.get(adult_id, stored.get(adult_id))
            if adult_id == person.pk:
                problems["with_adult"] = [_("A person cannot come with themselves.")]
            elif adult_status != AttendanceStatus.PRESENT:
                problems["with_adult"] = [
                    _("%(reference)s is not recorded as present at this session.")
                    % {"reference": adult.reference}
                ]
            elif (person.pk, adult_id) not in links:
                problems["with_adult"] = [
                    _("%(child)s is not recorded as a relative of %(adult)s.")
                    % {"child": person.reference, "adult": adult.reference}
                ]
        reason = (mark.reason or "").strip() or _kept_reason(existing.get(person.pk))
        if (
            mark.status == AttendanceStatus.PRESENT
            and not fits_audience(session.audience, facts[person.pk], accompanied=bool(adult_id))
            and not reason
            and "outside_audience_reason" not in problems
        ):
            problems["outside_audience_reason"] = [outside_audience_message(session, person)]
    return {index: problems for index, problems in errors.items() if problems}


def _kept_reason(attendance: Attendance | None) -> str:
    return attendance.outside_audience_reason if attendance else ""


def _save(actor, session, mark: Mark, existing: Attendance | None, source, outside: bool):
    reason = ((mark.reason or "").strip() or _kept_reason(existing)) if outside else ""
    defaults = {
        "status": mark.status,
        "with_adult_id": _adult_of(mark, existing),
        "outside_audience_reason": reason,
        "source": source,
        "recorded_by": actor if getattr(actor, "is_authenticated", False) else None,
    }
    before = snapshot(existing) if existing else None
    attendance, created = Attendance.objects.update_or_create(
        session=session, person=mark.person, defaults=defaults
    )
    if created or before is None:
        record_created(actor, attendance)
    else:
        record_updated(actor, attendance, before)
    return attendance, created


def mark_held(actor, session: Session) -> None:
    """A planned session with attendance recorded took place: mark it held (once)."""
    if session.status != SessionStatus.PLANNED:
        return
    before = snapshot(session)
    changed = Session.objects.filter(pk=session.pk, status=SessionStatus.PLANNED).update(
        status=SessionStatus.HELD, updated_at=timezone.now()
    )
    session.status = SessionStatus.HELD
    if changed:
        record_updated(actor, session, before)


def _validate_headcount(headcount) -> None:
    if headcount is None:
        return
    if not isinstance(headcount, int) or not 0 <= headcount <= MAX_HEADCOUNT:
        raise ValidationError(
            {
                "unnamed_headcount": _("Enter a whole number from 0 to %(max)d.")
                % {"max": MAX_HEADCOUNT}
            }
        )


def record_marks(
    actor,
    session: Session,
    marks: list[Mark],
    *,
    source: str = AttendanceSource.SCREEN,
    headcount: int | None = None,
) -> list[tuple[Attendance, bool]]:
    """Save a batch of marks for one session, all or nothing; (attendance, created) per mark.

    Raises PermissionDenied, ValidationError (the session, the headcount) or
    RowErrors (problems by row index). The caller decides which people the
    actor may reach (:func:`recordable_people`).
    """
    _require_recorder(actor, session)
    check_session_takes_attendance(session)
    _validate_headcount(headcount)
    marks = list(marks)
    with transaction.atomic():
        existing = {
            row.person_id: row
            for row in Attendance.objects.select_for_update().filter(
                session=session, person_id__in=[mark.person.pk for mark in marks]
            )
        }
        facts = audience_facts([mark.person for mark in marks], session.start_date)
        errors = _validate(session, marks, existing, facts)
        if errors:
            raise RowErrors(errors)
        saved = []
        for mark in marks:
            current = existing.get(mark.person.pk)
            outside = not fits_audience(
                session.audience,
                facts[mark.person.pk],
                accompanied=bool(_adult_of(mark, current)),
            )
            saved.append(_save(actor, session, mark, current, source, outside))
        if headcount is not None and headcount != session.unnamed_headcount:
            before = snapshot(session)
            session.unnamed_headcount = headcount
            session.save(update_fields=["unnamed_headcount", "updated_at"])
            record_updated(actor, session, before)
        if saved or headcount:
            mark_held(actor, session)
    return saved


def record_attendance(
    actor,
    session: Session,
    person: Person,
    *,
    status: str,
    with_adult=KEEP,
    reason: str = "",
    source: str = AttendanceSource.SCREEN,
) -> tuple[Attendance, bool]:
    """One person's attendance; the row's problems are raised by field."""
    mark = Mark(person=person, status=status, with_adult=with_adult, reason=reason)
    try:
        return record_marks(actor, session, [mark], source=source)[0]
    except RowErrors as exc:
        raise ValidationError(exc.rows[0]) from None


def set_headcount(actor, session: Session, headcount: int) -> Session:
    """The number of participants counted without names (a public event)."""
    record_marks(actor, session, [], headcount=headcount)
    return session


# --- Paper registers ----------------------------------------------------------------


def default_show_names(session: Session) -> bool:
    """Names on paper, except inside a facility, where reference codes stand in for them."""
    return session.place_kind != PlaceKind.FACILITY


def _new_sheet(actor, session, show_names, blank_lines) -> RegisterSheet:
    printed_by = actor if getattr(actor, "is_authenticated", False) else None
    for _attempt in range(5):
        sheet = RegisterSheet(
            session=session,
            code=register_code(),
            show_names=show_names,
            blank_lines=blank_lines,
            printed_by=printed_by,
        )
        try:
            with transaction.atomic():
                sheet.save()
            return sheet
        except IntegrityError:
            if not RegisterSheet.objects.filter(code=sheet.code).exists():
                raise
    raise IntegrityError("no free register code after five attempts")


def print_register(
    actor, session: Session, *, show_names: bool | None = None, blank_lines: int = 0
) -> RegisterSheet:
    """A new numbered register of everyone expected (enrolled or already recorded).

    Printed in name order, or in reference order when only codes are printed.
    """
    _require_recorder(actor, session)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError({"session": _("This session was cancelled: it has no attendance.")})
    if not isinstance(blank_lines, int) or not 0 <= blank_lines <= MAX_BLANK_LINES:
        raise ValidationError(
            {"blank_lines": _("Enter a whole number from 0 to %(max)d.") % {"max": MAX_BLANK_LINES}}
        )
    if show_names is None:
        show_names = default_show_names(session)
    people, _enrolled = expected_people(session)
    people.sort(key=name_order if show_names else (lambda person: person.reference))
    with transaction.atomic():
        sheet = _new_sheet(actor, session, show_names, blank_lines)
        RegisterLine.objects.bulk_create(
            RegisterLine(sheet=sheet, number=number, person=person)
            for number, person in enumerate(people, start=1)
        )
        record_created(actor, sheet, extra={"lines": len(people)})
    return sheet


@dataclass
class SheetEntry:
    """A mark for one line of a register, or for a walk-in written in by reference."""

    status: str
    line: int | None = None
    reference: str = ""
    reason: str = ""


@dataclass
class _Resolved:
    marks: list[Mark] = field(default_factory=list)
    entry_of_mark: list[int] = field(default_factory=list)
    errors: dict[int, dict[str, list[str]]] = field(default_factory=dict)


def _resolve(actor, sheet: RegisterSheet, entries: list[SheetEntry]) -> _Resolved:
    """Lines and references to people, with an error per entry that names no one."""
    result = _Resolved()
    lines = {line.number: line.person for line in sheet.lines.select_related("person")}
    last_line = len(lines) + sheet.blank_lines
    references = {entry.reference.strip().upper() for entry in entries if entry.reference}
    by_reference = {
        person.reference: person
        for person in Person.objects.filter(reference__in=references)
        if references
    }
    allowed = recordable_people(actor, sheet.session, [p.pk for p in by_reference.values()])
    for index, entry in enumerate(entries):
        reference = entry.reference.strip().upper()
        printed = lines.get(entry.line) if entry.line is not None else None
        person, problem = printed, None
        if entry.line is not None and printed is None and not (0 < entry.line <= last_line):
            problem = ("line", _("The sheet %(code)s has no line %(line)d."))
        elif reference:
            person = allowed.get(by_reference[reference].pk) if reference in by_reference else None
            if person is None:
                problem = ("reference", _("No one with the reference %(reference)s."))
            elif printed is not None and printed.pk != person.pk:
                problem = ("reference", _("Line %(line)d of %(code)s is not %(reference)s."))
        elif entry.line is None:
            problem = ("line", _("Give a line number or a person's reference."))
        elif printed is None:
            problem = (
                "reference",
                _("Line %(line)d was blank on the sheet: give the person's reference code."),
            )
        if problem:
            name, message = problem
            result.errors[index] = {
                name: [
                    message % {"code": sheet.code, "line": entry.line or 0, "reference": reference}
                ]
            }
            continue
        result.marks.append(Mark(person=person, status=entry.status, reason=entry.reason))
        result.entry_of_mark.append(index)
    return result


def _entry_field(entry: SheetEntry, name: str) -> str:
    if name == "person":
        return "reference" if entry.reference else "line"
    if name == "outside_audience_reason":
        return "reason"
    return name


def enter_register(actor, sheet: RegisterSheet, entries: list[SheetEntry]) -> int:
    """Save the marks of a paper register, all or nothing; the number of marks saved.

    Problems are raised as RowErrors by entry index, with the fields
    ``line``, ``reference``, ``status``, ``reason`` or ``with_adult``.
    """
    session = sheet.session
    _require_recorder(actor, session)
    check_session_takes_attendance(session)
    entries = list(entries)
    if not entries:
        raise ValidationError({"marks": _("Mark at least one line.")})
    with transaction.atomic():
        resolved = _resolve(actor, sheet, entries)
        errors = dict(resolved.errors)
        try:
            if not errors:
                record_marks(actor, session, resolved.marks, source=AttendanceSource.PAPER)
            else:
                # Check the rest too, so one pass reports every problem; nothing is saved.
                check_marks(session, resolved.marks)
        except RowErrors as exc:
            for index, problems in exc.rows.items():
                entry_index = resolved.entry_of_mark[index]
                entry = entries[entry_index]
                errors[entry_index] = {
                    _entry_field(entry, name): messages for name, messages in problems.items()
                }
        if errors:
            raise RowErrors(errors)
        before = snapshot(sheet)
        sheet.entered_at = timezone.now()
        sheet.save(update_fields=["entered_at"])
        record_updated(actor, sheet, before)
    return len(resolved.marks)


def check_marks(session: Session, marks: list[Mark]) -> None:
    """Validate marks without saving anything (RowErrors by index), to report every problem."""
    existing = {
        row.person_id: row
        for row in Attendance.objects.filter(
            session=session, person_id__in=[mark.person.pk for mark in marks]
        )
    }
    facts = audience_facts([mark.person for mark in marks], session.start_date)
    errors = _validate(session, marks, existing, facts)
    if errors:
        raise RowErrors(errors)


# --- Uploaded files of marks -------------------------------------------------------


@dataclass
class FileRow:
    """A row of an uploaded file, as read: ``number`` is its row number in the file."""

    number: int
    sheet: str
    line: int | None
    reference: str
    status: str
    reason: str = ""


@dataclass(frozen=True, order=True)
class RowProblem:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    saved: int = 0
    sheets: list[RegisterSheet] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


class _Rollback(Exception):
    pass


def import_marks(actor, rows: list[FileRow], problems: list[RowProblem] = ()) -> ImportReport:
    """Save the marks of an uploaded file in one transaction: every row valid, or nothing.

    ``problems`` are those found while reading the file; they are reported
    with the rest, and any problem at all means nothing is saved.
    """
    report = ImportReport(problems=list(problems))
    codes = {row.sheet.strip().upper() for row in rows}
    sheets = RegisterSheet.objects.filter(code__in=codes).select_related("session")
    if actor is not None:
        sheets = sheets.filter(session__in=Session.objects.with_rosters_for(actor))
    sheets = {sheet.code: sheet for sheet in sheets}
    by_sheet: dict[str, list[FileRow]] = defaultdict(list)
    for row in rows:
        code = row.sheet.strip().upper()
        sheet = sheets.get(code)
        if sheet is None:
            message = _("No register with the code %(code)s.") % {"code": code or "—"}
            report.problems.append(RowProblem(row.number, "sheet", message))
        elif actor is not None and not can_record_attendance(actor, sheet.session):
            message = _("You may not record attendance for the session of %(code)s.")
            report.problems.append(RowProblem(row.number, "sheet", message % {"code": code}))
        else:
            by_sheet[code].append(row)
    try:
        with transaction.atomic():
            for code, sheet_rows in by_sheet.items():
                sheet = sheets[code]
                entries = [
                    SheetEntry(
                        status=row.status, line=row.line, reference=row.reference, reason=row.reason
                    )
                    for row in sheet_rows
                ]
                try:
                    report.saved += enter_register(actor, sheet, entries)
                    report.sheets.append(sheet)
                except RowErrors as exc:
                    for index, fields in exc.rows.items():
                        for name, messages in fields.items():
                            for message in messages:
                                column = "mark" if name == "status" else name
                                report.problems.append(
                                    RowProblem(sheet_rows[index].number, column, message)
                                )
                except ValidationError as exc:
                    for message in exc.messages:
                        report.problems.append(RowProblem(sheet_rows[0].number, "sheet", message))
            if report.problems:
                raise _Rollback
    except _Rollback:
        report.saved, report.sheets = 0, []
    # One message per cell: a mark the file reader could not read is not reported twice.
    first = {}
    for problem in report.problems:
        first.setdefault((problem.row, problem.column), problem)
    report.problems = sorted(first.values())
    return report
