"""Paper registers: printing (page, PDF, spreadsheet), entering them back on screen by
code, and uploading a file of marks that is saved whole or not at all."""

from __future__ import annotations

import csv
import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.programmes import attendance_actions as actions
from kinbridge.programmes.attendance_files import parse_mark, read_upload
from kinbridge.programmes.models import Attendance, RegisterSheet
from kinbridge.programmes.tests.attendance_support import add_person, build_world, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas, team_b, regions):
    return build_world(personas, team_b, regions)


@pytest.fixture
def facilitator(client, personas):
    client.force_login(personas["facilitator"])
    return client


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def upload(client, name, content):
    return client.post(
        reverse("programmes:register_upload"), {"file": SimpleUploadedFile(name, content)}
    )


def csv_bytes(rows, delimiter=","):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode()


def test_printing_a_register_numbers_the_expected_people(facilitator, world):
    actions.record_attendance(None, world.session, world.ivan, status="absent")
    url = reverse("programmes:register_print", args=[world.session.pk])
    form = facilitator.get(url)
    # Inside a colony the register shows reference codes by default.
    assert form.context["form"]["show_names"].value() is False
    response = facilitator.post(url, {"blank_lines": "3"})
    sheet = RegisterSheet.objects.get()
    assert response["Location"] == reverse("programmes:register_sheet", args=[sheet.pk])
    assert sheet.code.startswith("R-") and len(sheet.code) == 8
    assert not sheet.show_names and sheet.blank_lines == 3
    assert sheet.printed_by.username == "facilitator"
    # Enrolled and already recorded, in reference order; not the withdrawn.
    expected = sorted([world.anna, world.olga, world.ivan], key=lambda person: person.reference)
    assert [line.person for line in sheet.lines.order_by("number")] == expected
    page = facilitator.get(response["Location"]).content.decode()
    assert sheet.code in page and world.anna.reference in page
    assert "Анна Смирнова" not in page.split('class="register-sheet"')[1]


