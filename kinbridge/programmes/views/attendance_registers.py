"""Pages: printable paper registers and bringing their marks back.

Printing creates a numbered register (a RegisterSheet with a code) shown
as a page that prints well from the browser, as a PDF and as a
spreadsheet template. The marks come back on screen, by typing the code
and marking each line, or by uploading a CSV or XLSX file.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinbridge.accounts.roles import Role
from kinbridge.audit.actions import record
from kinbridge.audit.models import Action
from kinbridge.programmes import attendance_actions as actions
from kinbridge.programmes import attendance_files as files
from kinbridge.programmes.access import can_record_attendance
from kinbridge.programmes.attendance_rules import audience_facts, expected_people, fits_audience
from kinbridge.programmes.forms_attendance import (
    PrintRegisterForm,
    SheetCodeForm,
    UploadMarksForm,
    read_grid_post,
)
from kinbridge.programmes.models import Attendance, AttendanceStatus
from kinbridge.programmes.views.attendance_common import (
    roster_session,
    session_header,
    sheet_for_user,
)

# Roles that record attendance somewhere (the session decides the rest).
RECORDERS = (Role.ADMINISTRATOR, Role.PROGRAMME_MANAGER, Role.FACILITATOR)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_recorder_role(request) -> None:
    if not request.user.has_role(*RECORDERS):
        raise PermissionDenied


def _apply_errors(form, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


@login_required
def register_print(request, pk):
    """Choose names or codes and blank lines, then print a new numbered register."""
    session = roster_session(request, pk, audit=False)
    if not can_record_attendance(request.user, session):
        raise PermissionDenied
    initial = {"show_names": actions.default_show_names(session), "blank_lines": 5}
    form = PrintRegisterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = actions.print_register(request.user, session, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Register %(code)s is ready: print it or download the PDF.")
                % {"code": sheet.code},
            )
            return redirect("programmes:register_sheet", pk=sheet.pk)
    people, _enrolled = expected_people(session)
    return render(
        request,
        "programmes/attendance/register_print.html",
        session_header(session)
        | {
            "form": form,
            "expected": len(people),
            "in_facility": not actions.default_show_names(session),
        },
    )


@login_required
def register_sheet(request, pk):
    """The register as a page: the same lines as the PDF, for printing from the browser."""
    sheet = sheet_for_user(request, pk=pk)
    return render(
        request,
        "programmes/attendance/register_sheet.html",
        session_header(sheet.session)
        | files.sheet_context(sheet)
        | {"can_edit": can_record_attendance(request.user, sheet.session)},
    )


def _exported(request, pk, format: str):
    sheet = sheet_for_user(request, pk=pk, audit=False)
    record(Action.EXPORT, actor=request.user, obj=sheet, format=format, session=sheet.session_id)
    return sheet


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def register_pdf(request, pk):
    sheet = _exported(request, pk, "pdf")
    pdf = files.render_register_pdf(sheet)
    return _attachment(HttpResponse(pdf, content_type="application/pdf"), f"{sheet.code}.pdf")


@login_required
def register_template(request, pk):
    """A spreadsheet of the register's lines with an empty mark column, to fill and upload."""
    sheet = _exported(request, pk, "xlsx")
    book = files.register_template_xlsx(sheet)
    return _attachment(HttpResponse(book, content_type=XLSX), f"{sheet.code}.xlsx")


@login_required
def register_find(request):
    """Type the code printed on a register to enter its marks."""
    _require_recorder_role(request)
    form = SheetCodeForm(request.GET or None)
    if form.is_valid():
        code = form.cleaned_data["code"]
        try:
            sheet = sheet_for_user(request, code=code, audit=False)
        except Http404:
            form.add_error("code", _("No register with the code %(code)s.") % {"code": code})
        except PermissionDenied:
            form.add_error("code", _("You may not enter the attendance of this session."))
        else:
            if can_record_attendance(request.user, sheet.session):
                return redirect("programmes:register_entry", code=sheet.code)
            form.add_error("code", _("You may not enter the attendance of this session."))
    return render(request, "programmes/attendance/register_find.html", {"form": form})


