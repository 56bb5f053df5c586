"""Pages: a session's roster with quick attendance entry (paper registers:
``attendance_registers.py``).

The roster lists everyone expected (course enrolees and anyone already
recorded) with present / absent / excused as radio buttons. "Save" records
every row at once, all or nothing; with htmx each row also saves as soon as
it changes. People are added by a search (the people the user may see),
and a present mother's children with one button each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kinbridge.people.models import PARENT_KINDS, Person, Relationship
from kinbridge.programmes import attendance_actions as actions
from kinbridge.programmes.access import can_record_attendance
from kinbridge.programmes.attendance_rules import (
    audience_facts,
    expected_people,
    fits_audience,
    name_order,
)
from kinbridge.programmes.forms_attendance import PostedRow, read_roster_post, read_row
from kinbridge.programmes.models import (
    Attendance,
    AttendanceStatus,
    SessionStatus,
)
from kinbridge.programmes.views import attendance_registers
from kinbridge.programmes.views.attendance_common import roster_session, session_header

SEARCH_LIMIT = 20


@dataclass
class RosterRow:
    person: Person
    attendance: Attendance | None = None
    enrolled: bool = False
    outside: bool = False
    status: str = ""
    reason: str = ""
    adult: Person | None = None
    children: list[Person] = field(default_factory=list)
    errors: dict = field(default_factory=dict)
    saved: bool = False

    @property
    def key(self) -> int:
        return self.person.pk


def build_roster(request, session, *, can_edit, posted=None, errors=None, only=None):
    """The roster's rows in name order, each child after the adult it came with.

    ``posted`` (person id -> PostedRow) shows a refused post again;
    ``errors`` are its problems by person id. A fixed number of queries.
    """
    people, enrolled = expected_people(session)
    if only is not None:
        people = [person for person in people if person.pk in only]
    recorded = {
        row.person_id: row
        for row in Attendance.objects.filter(session=session).select_related("with_adult")
    }
    facts = audience_facts(people, session.start_date)
    rows = {}
    for person in people:
        attendance = recorded.get(person.pk)
        row = RosterRow(person=person, attendance=attendance, enrolled=person.pk in enrolled)
        row.status = attendance.status if attendance else ""
        row.reason = attendance.outside_audience_reason if attendance else ""
        row.adult = attendance.with_adult if attendance else None
        if posted and person.pk in posted:
            row.status = posted[person.pk].status or row.status
            row.reason = posted[person.pk].reason or row.reason
        row.outside = not fits_audience(
            session.audience, facts[person.pk], accompanied=row.adult is not None
        )
        row.errors = (errors or {}).get(person.pk, {})
        rows[person.pk] = row
    if can_edit:
        _children_to_add(request, rows)
    return sorted(rows.values(), key=lambda row: _row_order(row, rows))


def _row_order(row: RosterRow, rows: dict) -> tuple:
    adult = rows.get(row.adult.pk) if row.adult else None
    if adult is not None:
        return (*name_order(adult.person), 1, *name_order(row.person))
    return (*name_order(row.person), 0)


def _children_to_add(request, rows: dict) -> None:
    """Children of present adults, not on the roster yet: one query."""
    present = [pk for pk, row in rows.items() if row.status == AttendanceStatus.PRESENT]
    if not present:
        return
    links = (
        Relationship.objects.filter(
            relative_id__in=present,
            kind__in=PARENT_KINDS,
            end__isnull=True,
            person__in=Person.objects.visible_to(request.user),
            person__erased_at__isnull=True,
        )
        .exclude(person_id__in=list(rows))
        .select_related("person")
        .order_by("person__birth_date", "person_id")
    )
    for link in links:
        if link.person not in rows[link.relative_id].children:
            rows[link.relative_id].children.append(link.person)


def _candidates(request, session, query: str, on_roster) -> list:
    """People the user may see matching the search, not on the roster yet (three queries)."""
    if not query:
        return []
    people = list(
        Person.objects.visible_to(request.user)
        .search(query)
        .filter(erased_at__isnull=True)
        .exclude(pk__in=on_roster)
        .order_by("family_name", "given_name", "pk")[:SEARCH_LIMIT]
    )
    facts = audience_facts(people, session.start_date)
    for person in people:
        person.outside = not fits_audience(session.audience, facts[person.pk])
    return people


def _summary(session, rows) -> dict:
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    for row in rows:
        if row.attendance is not None:
            counts[row.attendance.status] += 1
    return {
        "present": counts[AttendanceStatus.PRESENT],
        "absent": counts[AttendanceStatus.ABSENT],
        "excused": counts[AttendanceStatus.EXCUSED],
        "not_marked": sum(1 for row in rows if row.attendance is None),
        "headcount": session.unnamed_headcount,
        "total_present": counts[AttendanceStatus.PRESENT] + session.unnamed_headcount,
    }


def _render_roster(request, session, *, posted=None, errors=None, headcount_error="", status=200):
    can_edit = can_record_attendance(request.user, session)
    rows = build_roster(request, session, can_edit=can_edit, posted=posted, errors=errors)
    query = request.GET.get("q", "").strip()[:100] if can_edit else ""
    context = session_header(session) | {
        "rows": rows,
        "can_edit": can_edit,
        "summary": _summary(session, rows),
        "statuses": AttendanceStatus.choices,
        "query": query,
        "candidates": _candidates(request, session, query, [row.key for row in rows]),
        "sheets": session.register_sheets.annotate(line_count=Count("lines")).order_by(
            "-printed_at"
        ),
        "headcount_error": headcount_error,
        "headcount_value": request.POST.get("unnamed_headcount", session.unnamed_headcount)
        if request.method == "POST"
        else session.unnamed_headcount,
        "problem_count": len(errors or {}) + (1 if headcount_error else 0),
        "is_planned": session.status == SessionStatus.PLANNED,
    }
    return render(request, "programmes/attendance/roster.html", context, status=status)


def _marks(request, session, posted_rows):
    """Marks for the rows with a status chosen, for people the user may record."""
    chosen = [row for row in posted_rows if row.status]
    ids = {row.person_id for row in chosen} | {
        row.with_adult_id for row in chosen if row.with_adult_id
    }
    people = actions.recordable_people(request.user, session, ids)
    marks, keys = [], []
    for row in chosen:
        person = people.get(row.person_id)
        if person is None:
            continue
        adult = actions.KEEP
        if row.with_adult_id:
            adult = people.get(row.with_adult_id, actions.KEEP)
        marks.append(
            actions.Mark(person=person, status=row.status, with_adult=adult, reason=row.reason)
        )
        keys.append(person.pk)
    return marks, keys


def _errors_by_person(exc: actions.RowErrors, keys) -> dict:
    return {keys[index]: problems for index, problems in exc.rows.items()}


@login_required
def roster(request, pk):
    """GET: the roster (an audited read). POST: save every marked row and the headcount."""
    session = roster_session(request, pk, audit=request.method != "POST")
    if request.method != "POST":
        return _render_roster(request, session)
    if not can_record_attendance(request.user, session):
        raise PermissionDenied
    posted_rows, headcount, form_errors = read_roster_post(request.POST)
    posted = {row.person_id: row for row in posted_rows}
    if form_errors:
        return _render_roster(
            request,
            session,
            posted=posted,
            headcount_error=form_errors["unnamed_headcount"],
            status=400,
        )
    marks, keys = _marks(request, session, posted_rows)
    try:
        actions.record_marks(request.user, session, marks, headcount=headcount)
    except actions.RowErrors as exc:
        return _render_roster(
            request, session, posted=posted, errors=_errors_by_person(exc, keys), status=400
        )
    except ValidationError as exc:
        for problem in exc.messages:
            messages.error(request, problem)
        return redirect("programmes:roster", pk=session.pk)
    messages.success(
        request,
        ngettext(
            "Attendance saved: %(count)d person.",
            "Attendance saved: %(count)d people.",
            len(marks),
        )
        % {"count": len(marks)},
    )
    return redirect("programmes:roster", pk=session.pk)


def _posted_row(data) -> PostedRow | None:
    """The row posted: ``row`` (a person's fields), or ``add_child`` ("child:adult")."""
    child, _sep, adult = data.get("add_child", "").partition(":")
    if child.isdigit() and adult.isdigit():
        return PostedRow(int(child), AttendanceStatus.PRESENT, "", int(adult))
    person_id = data.get("row", "")
    return read_row(data, int(person_id)) if person_id.isdigit() else None


@login_required
@require_POST
def roster_row(request, pk):
    """Save one person's row. htmx: answers with the row; otherwise back to the roster.

    Also adds someone to the roster: a person found by the search, or a child
    who came with a present adult (``with_adult``).
    """
    session = roster_session(request, pk, audit=False)
    if not can_record_attendance(request.user, session):
        raise PermissionDenied
    row = _posted_row(request.POST)
    back = reverse("programmes:roster", args=[session.pk])
    errors, saved = {}, False
    if row is None and request.htmx:
        return HttpResponse(status=204)  # nothing to swap
    if row is None or not row.status:
        if not request.htmx:
            messages.error(request, _("Choose present, absent or excused."))
            return redirect(back)
    else:
        marks, _keys = _marks(request, session, [row])
        try:
            if not marks:
                raise actions.RowErrors(
                    {0: {"person": [_("This person cannot be recorded at this session.")]}}
                )
            actions.record_marks(request.user, session, marks)
            saved = True
        except actions.RowErrors as exc:
            errors = exc.rows[0]
        except ValidationError as exc:
            errors = {"status": exc.messages}
    if not request.htmx:
        if errors:
            for problems in errors.values():
                for problem in problems:
                    messages.error(request, problem)
            query = request.POST.get("q", "").strip()
            return redirect(f"{back}?{urlencode({'q': query})}" if query else back)
        messages.success(request, _("Attendance saved."))
        return redirect(f"{back}#row-{row.person_id}")
    rows = build_roster(
        request,
        session,
        can_edit=True,
        posted={row.person_id: row} if row else None,
        errors={row.person_id: errors} if errors else None,
        only={row.person_id} if row else set(),
    )
    everyone = build_roster(request, session, can_edit=False) if saved else None
    return render(
        request,
        "programmes/attendance/_roster_row_response.html",
        session_header(session)
        | {
            "row": rows[0] if rows else None,
            "saved": saved,
            "statuses": AttendanceStatus.choices,
            "can_edit": True,
            "oob_summary": _summary(session, everyone) if everyone is not None else None,
        },
    )


urlpatterns = [
    path("sessions/<int:pk>/attendance/", roster, name="roster"),
    path("sessions/<int:pk>/attendance/row/", roster_row, name="roster_row"),
    *attendance_registers.urlpatterns,
]