def test_the_pdf_carries_the_code_the_session_and_the_lines(facilitator, world):
    sheet = actions.print_register(None, world.session, blank_lines=2)
    response = facilitator.get(reverse("programmes:register_pdf", args=[sheet.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{sheet.code}.pdf"'
    text = pdf_text(response.content)
    assert text.count(sheet.code) >= 3  # the page header, the title and the footer
    assert "Bonding with your baby" in text and world.facility.name in text
    for person in (world.anna, world.olga):
        assert person.reference in text
    assert "Смирнова" not in text  # codes only inside a facility
    assert "Enter a paper register" in text
    assert AuditEvent.objects.filter(
        action=Action.EXPORT, object_type="programmes.registersheet", object_id=str(sheet.pk)
    ).exists()


def test_a_register_with_names_prints_them(facilitator, world):
    sheet = actions.print_register(None, world.session, show_names=True)
    text = pdf_text(facilitator.get(reverse("programmes:register_pdf", args=[sheet.pk])).content)
    assert "Анна Смирнова" in text and "Ольга Петрова" in text


def test_the_spreadsheet_template_lists_the_lines_to_fill(facilitator, world):
    sheet = actions.print_register(None, world.session, blank_lines=2)
    response = facilitator.get(reverse("programmes:register_template", args=[sheet.pk]))
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert sheet.code in rows[0][0]
    assert rows[1] == (
        "Sheet",
        "Line",
        "Reference",
        "Mark (P/A/E)",
        "Reason, if outside the audience",
    )
    assert [row[:3] for row in rows[2:]] == [
        (sheet.code, line.number, line.person.reference) for line in sheet.lines.all()
    ] + [(sheet.code, 3, None), (sheet.code, 4, None)]


def test_entering_a_register_by_its_code(facilitator, team_b, world):
    sheet = actions.print_register(None, world.session, blank_lines=2)
    lines = {line.person_id: line.number for line in sheet.lines.all()}
    walk_in = add_person(team_b, "Жанна", gender="female", roles=["pregnant"])
    found = facilitator.get(reverse("programmes:register_find"), {"code": sheet.code[2:].lower()})
    assert found["Location"] == reverse("programmes:register_entry", args=[sheet.code])
    grid = facilitator.get(found["Location"])
    assert [row["number"] for row in grid.context["rows"]] == [1, 2, 3, 4]
    response = facilitator.post(
        found["Location"],
        {
            f"mark-{lines[world.anna.pk]}": "present",
            f"mark-{lines[world.olga.pk]}": "excused",
            "mark-3": "present",
            "reference-3": walk_in.reference.lower(),
            "mark-4": "",
        },
    )
    assert response["Location"] == reverse("programmes:roster", args=[world.session.pk])
    rows = {row.person_id: (row.status, row.source) for row in Attendance.objects.all()}
    assert rows == {
        world.anna.pk: ("present", "paper"),
        world.olga.pk: ("excused", "paper"),
        walk_in.pk: ("present", "paper"),
    }
    sheet.refresh_from_db()
    assert sheet.entered_at is not None
    roster = facilitator.get(response["Location"]).content.decode()
    assert f"Register {sheet.code} entered: 3 marks saved." in roster


def test_a_wrong_line_saves_nothing_and_says_which(facilitator, team_a, world):
    sheet = actions.print_register(None, world.session, blank_lines=1)
    stranger = add_person(team_a, "Jonas", gender="male")
    response = facilitator.post(
        reverse("programmes:register_entry", args=[sheet.code]),
        {"mark-1": "present", "mark-3": "present", "reference-3": stranger.reference},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f"No one with the reference {stranger.reference}." in html
    assert "1 line has a problem; nothing was saved." in html
    assert not Attendance.objects.exists()
    sheet.refresh_from_db()
    assert sheet.entered_at is None


def test_finding_an_unknown_code(facilitator, personas, team_b, world):
    response = facilitator.get(reverse("programmes:register_find"), {"code": "R-999999"})
    assert "No register with the code R-999999." in response.content.decode()
    # A register of a session the facilitator does not run is not found either.
    other = make_session(team_b)
    sheet = actions.print_register(None, other)
    response = facilitator.get(reverse("programmes:register_find"), {"code": sheet.code})
    assert f"No register with the code {sheet.code}." in response.content.decode()


def test_uploading_the_filled_template(facilitator, world):
    sheet = actions.print_register(None, world.session, blank_lines=1)
    template = facilitator.get(reverse("programmes:register_template", args=[sheet.pk]))
    book = load_workbook(io.BytesIO(template.content))
    page = book.active
    marks = {world.anna.reference: "П", world.olga.reference: "nedalyvavo"}
    for row in page.iter_rows(min_row=3):
        row[3].value = marks.get(row[2].value)
    out = io.BytesIO()
    book.save(out)
    response = upload(facilitator, "register.xlsx", out.getvalue())
    assert response["Location"] == reverse("programmes:roster", args=[world.session.pk])
    assert dict(Attendance.objects.values_list("person_id", "status")) == {
        world.anna.pk: "present",
        world.olga.pk: "absent",
    }


def test_an_upload_with_problems_reports_each_row_and_saves_nothing(
    facilitator, personas, team_a, team_b, world
):
    sheet = actions.print_register(None, world.session)
    lines = {line.person_id: line.number for line in sheet.lines.all()}
    stranger = add_person(team_a, "Jonas", gender="male")
    other_sheet = actions.print_register(None, make_session(team_b))
    content = csv_bytes(
        [
            ["Лист", "Строка", "Код", "Отметка"],
            [sheet.code, lines[world.anna.pk], "", "P"],  # 2: fine
            ["R-QQQQQQ", 1, "", "P"],  # 3: unknown sheet
            [sheet.code, 40, "", "A"],  # 4: no such line
            [sheet.code, lines[world.olga.pk], "", "maybe"],  # 5: bad mark
            [sheet.code, "", stranger.reference, "P"],  # 6: not someone the user may see
            [sheet.code, "", world.ivan.reference, "P"],  # 7: outside the audience
            [other_sheet.code, 1, "", "P"],  # 8: not this facilitator's session
            [sheet.code, lines[world.anna.pk], "", ""],  # 9: no mark: skipped
        ],
        delimiter=";",
    )
    response = upload(facilitator, "marks.csv", content)
    assert response.status_code == 400
    problems = response.context["problems"]
    assert [(row, column) for row, column, _message in problems] == [
        (3, "Sheet"),
        (4, "Line"),
        (5, "Mark (P/A/E)"),
        (6, "Reference"),
        (7, "Reason, if outside the audience"),
        (8, "Sheet"),
    ]
    messages = [message for _row, _column, message in problems]
    assert messages[0] == "No register with the code R-QQQQQQ."
    assert "“maybe” is not a mark" in messages[2]
    assert "nothing was saved" in response.content.decode()
    assert not Attendance.objects.exists()
    sheet.refresh_from_db()
    assert sheet.entered_at is None


def test_an_upload_without_a_header_row(facilitator, world):
    response = upload(facilitator, "marks.csv", csv_bytes([["R-AAAAAA", 1, "P"]]))
    assert response.status_code == 400
    assert "No header row" in response.content.decode()
    response = upload(facilitator, "marks.xlsx", b"not a workbook")
    assert "cannot be read as an Excel workbook" in response.content.decode()


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("P", "present"),
        (" present ", "present"),
        ("п", "present"),
        ("Присутствовала", "present"),
        ("D", "present"),
        ("✓", "present"),
        ("A", "absent"),
        ("Н", "absent"),  # noqa: RUF001
        ("не был", "absent"),
        ("nedalyvavo", "absent"),
        ("E", "excused"),
        ("У", "excused"),  # noqa: RUF001
        ("pateisinta", "excused"),
        ("x", None),
        ("Pat", None),
        ("", None),
    ],
)
def test_marks_are_read_in_three_languages(written, status):
    assert parse_mark(written) == status


def test_marks_are_read_by_reference_without_a_line(world):
    sheet = actions.print_register(None, world.session)
    content = csv_bytes([["sheet", "reference", "mark"], [sheet.code, world.olga.reference, "e"]])
    read = read_upload("marks.csv", content)
    assert read.problems == []
    report = actions.import_marks(None, read.rows)
    assert report.saved == 1 and Attendance.objects.get().person == world.olga


def test_register_pdf_queries_stay_constant(facilitator, team_b, world, assert_constant_queries):
    sheet = actions.print_register(None, world.session)
    numbers = itertools.count()

    def grow():
        for _ in range(3):
            person = add_person(team_b, f"Мама{next(numbers)}", gender="female", roles=["pregnant"])
            number = sheet.lines.count() + 1
            sheet.lines.create(number=number, person=person)

    grow()
    url = reverse("programmes:register_pdf", args=[sheet.pk])
    assert_constant_queries(lambda: facilitator.get(url), grow)
    page = reverse("programmes:register_sheet", args=[sheet.pk])
    assert_constant_queries(lambda: facilitator.get(page), grow)
    entry = reverse("programmes:register_entry", args=[sheet.code])
    assert_constant_queries(lambda: facilitator.get(entry), grow)


@pytest.mark.parametrize("language", ["ru", "lt"])
def test_a_template_made_in_another_language_reads_back(world, language):
    """Headers and marks written in Russian or Lithuanian, uploaded by someone in English."""
    from django.utils import translation

    from kinbridge.programmes.attendance_files import register_template_xlsx

    sheet = actions.print_register(None, world.session)
    with translation.override(language):
        book = load_workbook(io.BytesIO(register_template_xlsx(sheet)))
    page = book.active
    marks = {"ru": ("п", "Н"), "lt": ("D", "nedalyvavo")}[language]  # noqa: RUF001
    people = {world.anna.reference: marks[0], world.olga.reference: marks[1]}
    for row in page.iter_rows(min_row=3):
        row[3].value = people[row[2].value]
    out = io.BytesIO()
    book.save(out)
    with translation.override("en"):
        read = read_upload("marks.xlsx", out.getvalue())
    assert read.problems == []
    assert actions.import_marks(None, read.rows).saved == 2
    assert dict(Attendance.objects.values_list("person_id", "status")) == {
        world.anna.pk: "present",
        world.olga.pk: "absent",
    }
