"""/api/v1/ programmes, funders, projects and indicators: the pages' rules, as JSON."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.programmes.models import Funder, Indicator, Programme, Project
from kinbridge.programmes.tests import projects_factories
from kinbridge.programmes.tests.projects_factories import (
    attend,
    make_facility,
    make_person,
    make_project,
    make_session,
    women_indicator,
)

pytestmark = pytest.mark.django_db

# Fixtures shared by the project tests.
colonies = projects_factories.colonies
project_b = projects_factories.project_b

PROJECTS, INDICATORS = "/api/v1/projects/", "/api/v1/indicators/"


def send(client, url, data, method="post"):
    return getattr(client, method)(url, data, content_type="application/json")


def new_project(team, **overrides) -> dict:
    return {
        "team": team.pk,
        "programme_name": "Mom Behind Bars",
        "title": "Mom Behind Bars 2026",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "currency": "RUB",
        "total_budget": "2827613.00",
        "fundings": [{"funder_name": "Фонд президентских грантов", "amount": "2527613"}],
        "budget_lines": [{"name": "Fees", "planned": "1000000", "spent": "1200000"}],
    } | overrides


def test_a_manager_creates_and_updates_a_project_with_nested_rows(
    client, personas, team_b, colonies
):
    client.force_login(personas["programme_manager"])
    response = send(client, PROJECTS, new_project(team_b, facilities=[colonies[0].pk]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 1 and body["facilities"] == [colonies[0].pk]
    assert body["fundings"] == [
        {
            "funder": {
                "id": Funder.objects.get().pk,
                "name": "Фонд президентских грантов",
                "website": "",
            },
            "amount": "2527613.00",
        }
    ]
    line = body["budget_lines"][0]
    assert (line["remaining"], line["over_budget"]) == ("-200000.00", True)
    url = f"{PROJECTS}{body['id']}/"

    response = send(
        client,
        url,
        {
            "version": 1,
            "title": "Renamed",
            "budget_lines": [{"id": line["id"], "name": "Fees", "planned": "1300000"}],
        },
        method="patch",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["version"]) == ("Renamed", 2)
    assert body["budget_lines"][0]["id"] == line["id"]
    assert len(body["fundings"]) == 1  # left out: unchanged

    # Someone who read version 1 is told to read again; nothing changes.
    response = send(client, url, {"version": 1, "title": "Stale"}, method="patch")
    assert response.status_code == 409
    assert response.json()["current"]["title"] == "Renamed"
    assert Project.objects.get().title == "Renamed"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end": "2025-01-01"}, "end"),
        ({"total_budget": "-1"}, "total_budget"),
        ({"fundings": [{"funder_name": "A", "amount": "-5"}]}, "fundings"),
        ({"fundings": [{"funder_name": "A", "amount": "3000000"}]}, "fundings"),
        ({"budget_lines": [{"name": "Fees", "planned": "-1"}]}, "budget_lines"),
        ({"programme_name": ""}, "programme"),
    ],
)
def test_bad_project_input_answers_400_at_the_field(client, personas, team_b, overrides, field):
    client.force_login(personas["programme_manager"])
    response = send(client, PROJECTS, new_project(team_b, **overrides))
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Project.objects.exists() and not Funder.objects.exists()


def test_the_funders_contributions_cannot_exceed_the_budget(client, personas, team_b):
    client.force_login(personas["programme_manager"])
    response = send(
        client,
        PROJECTS,
        new_project(team_b, fundings=[{"funder_name": "A", "amount": "3000000"}]),
    )
    assert response.json()["fundings"] == [
        "The funders' contributions add up to 3,000,000.00 RUB, more than the total budget "
        "of 2,827,613.00 RUB."
    ]


@pytest.mark.parametrize("persona", ["analyst", "caseworker_b", "facilitator"])
def test_readers_read_projects_and_indicators_but_cannot_write(
    client, personas, project_b, team_b, persona
):
    indicator = women_indicator(project_b)
    client.force_login(personas[persona])
    assert client.get(PROJECTS).json()["results"][0]["title"] == project_b.title
    assert client.get(f"{INDICATORS}{indicator.pk}/").json()["actual"] == "0"
    assert send(client, PROJECTS, new_project(team_b)).status_code == 403
    url = f"{PROJECTS}{project_b.pk}/"
    assert send(client, url, {"version": 1, "title": "X"}, method="patch").status_code == 403
    data = {"project": project_b.pk, "name": "X", "kind": "manual", "target": 1}
    assert send(client, INDICATORS, data).status_code == 403
    assert client.delete(f"{INDICATORS}{indicator.pk}/").status_code == 403
    assert Project.objects.get().title == project_b.title and Indicator.objects.count() == 1


def test_other_teams_and_volunteers_are_kept_out(client, personas, project_b, team_b):
    indicator = women_indicator(project_b)
    client.force_login(personas["caseworker"])  # team A
    assert client.get(PROJECTS).json()["results"] == []
    assert client.get(f"{PROJECTS}{project_b.pk}/").status_code == 404
    assert client.get(f"{INDICATORS}{indicator.pk}/").status_code == 404
    client.force_login(personas["volunteer"])
    for url in (PROJECTS, INDICATORS, "/api/v1/programmes/", "/api/v1/funders/"):
        assert client.get(url).status_code == 403
    # A manager of team B cannot plan for team A.
    client.force_login(personas["programme_manager"])
    assert (
        send(client, PROJECTS, new_project(personas["caseworker"].teams.get())).status_code == 403
    )


def test_indicators_with_live_actuals_percent_and_breakdown(
    client, personas, project_b, colonies, team_b
):
    women = women_indicator(project_b, target=4)
    anna, bella = make_person(team_b, "Anna"), make_person(team_b, "Bella")
    march = make_session(project_b, colonies[0], day=dt.date(2026, 3, 2))
    april = make_session(project_b, colonies[1], day=dt.date(2026, 4, 2))
    attend(march, anna, bella)
    attend(april, anna)
    client.force_login(personas["analyst"])

    listed = client.get(INDICATORS, {"project": project_b.pk}).json()["results"]
    assert [(i["name"], i["actual"], i["percent"], i["breakdown"]) for i in listed] == [
        ("Women who attended", "2", "50", None)
    ]
    body = client.get(f"{INDICATORS}{women.pk}/").json()
    assert body["how_counted"] == "Distinct participants with a characteristic: women"
    assert body["breakdown"] == {
        "by_facility": [
            {"facility_id": colonies[0].pk, "facility": "IK-15", "value": "2"},
            {"facility_id": colonies[1].pk, "facility": "IK-28", "value": "1"},
        ],
        "by_month": [
            {"month": "2026-03-01", "value": "2"},
            {"month": "2026-04-01", "value": "1"},
        ],
    }


def test_indicator_crud_with_settings_errors_under_parameters(client, personas, project_b):
    client.force_login(personas["programme_manager"])
    base = {"project": project_b.pk, "name": "Children up to 3", "kind": "participants"}

    response = send(client, INDICATORS, base | {"target": -1, "parameters": {"age_years": 0}})
    assert response.status_code == 400
    assert response.json() == {
        "target": ["The target cannot be negative."],
        "parameters": {
            "characteristic": ["This setting is required for this kind of indicator."],
            "age_years": ["Enter a whole number from 1 to 100."],
        },
    }
    response = send(client, INDICATORS, base | {"target": "ninety"})
    assert response.json() == {"target": ["The target must be a number, such as 90."]}
    assert not Indicator.objects.exists()

    parameters = {"characteristic": "children", "age_years": 3}
    response = send(client, INDICATORS, base | {"target": 60, "parameters": parameters})
    assert response.status_code == 201, response.content
    url = f"{INDICATORS}{response.json()['id']}/"
    assert response.json()["parameters"] == parameters

    response = send(client, url, {"target": 50}, method="patch")
    assert (response.status_code, response.json()["target"]) == (200, "50.00")
    response = send(client, url, {"manual_actual": 5}, method="patch")
    assert "manual_actual" in response.json()

    second = women_indicator(project_b)
    response = send(client, f"{INDICATORS}{second.pk}/move/", {"direction": "up"})
    assert [i["name"] for i in response.json()] == ["Women who attended", "Children up to 3"]

    assert client.delete(url).status_code == 204
    assert list(Indicator.objects.values_list("name", flat=True)) == ["Women who attended"]


def test_manual_evidence_is_uploaded_and_downloaded_through_the_api(client, personas, project_b):
    client.force_login(personas["programme_manager"])
    data = {"project": project_b.pk, "name": "Brochure", "kind": "manual", "target": 1}
    body = send(client, INDICATORS, data | {"manual_actual": 1}).json()
    url = f"{INDICATORS}{body['id']}/evidence/"
    assert client.get(url).status_code == 404  # none yet
    response = client.post(
        url, {"evidence": SimpleUploadedFile("b.pdf", b"%PDF-1.4 x"), "evidence_note": "Printed"}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["has_evidence"], response.json()["evidence_note"]) == (True, "Printed")
    bad = client.post(url, {"evidence": SimpleUploadedFile("b.pdf", b"not a pdf")})
    assert "evidence" in bad.json()

    client.force_login(personas["analyst"])
    download = client.get(url)
    assert b"".join(download.streaming_content) == b"%PDF-1.4 x"
    assert AuditEvent.objects.filter(action=Action.READ, actor=personas["analyst"]).exists()


def test_programmes_and_funders(client, personas, team_a, team_b):
    client.force_login(personas["programme_manager"])
    response = send(client, "/api/v1/programmes/", {"team": team_b.pk, "name": "Kids Matter"})
    assert response.status_code == 201
    again = send(client, "/api/v1/programmes/", {"team": team_b.pk, "name": "kids matter"})
    assert again.json() == {"name": ["This team already has a programme with this name."]}
    other_team = send(client, "/api/v1/programmes/", {"team": team_a.pk, "name": "X"})
    assert other_team.status_code == 403
    assert send(client, "/api/v1/funders/", {"name": "Lottery"}).status_code == 201
    assert send(client, "/api/v1/funders/", {"name": "LOTTERY"}).status_code == 400
    client.force_login(personas["analyst"])
    assert send(client, "/api/v1/funders/", {"name": "Other"}).status_code == 403
    assert [p["name"] for p in client.get("/api/v1/programmes/").json()["results"]] == [
        "Kids Matter"
    ]
    assert Programme.objects.count() == 1


def test_lists_keep_constant_queries(
    client, personas, project_b, colonies, regions, team_b, assert_constant_queries
):
    women_indicator(project_b)
    client.force_login(personas["analyst"])

    def grow():
        for number in range(3):
            facility = make_facility(regions["b"], f"IK-{50 + number}")
            project = make_project(team_b, title=f"Project {number}")
            project.facilities.set([facility, *colonies])
            project.regions.set([regions["b"]])
            funder = Funder.objects.create(name=f"Funder {number}")
            project.fundings.create(funder=funder, amount=1)
            project.budget_lines.create(name="Fees", planned=1)
            session = make_session(project_b, facility, day=dt.date(2026, 5 + number, 1))
            attend(session, make_person(team_b, f"P{number}"), make_person(team_b, f"Q{number}"))

    def fetch():
        assert client.get(PROJECTS).status_code == 200
        # Each indicator's actual is an aggregate query; more attendance, same queries.
        assert client.get(INDICATORS, {"project": project_b.pk}).status_code == 200

    assert_constant_queries(fetch, grow)
