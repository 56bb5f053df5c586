"""The project pages: list, create and edit with fundings and budget lines, detail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.programmes.models import BudgetLine, Funder, Programme, Project
from kinbridge.programmes.tests import projects_factories
from kinbridge.programmes.tests.projects_factories import (
    make_project,
    make_session,
    women_indicator,
)

pytestmark = pytest.mark.django_db

# Fixtures shared by the project tests.
colonies = projects_factories.colonies
project_b = projects_factories.project_b


def form_data(**overrides) -> dict:
    """A complete project form: two funders (one new), two budget lines."""
    data = {
        "programme": "",
        "programme_name": "Mom Behind Bars",
        "title": "Mom Behind Bars 2026",
        "code": "24-1-012345",
        "status": "active",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "currency": "RUB",
        "total_budget": "2827613",
        "description": "",
        "target_beneficiaries": "Pregnant women and mothers in colonies IK-15 and IK-28",
        "report_notes": "",
        "fundings-TOTAL_FORMS": "2",
        "fundings-INITIAL_FORMS": "0",
        "fundings-0-funder": "Фонд президентских грантов",
        "fundings-0-amount": "2527613",
        "fundings-1-funder": "",
        "fundings-1-amount": "",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-0-name": "Fees",
        "lines-0-planned": "1200000",
        "lines-0-spent": "300000",
        "lines-1-name": "Travel",
        "lines-1-planned": "400000",
        "lines-1-spent": "",
        "lines-2-name": "",
        "lines-2-planned": "",
        "lines-2-spent": "",
    }
    return data | overrides


def test_a_manager_creates_a_project_with_a_new_programme_funders_and_budget(
    client, personas, team_b
):
    Funder.objects.create(name="Фонд президентских грантов")
    client.force_login(personas["programme_manager"])
    assert client.get(reverse("programmes:project_create")).status_code == 200

    response = client.post(reverse("programmes:project_create"), form_data())

    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:project_detail", args=[project.pk])
    assert (project.team, project.programme.name, project.programme.team) == (
        team_b,
        "Mom Behind Bars",
        team_b,
    )
    # The funder on file is reused, found by name, not registered twice.
    assert Funder.objects.count() == 1
    assert [(f.funder.name, f.amount) for f in project.fundings.all()] == [
        ("Фонд президентских грантов", Decimal("2527613"))
    ]
    assert [(line.name, line.planned, line.spent) for line in project.budget_lines.all()] == [
        ("Fees", Decimal("1200000"), Decimal("300000")),
        ("Travel", Decimal("400000"), Decimal("0")),
    ]
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="programmes.project")
    assert event.changes["fundings"][1] == ["Фонд президентских грантов: 2527613.00"]

    page = client.get(response["Location"]).content.decode()
    assert "2,827,613.00 RUB" in page
    assert "300,000.00 RUB" in page  # other sources: total minus the funder's contribution
    assert "1,600,000.00" in page  # planned in total


def test_a_new_funder_is_registered_by_name(client, personas, team_b):
    client.force_login(personas["programme_manager"])
    client.post(
        reverse("programmes:project_create"),
        form_data(**{"fundings-1-funder": "Fondation Lumière", "fundings-1-amount": "100"}),
    )
    assert sorted(Funder.objects.values_list("name", flat=True)) == [
        "Fondation Lumière",
        "Фонд президентских грантов",
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end": "2025-12-31"}, "end", "The project cannot end before it starts."),
        ({"total_budget": "-5"}, "total_budget", "An amount cannot be negative."),
        ({"total_budget": "lots"}, "total_budget", "Enter an amount as a number"),
        ({"fundings-0-amount": "-100"}, "fundings-0-amount", "more than zero"),
        ({"lines-0-planned": "-1"}, "lines-0-planned", "An amount cannot be negative."),
        ({"lines-1-spent": "-1"}, "lines-1-spent", "An amount cannot be negative."),
        (
            {"fundings-1-funder": "Second fund", "fundings-1-amount": "400000"},
            "fundings",
            "The funders' contributions add up to 2,927,613.00 RUB, more than the total "
            "budget of 2,827,613.00 RUB.",
        ),
        ({"programme_name": ""}, "programme", "Choose a programme or name a new one."),
        ({"lines-1-name": "fees"}, "lines", "Each budget line needs its own name."),
    ],
)
def test_bad_input_is_shown_at_its_field_and_nothing_is_saved(
    client, personas, team_b, overrides, field, message
):
    client.force_login(personas["programme_manager"])
    response = client.post(reverse("programmes:project_create"), form_data(**overrides))
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert message in page
    if "-" in field:  # a row's field: the error sits in that row's cell
        form = response.context["fundings" if field.startswith("fundings") else "lines"]
        row = int(field.split("-")[1])
        name = field.split("-")[2]
        assert form.forms[row].errors[name]
    elif field in ("fundings", "lines"):
        assert response.context[field].non_form_errors()
    else:
        assert response.context["form"].errors[field]
    assert not Project.objects.exists()
    assert not Programme.objects.exists()
    assert not Funder.objects.exists()


def test_an_edit_updates_fundings_and_budget_lines(client, personas, project_b):
    client.force_login(personas["programme_manager"])
    fees = project_b.budget_lines.get()
    url = reverse("programmes:project_edit", args=[project_b.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(
        programme=str(project_b.programme_id),
        programme_name="",
        version="1",
        **{
            "fundings-TOTAL_FORMS": "2",
            "fundings-INITIAL_FORMS": "1",
            "fundings-0-funder": "Фонд президентских грантов",
            "fundings-0-amount": "2000000",
            "fundings-0-DELETE": "on",
            "fundings-1-funder": "Lottery fund",
            "fundings-1-amount": "500000",
            "lines-INITIAL_FORMS": "1",
            "lines-0-id": str(fees.pk),
            "lines-0-name": "Specialists' fees",
            "lines-0-planned": "1000000",
            "lines-0-spent": "1100000",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    project_b.refresh_from_db()
    assert project_b.version == 2
    assert [(f.funder.name, f.amount) for f in project_b.fundings.all()] == [
        ("Lottery fund", Decimal("500000"))
    ]
    lines = list(project_b.budget_lines.all())
    assert [(line.pk == fees.pk, line.name) for line in lines] == [
        (True, "Specialists' fees"),
        (False, "Travel"),
    ]
    detail = client.get(response["Location"]).content.decode()
    assert "over budget" in detail
    assert "1 budget line has spent more than planned." in detail


def test_a_stale_edit_is_refused_with_a_clear_message(client, personas, project_b):
    from kinbridge.programmes.actions_projects import update_project

    client.force_login(personas["programme_manager"])
    url = reverse("programmes:project_edit", args=[project_b.pk])
    client.get(url)
    # Meanwhile an administrator renames it.
    update_project(personas["administrator"], project_b, version=1, title="Renamed")

    response = client.post(
        url,
        form_data(
            programme=str(project_b.programme_id), programme_name="", version="1", title="Mine"
        ),
    )
    assert response.status_code == 200
    assert "Someone else saved this project while you were editing it" in (
        response.content.decode().replace("&#x27;", "'")
    )
    project_b.refresh_from_db()
    assert (project_b.title, project_b.version) == ("Renamed", 2)
    assert not project_b.budget_lines.filter(name="Travel").exists()


def test_a_programme_of_another_team_cannot_be_picked(client, personas, project_b, team_a):
    other = Programme.objects.create(team=team_a, name="Elsewhere")
    client.force_login(personas["administrator"])
    response = client.post(
        reverse("programmes:project_edit", args=[project_b.pk]),
        form_data(programme=str(other.pk), programme_name="", version="1"),
    )
    # Only the project's team's programmes are offered; another is refused at the field.
    assert response.context["form"].errors["programme"]
    project_b.refresh_from_db()
    assert project_b.programme.name == "Мама за решёткой"


def test_the_list_is_team_scoped_and_filters(client, personas, team_a, team_b, project_b):
    other = make_project(team_a, title="Family days in Vilnius")
    closed = make_project(team_b, title="Old project", status="closed")
    client.force_login(personas["caseworker_b"])
    page = client.get(reverse("programmes:project_list")).content.decode()
    assert project_b.title in page and closed.title in page and other.title not in page

    page = client.get(reverse("programmes:project_list"), {"status": "closed"}).content.decode()
    assert closed.title in page and project_b.title not in page

    new_programme = Programme.objects.create(team=team_b, name="Kids Matter")
    kids = make_project(team_b, title="Kids Matter 2026", programme=new_programme)
    page = client.get(
        reverse("programmes:project_list"), {"programme": new_programme.pk}
    ).content.decode()
    assert kids.title in page and project_b.title not in page


def test_the_list_keeps_constant_queries(
    client, personas, team_b, project_b, colonies, assert_constant_queries
):
    client.force_login(personas["analyst"])

    def grow():
        for number in range(3):
            programme = Programme.objects.create(team=team_b, name=f"Programme {number}")
            project = make_project(team_b, title=f"Project {number}", programme=programme)
            project.facilities.set(colonies)
            funder = Funder.objects.create(name=f"Funder {number}")
            project.fundings.create(funder=funder, amount=10)
            project.budget_lines.create(name="Fees", planned=5)
            women_indicator(project)

    assert_constant_queries(lambda: client.get(reverse("programmes:project_list")), grow)


def test_the_detail_shows_budget_facilities_and_latest_sessions(
    client, personas, project_b, colonies
):
    session = make_session(project_b, colonies[0], day=dt.date(2026, 3, 2), days=2)
    project_b.budget_lines.create(name="Printing", planned=Decimal(100), spent=Decimal(150))
    client.force_login(personas["caseworker_b"])
    response = client.get(reverse("programmes:project_detail", args=[project_b.pk]))
    page = response.content.decode()
    assert "IK-15" in page and "IK-28" in page
    assert session.topic in page and "2 days" in page
    assert "Фонд президентских грантов" in page
    assert "89.4%" in page  # the funder's share of the total budget
    assert "over budget" in page
    # Nobody edits from here but administrators and the team's programme managers.
    assert reverse("programmes:project_edit", args=[project_b.pk]) not in page


def test_facilitators_see_only_the_sessions_they_run(client, personas, project_b, colonies):
    mine = make_session(project_b, colonies[0], day=dt.date(2026, 3, 2), topic="Mine")
    mine.facilitators.add(personas["facilitator"])
    make_session(project_b, colonies[0], day=dt.date(2026, 3, 3), topic="Someone else's")
    client.force_login(personas["facilitator"])
    page = client.get(reverse("programmes:project_detail", args=[project_b.pk])).content.decode()
    assert "Mine" in page and "Someone else" not in page


def test_a_session_of_the_project_stays_out_of_other_projects(
    client, personas, project_b, team_b, colonies
):
    other = make_project(team_b, title="Kids Matter")
    make_session(other, colonies[0], day=dt.date(2026, 3, 2), topic="Not this project")
    client.force_login(personas["programme_manager"])
    page = client.get(reverse("programmes:project_detail", args=[project_b.pk])).content.decode()
    assert "Not this project" not in page
    assert "No sessions recorded for this project yet." in page


def test_budget_line_names_can_be_swapped(client, personas, project_b):
    travel = BudgetLine.objects.create(project=project_b, name="Travel", planned=1)
    fees = project_b.budget_lines.get(name="Fees")
    client.force_login(personas["programme_manager"])
    response = client.post(
        reverse("programmes:project_edit", args=[project_b.pk]),
        form_data(
            programme=str(project_b.programme_id),
            programme_name="",
            version="1",
            **{
                "fundings-0-amount": "100",
                "lines-TOTAL_FORMS": "2",
                "lines-INITIAL_FORMS": "2",
                "lines-0-id": str(fees.pk),
                "lines-0-name": "Travel",
                "lines-0-planned": "1",
                "lines-1-id": str(travel.pk),
                "lines-1-name": "Fees",
                "lines-1-planned": "2",
            },
        ),
    )
    assert response.status_code == 302
    assert dict(project_b.budget_lines.values_list("pk", "name")) == {
        fees.pk: "Travel",
        travel.pk: "Fees",
    }
