"""KPI indicators on the project page: configured without code, counted live."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.programmes.models import Indicator
from kinbridge.programmes.tests import projects_factories
from kinbridge.programmes.tests.projects_factories import (
    attend,
    make_facility,
    make_person,
    make_session,
    women_indicator,
)

pytestmark = pytest.mark.django_db

# Fixtures shared by the project tests.
colonies = projects_factories.colonies
project_b = projects_factories.project_b

PDF = b"%PDF-1.4 a brochure"


def page_text(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


@pytest.fixture
def seed_000(project_b, colonies, team_b):
    """Two-day trainings, women and small children in two colonies, and a brochure."""
    march, april = dt.date(2026, 3, 2), dt.date(2026, 4, 6)
    first = make_session(project_b, colonies[0], day=march, days=2)
    second = make_session(project_b, colonies[1], day=april)
    make_session(project_b, colonies[1], day=april, days=2, status="planned")
    anna = make_person(team_b, "Anna")
    bella = make_person(team_b, "Bella")
    baby = make_person(team_b, "Baby", gender="unknown", birth_date=dt.date(2025, 6, 1))
    man = make_person(team_b, "Ivan", gender="male")
    attend(first, anna, bella, baby)
    attend(second, anna, man)
    attend(second, bella, status="absent")
    indicators = [
        Indicator.objects.create(
            project=project_b,
            name="Two-day trainings",
            kind="sessions",
            parameters={"session_kinds": ["training"], "min_days": 2},
            target=9,
            position=0,
        ),
        women_indicator(project_b, position=1),
        Indicator.objects.create(
            project=project_b,
            name="Children up to 3",
            kind="participants",
            parameters={"characteristic": "children", "age_years": 3},
            target=60,
            position=2,
        ),
        Indicator.objects.create(
            project=project_b,
            name="Brochure",
            kind="manual",
            target=1,
            manual_actual=1,
            evidence_note="1,000 copies",
            position=3,
        ),
    ]
    return project_b, indicators


def test_the_kpi_table_counts_live_and_people_once(client, personas, seed_000):
    project, _indicators = seed_000
    client.force_login(personas["analyst"])
    response = client.get(reverse("programmes:project_detail", args=[project.pk]))
    rows = {row.indicator.name: row for row in response.context["kpis"]}
    # The planned two-day training does not count; Anna came twice and counts once.
    assert {name: row.actual for name, row in rows.items()} == {
        "Two-day trainings": 1,
        "Women who attended": 2,
        "Children up to 3": 1,
        "Brochure": 1,
    }
    women = rows["Women who attended"]
    assert women.percent == 2  # 2 of 90
    page = page_text(response)
    assert "People are counted once per indicator" in page
    assert "Distinct participants with a characteristic: women" in page
    assert "Number of sessions: Training; at least 2 days" in page
    assert 'aria-label="Brochure: 100% of the target"' in page
    assert "target reached" in page
    assert "Breakdown of “Women who attended” by facility and by month" in page
    # Analysts read the table but change nothing.
    assert reverse("programmes:indicator_create", args=[project.pk]) not in page


def test_the_breakdown_opens_by_facility_and_month(client, personas, seed_000):
    project, indicators = seed_000
    women = indicators[1]
    client.force_login(personas["analyst"])
    url = reverse("programmes:indicator_breakdown", args=[women.pk])
    assert url in page_text(client.get(reverse("programmes:project_detail", args=[project.pk])))
    # Opened in the table (htmx): the two tables only.
    fragment = client.get(url, headers={"HX-Request": "true"})
    row = fragment.context["row"]
    # A person counts once in each facility and month they came.
    assert [(name, value) for _pk, name, value in row.by_facility] == [("IK-15", 2), ("IK-28", 1)]
    assert row.by_month == [(dt.date(2026, 3, 1), 2), (dt.date(2026, 4, 1), 1)]
    assert "<html" not in fragment.content.decode()
    assert "March 2026" in fragment.content.decode()
    # Without JavaScript, the link opens the same as a page.
    page = page_text(client.get(url))
    assert "<html" in page and "IK-28" in page and "counts once in each" in page


def test_the_breakdown_keeps_constant_queries(
    client, personas, seed_000, regions, team_b, assert_constant_queries
):
    project, indicators = seed_000
    client.force_login(personas["programme_manager"])
    url = reverse("programmes:indicator_breakdown", args=[indicators[2].pk])

    def grow():
        for number in range(3):
            facility = make_facility(regions["b"], f"IK-{60 + number}")
            session = make_session(project, facility, day=dt.date(2026, 6 + number, 1))
            child = make_person(team_b, f"Child {number}", birth_date=dt.date(2025, 1, 1))
            attend(session, child, make_person(team_b, f"Mother {number}"))

    assert_constant_queries(lambda: client.get(url, headers={"HX-Request": "true"}), grow)
    assert client.get(url).context["row"].actual == 4


def test_the_project_page_keeps_constant_queries_as_sessions_and_attendance_grow(
    client, personas, seed_000, regions, team_b, assert_constant_queries
):
    project, _indicators = seed_000
    client.force_login(personas["programme_manager"])
    url = reverse("programmes:project_detail", args=[project.pk])

    def grow():
        for number in range(3):
            facility = make_facility(regions["b"], f"IK-{40 + number}")
            day = dt.date(2026, 5 + number, 10)
            session = make_session(project, facility, day=day, days=2)
            other = make_session(project, None, day=day, kind="online_seminar")
            people = [make_person(team_b, f"Woman {number}-{i}") for i in range(3)]
            child = make_person(team_b, f"Child {number}", birth_date=dt.date(2025, 1, 1))
            attend(session, *people, child)
            attend(other, people[0])
            project.budget_lines.create(name=f"Line {number}", planned=1)

    assert_constant_queries(lambda: client.get(url), grow)
    rows = {row.indicator.name: row.actual for row in client.get(url).context["kpis"]}
    assert rows["Two-day trainings"] == 4
    assert rows["Women who attended"] == 2 + 9  # the girls born in 2025 are not women


def test_a_kind_with_settings_is_configured_without_code(client, personas, project_b):
    client.force_login(personas["programme_manager"])
    url = reverse("programmes:indicator_create", args=[project_b.pk])
    chooser = page_text(client.get(url))
    assert "Distinct participants with a characteristic" in chooser
    assert "For outputs that are not sessions or people" in chooser

    form = page_text(client.get(url, {"kind": "participants"}))
    # One field per setting: a select, a number, checkboxes.
    assert '<select name="setting_characteristic"' in form
    assert 'type="number" name="setting_age_years"' in form
    assert 'type="checkbox" name="setting_session_kinds" value="family_day"' in form
    assert 'name="evidence"' not in form  # counted kinds take no evidence

    response = client.post(
        url,
        {
            "kind": "participants",
            "name": "Children up to 3",
            "target": "60",
            "setting_characteristic": "children",
            "setting_age_years": "3",
            "setting_session_kinds": ["training", "family_day"],
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert response["Location"].endswith(f"#indicator-{indicator.pk}")
    assert (indicator.kind, indicator.parameters, indicator.target) == (
        "participants",
        {"characteristic": "children", "age_years": 3, "session_kinds": ["family_day", "training"]},
        Decimal("60"),
    )
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="programmes.indicator")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"setting_characteristic": ""}, "setting_characteristic", "This setting is required"),
        ({"setting_age_years": "0"}, "setting_age_years", "Enter a whole number from 1 to 100."),
        ({"setting_min_days": "many"}, "setting_min_days", "Enter a whole number."),
        ({"target": "-3"}, "target", "The target cannot be negative."),
        ({"target": "ninety"}, "target", "The target must be a number, such as 90."),
        ({"target": ""}, "target", "Enter the target, such as 90."),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_bad_settings_and_targets_are_refused_at_their_field(
    client, personas, project_b, overrides, field, message
):
    client.force_login(personas["programme_manager"])
    data = {
        "kind": "participants",
        "name": "Women",
        "target": "90",
        "setting_characteristic": "women",
    } | overrides
    response = client.post(reverse("programmes:indicator_create", args=[project_b.pk]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in page_text(response)
    assert not Indicator.objects.exists()


def test_a_manual_indicator_takes_the_achieved_value_and_evidence(client, personas, project_b):
    client.force_login(personas["programme_manager"])
    response = client.post(
        reverse("programmes:indicator_create", args=[project_b.pk]),
        {
            "kind": "manual",
            "name": "Brochure",
            "target": "1",
            "manual_actual": "1",
            "evidence_note": "1,000 copies printed in May",
            "evidence": SimpleUploadedFile("Brochure for Anna Ivanova.pdf", PDF),
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert indicator.manual_actual == 1
    # Stored under a random name: the uploaded name may identify someone.
    assert "Anna" not in indicator.evidence.name
    assert indicator.evidence.name.startswith("private/indicators/")

    client.force_login(personas["analyst"])
    page = page_text(client.get(reverse("programmes:project_detail", args=[project_b.pk])))
    evidence_url = reverse("programmes:indicator_evidence", args=[indicator.pk])
    assert evidence_url in page and "1,000 copies printed in May" in page
    download = client.get(evidence_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(
        action=Action.READ, object_type="programmes.indicator", actor=personas["analyst"]
    ).exists()

    client.force_login(personas["caseworker"])  # team A: the project is not theirs
    assert client.get(evidence_url).status_code == 404


def test_evidence_must_be_a_document_or_image(client, personas, project_b):
    client.force_login(personas["programme_manager"])
    response = client.post(
        reverse("programmes:indicator_create", args=[project_b.pk]),
        {
            "kind": "manual",
            "name": "Brochure",
            "target": "1",
            "manual_actual": "-1",
            "evidence": SimpleUploadedFile("brochure.pdf", b"MZ not a pdf"),
        },
    )
    errors = response.context["form"].errors
    assert "The achieved value cannot be negative." in errors["manual_actual"]
    response = client.post(
        reverse("programmes:indicator_create", args=[project_b.pk]),
        {
            "kind": "manual",
            "name": "Brochure",
            "target": "1",
            "evidence": SimpleUploadedFile("brochure.pdf", b"MZ not a pdf"),
        },
    )
    assert "Upload a PDF, JPEG or PNG file" in response.context["form"].errors["evidence"][0]
    assert not Indicator.objects.exists()


def test_changing_the_kind_starts_its_settings_afresh(client, personas, project_b):
    indicator = women_indicator(project_b)
    client.force_login(personas["programme_manager"])
    url = reverse("programmes:indicator_edit", args=[indicator.pk])
    page = page_text(client.get(url))
    assert '<option value="women" selected>' in page
    page = page_text(client.get(url, {"kind": "sessions"}))
    assert "You are changing how this indicator is counted" in page
    response = client.post(
        url,
        {
            "kind": "sessions",
            "name": "Family days",
            "target": "4",
            "setting_session_kinds": "family_day",
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.kind, indicator.parameters) == ("sessions", {"session_kinds": ["family_day"]})


def test_indicators_are_reordered_and_deleted(client, personas, project_b):
    first, second, third = (women_indicator(project_b, name=name) for name in "ABC")
    from kinbridge.programmes.actions_indicators import move_indicator

    move_indicator(None, first, 1)  # normalises positions: B A C
    client.force_login(personas["programme_manager"])
    response = client.post(
        reverse("programmes:indicator_move", args=[third.pk]), {"direction": "up"}
    )
    assert response.status_code == 302
    assert list(project_b.indicators.values_list("name", flat=True)) == ["B", "C", "A"]
    page = page_text(client.get(reverse("programmes:project_detail", args=[project_b.pk])))
    assert page.index(">B</th>") < page.index(">C</th>") < page.index(">A</th>")

    confirm = client.get(reverse("programmes:indicator_delete", args=[second.pk]))
    assert "Delete the indicator “B”?" in page_text(confirm)
    client.post(reverse("programmes:indicator_delete", args=[second.pk]))
    assert list(project_b.indicators.values_list("name", flat=True)) == ["C", "A"]
    assert AuditEvent.objects.filter(action=Action.DELETE, object_type="programmes.indicator")


def test_readers_cannot_change_indicators(client, personas, project_b):
    indicator = women_indicator(project_b)
    client.force_login(personas["caseworker_b"])
    response = client.post(reverse("programmes:indicator_delete", args=[indicator.pk]))
    assert response.status_code == 403
    response = client.post(
        reverse("programmes:indicator_create", args=[project_b.pk]),
        {"kind": "manual", "name": "X", "target": "1"},
    )
    assert response.status_code == 403
    assert Indicator.objects.count() == 1
