"""The funder report as files: PDF (WeasyPrint, DejaVu fonts) and XLSX (openpyxl).

Both render the structure :func:`kinbridge.programmes.reports.build` returns;
call them inside ``translation.override(language)`` with a report built there.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kinbridge.programmes.suppression import Hidden


def fetch_nothing(url, *args, **kwargs):
    """WeasyPrint's URL fetcher: the report loads nothing, local or remote."""
    raise ValueError(f"the funder report PDF loads no resources ({url[:40]})")


def render_pdf(data: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "programmes/reports/report_print.html",
        {"report": data, "LANGUAGE_CODE": get_language()},
    )
    return HTML(string=html, url_fetcher=fetch_nothing).write_pdf()


def filename(data: dict, extension: str) -> str:
    code = data["header"]["code"] or f"project-{data['header']['project_id']}"
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in code)
    start, end = data["period"]["start"], data["period"]["end"]
    return f"report-{safe}-{start:%Y%m%d}-{end:%Y%m%d}-{data['variant']}.{extension}"


# --- XLSX -----------------------------------------------------------------------------

MONEY_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"


def _sheet_title(text: str) -> str:
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    return text[:31]


class _Sheet:
    """Rows written top to bottom; column widths follow the longest text."""

    def __init__(self, workbook, title: str):
        from openpyxl.styles import Alignment, Font

        self.sheet = workbook.create_sheet(_sheet_title(title))
        self.bold = Font(bold=True)
        self.right = Alignment(horizontal="right")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.widths: dict[int, int] = {}
        self.row = 1

    def write(self, values, *, bold=False, formats_=None):
        formats_ = formats_ or {}
        for column, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=self.row, column=column)
            number_format = formats_.get(column - 1)
            if isinstance(value, Hidden):
                cell.value = str(value)
                cell.alignment = self.right
            elif isinstance(value, Decimal):
                cell.value = (
                    int(value)
                    if value == value.to_integral_value() and not number_format
                    else value
                )
                cell.number_format = number_format or COUNT_FORMAT
            elif isinstance(value, int):
                cell.value = value
                cell.number_format = number_format or COUNT_FORMAT
            elif isinstance(value, dt.date):
                cell.value = value
                cell.number_format = DATE_FORMAT
            else:
                cell.value = "" if value is None else str(value)
            if bold:
                cell.font = self.bold
            shown = len(str(cell.value)) if not isinstance(value, (int, Decimal)) else 14
            self.widths[column] = max(self.widths.get(column, 8), min(shown + 2, 60))
        self.row += 1

    def blank(self):
        self.row += 1

    def note(self, text: str, width: int = 100):
        cell = self.sheet.cell(row=self.row, column=1, value=text)
        cell.alignment = self.wrap
        self.widths[1] = max(self.widths.get(1, 8), width)
        self.sheet.row_dimensions[self.row].height = 15 * (1 + len(text) // width)
        self.row += 1

    def finish(self):
        from openpyxl.utils import get_column_letter

        for column, width in self.widths.items():
            self.sheet.column_dimensions[get_column_letter(column)].width = width


def _ratio(value):
    return None if value is None else Decimal(value) / 100


def _month(day: dt.date) -> str:
    return formats.date_format(day, "YEAR_MONTH_FORMAT")


def _grid(sheet: _Sheet, table: dict):
    sheet.write([_("Month"), *table["columns"], _("Total")], bold=True)
    for row in table["rows"]:
        sheet.write([_month(row["month"]), *row["cells"], row["total"]])
    sheet.write([_("Total"), *table["column_totals"], table["total"]], bold=True)


def render_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    header, period, budget = data["header"], data["period"], data["budget"]
    currency = header["currency"]

    summary = _Sheet(workbook, _("Project"))
    summary.write([_("Funder report"), header["title"]], bold=True)
    rows = [
        (_("Organisation"), header["organisation"]),
        (_("Project"), header["title"]),
        (_("Code"), header["code"]),
        (_("Programme"), header["programme"]),
        (_("Project starts"), header["start"]),
        (_("Project ends"), header["end"]),
        (_("Period in months"), header["months"]),
        (_("Facilities"), ", ".join(header["facilities"])),
        (_("Regions"), ", ".join(header["regions"])),
        (_("Report from"), period["start"]),
        (_("Report to"), period["end"]),
        (_("Months reported"), period["months"]),
        (
            _("Variant"),
            _("External: small numbers hidden")
            if data["variant"] == "external"
            else _("Internal: exact figures"),
        ),
    ]
    for label, value in rows:
        summary.write([label, value])
    summary.write(
        [_("Total budget") + f" ({currency})", header["total_budget"]], formats_={1: MONEY_FORMAT}
    )
    for funder in header["funders"]:
        summary.write(
            [
                _("Contribution: %(funder)s") % {"funder": funder["name"]} + f" ({currency})",
                funder["amount"],
            ],
            formats_={1: MONEY_FORMAT},
        )
    summary.finish()

    kpis = _Sheet(workbook, _("KPIs"))
    kpis.write(
        [_("Indicator"), _("Counted as"), _("Planned"), _("Actual"), _("Achieved")], bold=True
    )
    for kpi in data["kpis"]:
        kpis.write(
            [kpi["name"], kpi["counted_as"], kpi["target"], kpi["actual"], _ratio(kpi["percent"])],
            formats_={4: PERCENT_FORMAT},
        )
    kpis.finish()

    people = _Sheet(workbook, _("Beneficiaries"))
    people.write([_("Beneficiaries"), _("Number"), _("Note")], bold=True)
    for row in data["beneficiaries"]:
        people.write([row["label"], row["value"], row["note"]])
    people.finish()

    sessions = _Sheet(workbook, _("Sessions held"))
    _grid(sessions, data["activities"]["sessions"])
    sessions.finish()
    participations = _Sheet(workbook, _("Participations"))
    _grid(participations, data["activities"]["participations"])
    participations.finish()

    money = _Sheet(workbook, _("Budget"))
    money.write(
        [_("Budget line"), _("Planned"), _("Spent"), _("Remaining"), _("Spent (%)")], bold=True
    )
    money_formats = {1: MONEY_FORMAT, 2: MONEY_FORMAT, 3: MONEY_FORMAT, 4: PERCENT_FORMAT}
    for line in budget["lines"]:
        money.write(
            [
                line["name"],
                line["planned"],
                line["spent"],
                line["remaining"],
                _ratio(line["percent_spent"]),
            ],
            formats_=money_formats,
        )
    money.write(
        [
            _("Total"),
            budget["planned"],
            budget["spent"],
            budget["remaining"],
            _ratio(budget["percent_spent"]),
        ],
        bold=True,
        formats_=money_formats,
    )
    money.blank()
    money.write(
        [_("Funding") + f" ({currency})", _("Contribution"), _("Share of the total budget")],
        bold=True,
    )
    share_formats = {1: MONEY_FORMAT, 2: PERCENT_FORMAT}
    for funder in budget["funders"]:
        money.write(
            [funder["name"], funder["amount"], _ratio(funder["share"])], formats_=share_formats
        )
    if budget["other_sources"]:
        other = budget["other_sources"]
        money.write(
            [_("Other sources"), other["amount"], _ratio(other["share"])], formats_=share_formats
        )
    money.write(
        [_("Total budget"), budget["total_budget"], Decimal(1)], bold=True, formats_=share_formats
    )
    money.finish()

    notes = _Sheet(workbook, _("Notes"))
    notes.write([_("Notes")], bold=True)
    for paragraph in (data["notes"] or "—").splitlines() or ["—"]:
        notes.note(paragraph)
    notes.blank()
    notes.write([_("Definitions")], bold=True)
    for footnote in data["footnotes"]:
        notes.note(footnote)
    notes.finish()

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
