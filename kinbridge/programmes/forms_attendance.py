"""Forms of the attendance pages: printing a register, finding one by code, uploading marks.

The roster and the register grid have one row per person or line, so their
posts are read by :func:`read_roster_post` and :func:`read_grid_post`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kinbridge.programmes.attendance_actions import MAX_BLANK_LINES, MAX_HEADCOUNT
from kinbridge.programmes.models import AttendanceStatus

SHEET_CODE = re.compile(r"^R-[0-9A-Z]{6}$")


class PrintRegisterForm(forms.Form):
    show_names = forms.BooleanField(
        label=_("Print names"),
        required=False,
        help_text=_(
            "Leave unticked for a prison or colony: the sheet then shows reference codes only."
        ),
    )
    blank_lines = forms.IntegerField(
        label=_("Blank lines for people who come without being expected"),
        min_value=0,
        max_value=MAX_BLANK_LINES,
        initial=5,
        help_text=_("They write their reference code (P-…) on a blank line."),
    )


class SheetCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code printed on the register"),
        max_length=12,
        help_text=_("For example R-7KQ4MX, at the top of every page."),
        widget=forms.TextInput(
            attrs={
                "class": "code",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).upper()
        if not code.startswith("R-"):
            code = f"R-{code}"
        if not SHEET_CODE.match(code):
            raise forms.ValidationError(_("A register code is R- and six letters or digits."))
        return code


class UploadMarksForm(forms.Form):
    file = forms.FileField(
        label=_("File of marks (CSV or Excel .xlsx)"),
        help_text=_(
            "Columns: sheet code, line number (or the person's reference) and mark "
            "(P, A or E). Download the template of a register to start from."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.") % {"size": settings.UPLOAD_MAX_MB}
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


def _int(value) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


@dataclass
class PostedRow:
    person_id: int
    status: str
    reason: str
    with_adult_id: int | None


def read_row(data, person_id: int) -> PostedRow:
    status = data.get(f"status-{person_id}", "")
    return PostedRow(
        person_id=person_id,
        status=status if status in AttendanceStatus.values else "",
        reason=data.get(f"reason-{person_id}", "").strip()[:300],
        with_adult_id=_int(data.get(f"with_adult-{person_id}")),
    )


def read_roster_post(data) -> tuple[list[PostedRow], int | None, dict]:
    """The roster's rows (those with a mark chosen are saved) and the headcount."""
    rows = []
    for value in data.getlist("person"):
        person_id = _int(value)
        if person_id is not None:
            rows.append(read_row(data, person_id))
    errors = {}
    headcount = None
    raw = data.get("unnamed_headcount", "").strip()
    if raw:
        headcount = _int(raw)
        if headcount is None or headcount > MAX_HEADCOUNT:
            errors["unnamed_headcount"] = _("Enter a whole number from 0 to %(max)d.") % {
                "max": MAX_HEADCOUNT
            }
            headcount = None
    return rows, headcount, errors


@dataclass
class PostedLine:
    number: int
    status: str
    reference: str
    reason: str


def read_grid_post(data, numbers) -> list[PostedLine]:
    """Marks of a register's lines as typed into the on-screen grid."""
    lines = []
    for number in numbers:
        status = data.get(f"mark-{number}", "")
        lines.append(
            PostedLine(
                number=number,
                status=status if status in AttendanceStatus.values else "",
                reference="".join(data.get(f"reference-{number}", "").split()).upper()[:12],
                reason=data.get(f"reason-{number}", "").strip()[:300],
            )
        )
    return lines
