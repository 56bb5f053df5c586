"""Paper registers as files: the PDF to print, the spreadsheet template, and reading
marks back from an uploaded CSV or XLSX file.

Marks are read in English, Russian and Lithuanian, as words or initials,
an initial only where it means one thing (see :data:`MARKS`): P/A/E; the
Russian initials of "присутствовал", "не был" or "отсутствовал" and
"уважительная причина"; Lithuanian D (dalyvavo) and N (nedalyvavo).
Lithuanian "pateisinta" (excused) is read only as a word: its initial P
already means "present".
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from kinbridge.lib.spreadsheet import safe_cell
from kinbridge.people.export import fetch_nothing
from kinbridge.programmes.attendance_actions import FileRow, RowProblem
from kinbridge.programmes.models import AttendanceStatus, PlaceKind, RegisterSheet, Session

MAX_ROWS = 5000
EN_DASH = "\u2013"
HEADER_SEARCH_ROWS = 5

MARKS = {
    AttendanceStatus.PRESENT: (
        "p present + ✓ ✔ "
        "п присутствовал присутствовала присутствует был была "
        "d dalyvavo dalyvavau buvo"
    ),
    AttendanceStatus.ABSENT: (
        "a absent - н о отсутствовал отсутствовала отсутствует не_был не_была "  # noqa: RUF001
        "n nedalyvavo nebuvo"
    ),
    AttendanceStatus.EXCUSED: (
        "e excused у уважительная уважительно по_уважительной_причине "  # noqa: RUF001
        "pateisinta pateisinamai"
    ),
}
# Cyrillic letters that look like the Latin initials (autocorrect, a Russian keyboard).
LOOKALIKES = {"р": "p", "а": "a", "е": "e"}  # noqa: RUF001
MARK_OF = {
    word.replace("_", " "): status for status, words in MARKS.items() for word in words.split()
}


def parse_mark(text) -> str | None:
    """The status a written mark stands for, or None if it is not one we read."""
    key = " ".join(str(text or "").split()).casefold().rstrip(".")
    key = LOOKALIKES.get(key, key)
    return MARK_OF.get(key)


# --- Columns of an uploaded file ---------------------------------------------------

COLUMNS = ("sheet", "line", "reference", "mark", "reason")
ALIASES = {
    "sheet": "sheet, sheet code, register, register code, лист, код листа, журнал, lapas, "
    "lapo kodas, žiniaraštis",
    "line": "line, line number, no, number, #, №, строка, номер, номер строки, eilutė, "
    "eilutės nr, nr",
    "reference": "reference, person, person reference, reference code, код, код участника, "
    "код человека, asmuo, asmens kodas, kodas",
    "mark": "mark, attendance, status, отметка, присутствие, žymė, lankomumas",
    "reason": "reason, причина, priežastis",
}


def column_labels() -> dict[str, str]:
    """The template's headers, in the active language."""
    return {
        "sheet": _("Sheet"),
        "line": _("Line"),
        "reference": _("Reference"),
        "name": _("Name"),
        "mark": _("Mark (P/A/E)"),
        "reason": _("Reason, if outside the audience"),
    }


def _header_key(text) -> str:
    text = re.sub(r"\(.*?\)", "", str(text or ""))
    return " ".join(text.replace(".", " ").replace(":", " ").split()).casefold()


def _known_headers() -> dict[str, str]:
    """Header text -> column, in every language of the interface and the aliases above."""
    from django.conf import settings

    known = {}
    for column, words in ALIASES.items():
        for word in words.split(","):
            known[_header_key(word)] = column
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for column, label in column_labels().items():
                if column in COLUMNS:
                    known.setdefault(_header_key(label), column)
    return known


@dataclass
class Upload:
    rows: list[FileRow]
    problems: list[RowProblem]


