"""The funder report as a page, a PDF and a spreadsheet; the dashboard; the API."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.programmes.models import Attendance, Session
from kinbridge.programmes.tests.reports_fixtures import *  # noqa: F403 (fixtures)
from kinbridge.programmes.tests.reports_fixtures import person, present, session

pytestmark = pytest.mark.django_db


def url(name, project, **query):
    address = reverse(f"programmes:{name}", args=[project.pk])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def signed_in(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        [shutil.which("pdftotext"), "-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def test_the_page_shows_the_internal_report_to_the_team(client, personas, report_project):
    project = report_project["project"]
    signed_in(client, personas["programme_manager"])
    page = client.get(url("project_report", project))
    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["report"]["variant"] == "internal"
    for text in ("Mom Behind Bars 2026", "Presidential Grants Foundation", "2,827,613.00 RUB"):
        assert text in html
    assert "Two-day trainings" in html and "Children&#x27;s home staff" in html
    assert "Internal variant" in html
    # The files are offered for the same period and variant.
    assert "report/pdf/?start=2026-01-01&amp;end=2026-12-31&amp;variant=internal" in html
    # The external variant on request hides the small numbers.
    external = client.get(url("project_report", project, variant="external"))
    assert external.context["report"]["variant"] == "external"
    assert "&lt;5" in external.content.decode()


def test_analysts_get_the_external_variant_only(client, personas, report_project):
    project = report_project["project"]
    signed_in(client, personas["analyst"])
    page = client.get(url("project_report", project))
    assert page.context["report"]["variant"] == "external"
    assert "&lt;5" in page.content.decode()
    assert 'value="internal"' not in page.content.decode()
    assert client.get(url("project_report", project, variant="internal")).status_code == 403
    assert client.get(url("project_report_pdf", project, variant="internal")).status_code == 403
    api = client.get(reverse("api:project-report", args=[project.pk]), {"variant": "internal"})
    assert api.status_code == 403


def test_a_bad_period_is_refused_at_the_field(client, personas, report_project):
    project = report_project["project"]
    signed_in(client, personas["programme_manager"])
    page = client.get(url("project_report", project, start="2026-05-01", end="2026-04-01"))
    assert page.status_code == 400
    assert "The end of the period must not be before its start." in page.content.decode()
    assert page.context["report"] is None
    assert client.get(url("project_report_xlsx", project, start="May")).status_code == 400
    api = client.get(reverse("api:project-report", args=[project.pk]), {"end": "2025-01-01"})
    assert api.status_code == 400
    assert "end" in api.json()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "February 2026"), ("ru", "Февраль 2026"), ("lt", "2026")],
)
def test_the_pdf_has_every_section_in_the_users_language(
    client, personas, report_project, language, expected, tmp_path
):
    project = report_project["project"]
    signed_in(client, personas["programme_manager"], language)
    response = client.get(url("project_report_pdf", project))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="report-23-1-004512-20260101-20261231-internal.pdf"'
    )
    text = pdf_text(response.content)
    for kpi in ("Two-day trainings", "Women", "Children up to 3", "Brochure"):
        assert kpi in text
    assert "Presidential Grants Foundation" in text and "Brochure printed in May." in text
    assert expected in text
    # Page 1 as a picture (pdftoppm), to look at: see docs/programmes.md.
    (tmp_path / "report.pdf").write_bytes(response.content)
    subprocess.run(
        [
            shutil.which("pdftoppm"),
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            tmp_path / "report.pdf",
            tmp_path / "page",
        ],
        check=True,
    )
    assert list(tmp_path.glob("page*.png"))
    event = AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(project.pk)).latest("id")
    assert event.extra["format"] == "pdf" and event.extra["variant"] == "internal"


def test_the_external_pdf_hides_small_numbers(client, personas, report_project):
    signed_in(client, personas["analyst"])
    text = pdf_text(client.get(url("project_report_pdf", report_project["project"])).content)
    assert "<5" in text and "External" in text


def test_the_spreadsheet_has_a_sheet_per_section_with_numbers(client, personas, report_project):
    from openpyxl import load_workbook

    project = report_project["project"]
    signed_in(client, personas["programme_manager"])
    response = client.get(url("project_report_xlsx", project))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Project",
        "KPIs",
        "Beneficiaries",
        "Sessions held",
        "Participations",
        "Budget",
        "Notes",
    ]
    kpis = book["KPIs"]
    assert kpis["A1"].value == "Indicator" and kpis["A1"].font.bold
    rows = {row[0]: row[1:] for row in kpis.iter_rows(min_row=2, values_only=True)}
    assert rows["Women"][1:3] == (90, 4)
    assert rows["Brochure"][2] == 1 and rows["Brochure"][3] == Decimal(1)
    assert kpis.column_dimensions["A"].width >= len("Children's home staff")
    people = {row[0]: row[1] for row in book["Beneficiaries"].iter_rows(values_only=True)}
    assert people["Families"] == 3 and people["People who took part"] == 27
    grid = list(book["Participations"].iter_rows(values_only=True))
    assert grid[0] == ("Month", "IK-15", "IK-5", "Community venue", "Total")
    assert grid[3][1:] == (3, 0, 20, 23) and grid[-1][-1] == 28
    budget = {row[0]: row[1:] for row in book["Budget"].iter_rows(values_only=True)}
    assert budget["Total"][:3] == (Decimal(1500000), Decimal(900000), Decimal(600000))
    summary = {row[0]: row[1] for row in book["Project"].iter_rows(values_only=True)}
    assert summary["Report from"] == dt.datetime(2026, 1, 1)


def test_the_external_spreadsheet_marks_hidden_cells(client, personas, report_project):
    from openpyxl import load_workbook

    signed_in(client, personas["analyst"])
    content = client.get(url("project_report_xlsx", report_project["project"])).content
    grid = list(load_workbook(io.BytesIO(content))["Participations"].iter_rows(values_only=True))
    assert grid[3][1:] == ("<5", 0, "*", 23)


def test_the_dashboard(client, personas, report_project, frozen):
    project = report_project["project"]
    signed_in(client, personas["programme_manager"])
    page = client.get(url("project_dashboard", project))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('role="img"') == 2
    assert '<title id="chart-1-title">Sessions held per month</title>' in html
    assert "the figures as a table" in html
    assert '<progress class="kpi__bar" max="100" value="11"' in html  # 1 of 9 trainings
    # Upcoming: the planned July session only (the clock stands on 15 June 2026).
    assert [s.topic for s in page.context["upcoming"]] == ["Newborn care"]
    # Analysts see the same dashboard with small numbers hidden.
    signed_in(client, personas["analyst"])
    analyst = client.get(url("project_dashboard", project)).content.decode()
    assert "&lt;5" in analyst and "Anna" not in analyst


def test_the_api_gives_the_report_as_json(client, personas, report_project):
    project = report_project["project"]
    signed_in(client, personas["programme_manager"])
    data = client.get(reverse("api:project-report", args=[project.pk])).json()
    assert data["variant"] == "internal"
    assert data["header"]["total_budget"] == "2827613.00"
    assert [row["value"] for row in data["beneficiaries"]] == [27, 3, 3, 1, 1]
    external = client.get(
        reverse("api:project-report", args=[project.pk]),
        {"variant": "external", "start": "2026-03-01", "end": "2026-03-31"},
    ).json()
    assert external["period"] == {"start": "2026-03-01", "end": "2026-03-31", "months": 1}
    assert external["beneficiaries"][0]["value"] == 23
    assert external["beneficiaries"][1]["value"] == "<5"


def grow_project(project, facility, team):
    """More of every kind of row the report reads: sessions in a new month and place,
    attendance, people with roles and parents, facilitators, indicators, money."""
    from kinbridge.facilities.models import Facility
    from kinbridge.people import actions as people_actions
    from kinbridge.programmes.models import ExternalFacilitator, Funder, Indicator

    n = Session.objects.count()
    new_place = Facility.objects.create(
        name=f"Colony {n}", region=facility.region, kind="womens_colony"
    )
    mother = person(team, f"Mother {n}", born=dt.date(1990, 1, 1), roles=["prisoner"])
    child = person(team, f"Child {n}", born=dt.date(2025, 1, 1))
    people_actions.add_relationship(None, child, mother, "mother")
    staff = person(team, f"Staff {n}", roles=["prison_staff"])
    for place, day in ((facility, dt.date(2026, 9, 1)), (new_place, dt.date(2026, 10, 1))):
        held = session(project, place, day=day, days=2)
        present(held, mother, staff)
        present(held, child, with_adult=mother)
        ExternalFacilitator.objects.create(session=held, person=staff)
    session(project, day=dt.date(2026, 11, 5), kind="community_meeting", unnamed_headcount=7)
    for kind, parameters in (
        ("sessions", {}),
        ("participants", {"characteristic": "prison_staff"}),
        ("event_participants", {}),
        ("manual", {}),
    ):
        Indicator.objects.create(
            project=project, name=f"{kind} {n}", kind=kind, parameters=parameters, target=5
        )
    project.budget_lines.create(name=f"Line {n}", planned=Decimal(10), spent=Decimal(1))
    project.fundings.create(funder=Funder.objects.create(name=f"Funder {n}"), amount=1)
    project.facilities.add(new_place)


@pytest.mark.parametrize(
    "name",
    ["project_report", "project_report_pdf", "project_report_xlsx", "project_dashboard", "api"],
)
def test_query_counts_stay_constant(
    client, personas, report_project, assert_constant_queries, name
):
    project = report_project["project"]
    signed_in(client, personas["programme_manager"])
    if name == "api":
        address = reverse("api:project-report", args=[project.pk])
    else:
        address = url(name, project)

    def fetch():
        assert client.get(address).status_code == 200

    assert_constant_queries(
        fetch, lambda: grow_project(project, report_project["ik5"], project.team)
    )
    assert Attendance.objects.count() == 12 + 6  # the grown rows were there