def _grid(sheet, posted=None, errors=None) -> list[dict]:
    """One row per printed line, with what is recorded and what was posted (fixed queries)."""
    lines = files.sheet_lines(sheet)
    people = [line["person"] for line in lines if line["person"]]
    recorded = dict(
        Attendance.objects.filter(session=sheet.session, person__in=people).values_list(
            "person_id", "status"
        )
    )
    facts = audience_facts(people, sheet.session.start_date)
    rows = []
    for line in lines:
        person, number = line["person"], line["number"]
        mine = (posted or {}).get(number)
        row = {
            "number": number,
            "person": person,
            "recorded": recorded.get(person.pk, "") if person else "",
            "outside": bool(person) and not fits_audience(sheet.session.audience, facts[person.pk]),
            "errors": (errors or {}).get(number, {}),
        }
        row["status"] = mine.status if mine else row["recorded"]
        row["reference"] = mine.reference if mine else ""
        row["reason"] = mine.reason if mine else ""
        rows.append(row)
    return rows


@login_required
def register_entry(request, code):
    """The register's numbered lines in printed order, one mark each; saved all at once."""
    sheet = sheet_for_user(request, code=code, audit=request.method != "POST")
    if not can_record_attendance(request.user, sheet.session):
        raise PermissionDenied
    context = session_header(sheet.session) | {
        "sheet": sheet,
        "statuses": AttendanceStatus.choices,
    }
    if request.method != "POST":
        return render(
            request,
            "programmes/attendance/register_entry.html",
            context | {"rows": _grid(sheet)},
        )
    numbers = [line["number"] for line in files.sheet_lines(sheet)]
    posted = {line.number: line for line in read_grid_post(request.POST, numbers)}
    # A walk-in's reference without a mark is reported, not dropped.
    marked = [line for line in posted.values() if line.status or line.reference]
    entries = [
        actions.SheetEntry(
            status=line.status, line=line.number, reference=line.reference, reason=line.reason
        )
        for line in marked
    ]
    try:
        saved = actions.enter_register(request.user, sheet, entries)
    except actions.RowErrors as exc:
        errors = {marked[index].number: problems for index, problems in exc.rows.items()}
        return render(
            request,
            "programmes/attendance/register_entry.html",
            context | {"rows": _grid(sheet, posted, errors), "problem_count": len(errors)},
            status=400,
        )
    except ValidationError as exc:
        return render(
            request,
            "programmes/attendance/register_entry.html",
            context | {"rows": _grid(sheet, posted), "form_errors": exc.messages},
            status=400,
        )
    messages.success(
        request,
        ngettext(
            "Register %(code)s entered: %(count)d mark saved.",
            "Register %(code)s entered: %(count)d marks saved.",
            saved,
        )
        % {"code": sheet.code, "count": saved},
    )
    return redirect("programmes:roster", pk=sheet.session_id)


@login_required
def register_upload(request):
    """Upload a CSV or XLSX file of marks; every row must be valid, or nothing is saved."""
    _require_recorder_role(request)
    form = UploadMarksForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        read = files.read_upload(upload.name, content)
        if not read.rows and not read.problems:
            form.add_error("file", _("The file has no marks."))
        else:
            report = actions.import_marks(request.user, read.rows, read.problems)
            if not report.problems:
                codes = ", ".join(sheet.code for sheet in report.sheets)
                messages.success(
                    request,
                    ngettext(
                        "%(count)d mark saved from %(codes)s.",
                        "%(count)d marks saved from %(codes)s.",
                        report.saved,
                    )
                    % {"count": report.saved, "codes": codes},
                )
                if len(report.sheets) == 1:
                    return redirect("programmes:roster", pk=report.sheets[0].session_id)
                return redirect("programmes:register_upload")
    labels = files.column_labels() | {"file": _("File")}
    problems = [
        (problem.row, labels.get(problem.column, problem.column), problem.message)
        for problem in (report.problems if report else [])
    ]
    return render(
        request,
        "programmes/attendance/register_upload.html",
        {"form": form, "problems": problems},
        status=400 if report is not None or form.errors else 200,
    )


urlpatterns = [
    path("sessions/<int:pk>/register/", register_print, name="register_print"),
    path("registers/enter/", register_find, name="register_find"),
    path("registers/upload/", register_upload, name="register_upload"),
    path("registers/<int:pk>/", register_sheet, name="register_sheet"),
    path("registers/<int:pk>/pdf/", register_pdf, name="register_pdf"),
    path("registers/<int:pk>/marks.xlsx", register_template, name="register_template"),
    path("registers/<str:code>/enter/", register_entry, name="register_entry"),
]