def _cells(name: str, content: bytes) -> list[list]:
    """The rows of the first worksheet or of the CSV file, as lists of cell values."""
    is_zip = content[:2] == b"PK"
    if name.lower().endswith(".xlsx") or is_zip:
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ValueError(_("This file cannot be read as an Excel workbook (.xlsx).")) from exc
        try:
            sheet = book.worksheets[0]
            return [
                list(row)
                for _n, row in zip(
                    range(MAX_ROWS + 10), sheet.iter_rows(values_only=True), strict=False
                )
            ]
        finally:
            book.close()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            _("Save the file as CSV in UTF-8, or as an Excel workbook (.xlsx).")
        ) from exc
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_upload(name: str, content: bytes) -> Upload:
    """Rows of marks from a CSV or XLSX file, with the problems of each row.

    The header row (one of the first five) names the columns: sheet, line
    and/or reference, mark, and optionally reason; other columns (names)
    are ignored. Rows with no mark are skipped: a line left empty on paper
    is not recorded.
    """
    try:
        cells = _cells(name, content)
    except ValueError as exc:
        return Upload([], [RowProblem(1, "file", str(exc))])
    known = _known_headers()
    header_at, columns = None, {}
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        found = {}
        for position, value in enumerate(row):
            column = known.get(_header_key(value))
            if column and column not in found:
                found[column] = position
        if "sheet" in found and "mark" in found and ("line" in found or "reference" in found):
            header_at, columns = index, found
            break
    if header_at is None:
        message = _(
            "No header row: one of the first rows must name the columns "
            "sheet, line (or reference) and mark."
        )
        return Upload([], [RowProblem(1, "file", message)])
    rows, problems = [], []
    data = cells[header_at + 1 :]
    if len(data) > MAX_ROWS:
        message = _("The file has more than %(max)d rows: split it.") % {"max": MAX_ROWS}
        return Upload([], [RowProblem(header_at + 1, "file", message)])
    for offset, row in enumerate(data):
        number = header_at + 2 + offset

        def cell(column, row=row):
            position = columns.get(column)
            return _text(row[position]) if position is not None and position < len(row) else ""

        values = {column: cell(column) for column in COLUMNS}
        if not values["mark"]:
            continue
        row_problems = []
        line = None
        if values["line"]:
            if values["line"].isdigit() and int(values["line"]) > 0:
                line = int(values["line"])
            else:
                row_problems.append(
                    RowProblem(number, "line", _("A line number is a whole number, like 7."))
                )
        if not values["sheet"]:
            row_problems.append(RowProblem(number, "sheet", _("Give the sheet code (R-…).")))
        if not values["line"] and not values["reference"]:
            row_problems.append(
                RowProblem(number, "line", _("Give a line number or a person's reference."))
            )
        status = parse_mark(values["mark"])
        if status is None:
            row_problems.append(
                RowProblem(
                    number,
                    "mark",
                    _("“%(mark)s” is not a mark: write P, A or E (present, absent, excused).")
                    % {"mark": values["mark"][:20]},
                )
            )
        problems += row_problems
        rows.append(
            FileRow(
                number=number,
                sheet=values["sheet"],
                line=line,
                reference=values["reference"],
                status=status or "",
                reason=values["reason"][:300],
            )
        )
    return Upload(rows, problems)


# --- What is printed about a session ---------------------------------------------------


def session_place(session: Session) -> str:
    if session.place_kind == PlaceKind.ONLINE:
        return _("Online")
    parts = [session.facility.name if session.facility_id else "", session.venue]
    return ", ".join(part for part in parts if part) or session.get_place_kind_display()


def session_when(session: Session) -> str:
    start, end = timezone.localtime(session.start), timezone.localtime(session.end)
    day = date_format(start, "DATE_FORMAT")
    if start.date() == end.date():
        return (
            f"{day}, {time_format(start, 'TIME_FORMAT')}{EN_DASH}{time_format(end, 'TIME_FORMAT')}"
        )
    return f"{day} {EN_DASH} {date_format(end, 'DATE_FORMAT')}"


def sheet_lines(sheet: RegisterSheet) -> list[dict]:
    """The printed lines in order: named lines, then the blank ones for walk-ins."""
    lines = [
        {"number": line.number, "person": line.person}
        for line in sheet.lines.select_related("person").order_by("number")
    ]
    first_blank = len(lines) + 1
    lines += [
        {"number": n, "person": None} for n in range(first_blank, first_blank + sheet.blank_lines)
    ]
    return lines


def sheet_context(sheet: RegisterSheet) -> dict:
    session = sheet.session
    return {
        "sheet": sheet,
        "session": session,
        "lines": sheet_lines(sheet),
        "place": session_place(session),
        "when": session_when(session),
    }


def render_register_pdf(sheet: RegisterSheet) -> bytes:
    """The register as an A4 PDF in a local font, its code on every page."""
    from weasyprint import HTML

    html = render_to_string(
        "programmes/attendance/register_pdf.html",
        sheet_context(sheet) | {"LANGUAGE_CODE": translation.get_language()},
    )
    return HTML(string=html, url_fetcher=fetch_nothing).write_pdf()


def register_template_xlsx(sheet: RegisterSheet) -> bytes:
    """A workbook with the sheet's lines, to type the marks into and upload."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    context = sheet_context(sheet)
    labels = column_labels()
    book = Workbook()
    page = book.active
    page.title = sheet.code
    page.append(
        [
            safe_cell(
                _(
                    "Register %(code)s: %(topic)s, %(when)s, %(place)s. "  # title row
                    "Marks: P present, A absent, E excused."
                )
                % {
                    "code": sheet.code,
                    "topic": context["session"].topic,
                    "when": context["when"],
                    "place": context["place"],
                }
            )
        ]
    )
    columns = [
        "sheet",
        "line",
        "reference",
        *(["name"] if sheet.show_names else []),
        "mark",
        "reason",
    ]
    page.append([labels[column] for column in columns])
    for cell in page[2]:
        cell.font = Font(bold=True)
    for line in context["lines"]:
        person = line["person"]
        values = {
            "sheet": sheet.code,
            "line": line["number"],
            "reference": person.reference if person else "",
            "name": safe_cell(person.full_name) if person else "",
            "mark": "",
            "reason": "",
        }
        page.append([values[column] for column in columns])
    mark_column = "ABCDEF"[columns.index("mark")]
    choices = DataValidation(
        type="list", formula1='"P,A,E"', allow_blank=True, showErrorMessage=False
    )
    page.add_data_validation(choices)
    choices.add(f"{mark_column}3:{mark_column}{len(context['lines']) + 2}")
    widths = {"sheet": 12, "line": 6, "reference": 12, "name": 32, "mark": 14, "reason": 30}
    for letter, column in zip("ABCDEF", columns, strict=False):
        page.column_dimensions[letter].width = widths[column]
    page.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
