"""Casework's KPI kinds: people who received services, and cases opened or closed.

A project runs through 2026; its cases' services and dates are counted by the
programmes engine like any other indicator, configured in the indicator form or
through the API.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kinbridge.casework.models import Case, Service
from kinbridge.lib.codes import reference_code
from kinbridge.programmes.indicators import ALL_TIME, Period, compute, project_results
from kinbridge.programmes.models import Indicator
from kinbridge.programmes.tests.projects_factories import make_person, make_project

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def project(team_b):
    return make_project(team_b, start=D(2026, 1, 1), end=D(2026, 12, 31))


@pytest.fixture
def worker(personas):
    return personas["caseworker_b"]


def make_case(project, client, worker, *, case_type="targeted_assistance", **fields) -> Case:
    fields.setdefault("opened_on", D(2026, 1, 10))
    status = "closed" if fields.get("closed_on") else "active"
    if status == "closed":
        fields |= {"closure_reason": "goals_met", "outcome": "improved"}
    fields.setdefault("team", project.team if project else None)
    return Case.objects.create(
        reference=reference_code("C"),
        client=client,
        project=project,
        case_type=case_type,
        lead_worker=worker,
        status=status,
        **fields,
    )


def serve(case, worker, day, service_type="counselling", recipient=None) -> Service:
    return Service.objects.create(
        case=case,
        service_type=service_type,
        mode="in_person",
        date=day,
        duration_minutes=45,
        worker=worker,
        recipient=recipient or case.client,
    )


def indicator(project, kind, **parameters) -> Indicator:
    return Indicator.objects.create(
        project=project, name=kind, kind=kind, parameters=parameters, target=10
    )


def actual(ind, period=ALL_TIME) -> int:
    return int(compute(ind, period).actual)


@pytest.fixture
def casework(project, team_b, worker):
    """Three relatives with targeted assistance, one with family casework, and noise."""
    ona, rasa, jonas, daiva, child = (
        make_person(team_b, name) for name in ("Ona", "Rasa", "Jonas", "Daiva", "Ugnė")
    )
    first = make_case(project, ona, worker, opened_on=D(2026, 1, 5))
    serve(first, worker, D(2026, 1, 12))
    serve(first, worker, D(2026, 2, 3), "mediation")
    serve(first, worker, D(2026, 2, 20), "escort")
    # Ona's daughter, linked to the case, gets counselling too: a second person.
    first.members.create(person=child, role_in_case="daughter")
    serve(first, worker, D(2026, 2, 21), recipient=child)
    second = make_case(project, rasa, worker, opened_on=D(2026, 2, 1), closed_on=D(2026, 3, 30))
    serve(second, worker, D(2026, 3, 2), "information")
    # Ona again, in a second case: still one person.
    again = make_case(project, ona, worker, opened_on=D(2026, 3, 1))
    serve(again, worker, D(2026, 3, 15), "representation")
    # Jonas: family casework, one casework contact.
    family = make_case(project, jonas, worker, case_type="family_casework")
    serve(family, worker, D(2026, 4, 1), "contact")
    # Daiva: a long-term case opened before the project, served before and after it.
    long_term = make_case(project, daiva, worker, opened_on=D(2025, 10, 1))
    serve(long_term, worker, D(2025, 11, 5))
    serve(long_term, worker, D(2027, 1, 5))
    # Another project's case, and a case with no project: not this project's figures.
    other = make_project(team_b, title="Another", start=D(2026, 1, 1), end=D(2026, 12, 31))
    serve(make_case(other, rasa, worker), worker, D(2026, 5, 1))
    serve(make_case(None, jonas, worker, team=team_b), worker, D(2026, 5, 1))
    return {"ona": ona, "rasa": rasa, "jonas": jonas, "daiva": daiva, "child": child}


TARGETED = ["counselling", "information", "mediation", "representation", "escort"]


def test_people_are_counted_once_however_many_services_and_cases(project, casework):
    targeted = indicator(project, "service_recipients", service_types=TARGETED)
    # Ona, her daughter and Rasa; Daiva's services fall outside the project's dates.
    assert actual(targeted) == 3
    # Any service, any case type: Jonas's casework contact counts too.
    assert actual(indicator(project, "service_recipients")) == 4
    only_mediation = indicator(project, "service_recipients", service_types=["mediation"])
    assert actual(only_mediation) == 1


def test_case_types_and_the_minimum_number_of_services(project, casework):
    family = indicator(project, "service_recipients", case_types=["family_casework"])
    assert actual(family) == 1
    # Ona had four services over two cases; her daughter and Rasa had one each.
    regulars = indicator(project, "service_recipients", min_services=2)
    assert actual(regulars) == 1
    # Counted within the period: from March, Ona had one service only.
    assert actual(regulars, Period(start=D(2026, 3, 1))) == 0
    assert actual(indicator(project, "service_recipients", min_services=1)) == 4


def test_the_report_period_limits_what_is_counted(project, casework):
    targeted = indicator(project, "service_recipients", service_types=TARGETED)
    assert actual(targeted, Period(start=D(2026, 2, 1), end=D(2026, 2, 28))) == 2
    assert actual(targeted, Period(end=D(2026, 1, 31))) == 1
    assert actual(targeted, Period(start=D(2026, 4, 1))) == 0


def test_the_breakdown_counts_a_person_once_in_each_month(project, casework):
    targeted = indicator(project, "service_recipients", service_types=TARGETED)
    result = compute(targeted, breakdown=True)
    assert result.breakdown.by_month == {
        D(2026, 1, 1): Decimal(1),  # Ona
        D(2026, 2, 1): Decimal(2),  # Ona (three services) and her daughter
        D(2026, 3, 1): Decimal(2),  # Rasa, Ona in her second case
    }
    assert result.breakdown.by_facility == {}
    regulars = indicator(project, "service_recipients", min_services=2)
    months = compute(regulars, breakdown=True).breakdown.by_month
    assert months == {D(2026, m, 1): Decimal(1) for m in (1, 2, 3)}  # Ona alone


def test_cases_opened_and_closed_in_the_project(project, casework):
    opened = indicator(project, "cases", event="opened")
    # Four opened in 2026; Daiva's long-term case was opened before the project.
    assert actual(opened) == 4
    assert actual(indicator(project, "cases", event="closed")) == 1
    only_family = indicator(project, "cases", event="opened", case_types=["family_casework"])
    assert actual(only_family) == 1
    assert actual(opened, Period(start=D(2026, 2, 1), end=D(2026, 2, 28))) == 1
    months = compute(opened, breakdown=True).breakdown.by_month
    assert months == {D(2026, 1, 1): 2, D(2026, 2, 1): 1, D(2026, 3, 1): 1}


def test_the_kpi_table_shows_the_kinds_with_their_settings_in_words(
    client, personas, project, casework
):
    indicator(project, "service_recipients", service_types=["escort", "mediation"])
    indicator(project, "cases", event="closed", case_types=["targeted_assistance"])
    assert [int(r.actual) for r in project_results(project)] == [1, 1]
    client.force_login(personas["programme_manager"])
    page = client.get(reverse("programmes:project_detail", args=[project.pk])).content.decode()
    assert "Persons receiving a service type" in page
    assert "Escort, Mediation" in page
    assert "closed; Targeted assistance for relatives" in page
    # Casework has no facility: the breakdown is by month only.
    escorts = project.indicators.get(kind="service_recipients")
    fragment = client.get(reverse("programmes:indicator_breakdown", args=[escorts.pk]))
    assert "By month" in fragment.content.decode()
    assert "February 2026" in fragment.content.decode()
    assert "By facility" not in fragment.content.decode()


def test_queries_stay_constant_as_cases_and_services_grow(
    project, casework, team_b, worker, assert_constant_queries
):
    kinds = [
        indicator(project, "service_recipients", service_types=TARGETED),
        indicator(project, "service_recipients", min_services=2, case_types=["family_casework"]),
        indicator(project, "cases", event="opened"),
        indicator(project, "cases", event="closed"),
    ]

    def fetch():
        for breakdown in (False, True):
            project_results(project, breakdown=breakdown)

    def grow():
        for number in range(6):
            person = make_person(team_b, f"Extra {number}")
            case = make_case(project, person, worker, opened_on=D(2026, 6, 1))
            for month in (6, 7):
                serve(case, worker, D(2026, month, 2 + number), "escort")

    assert_constant_queries(fetch, grow)
    assert int(compute(kinds[0]).actual) == 3 + 6


def test_the_indicator_form_offers_the_kinds_with_their_settings(client, personas, project):
    client.force_login(personas["programme_manager"])
    url = reverse("programmes:indicator_create", args=[project.pk])
    chooser = client.get(url).content.decode()
    assert "Persons receiving a service type" in chooser
    assert "Cases opened or closed" in chooser

    form = client.get(url, {"kind": "service_recipients"}).content.decode()
    assert 'type="checkbox" name="setting_service_types" value="escort"' in form
    assert 'type="checkbox" name="setting_case_types" value="targeted_assistance"' in form
    assert 'type="number" name="setting_min_services"' in form
    data = {
        "kind": "service_recipients",
        "name": "Targeted assistance to relatives",
        "target": "188",
        "setting_service_types": ["mediation", "counselling"],
        "setting_case_types": ["targeted_assistance"],
    }
    assert client.post(url, data).status_code == 302
    created = Indicator.objects.get()
    assert created.parameters == {
        "service_types": ["counselling", "mediation"],
        "case_types": ["targeted_assistance"],
    }

    # The event is required; a wrong value is refused at its field, nothing saved.
    data = {"kind": "cases", "name": "Cases closed", "target": "20"}
    response = client.post(url, data | {"setting_event": ""})
    assert "This setting is required" in " ".join(response.context["form"].errors["setting_event"])
    response = client.post(url, data | {"setting_event": "lost"})
    assert response.context["form"].errors["setting_event"]
    assert Indicator.objects.count() == 1
    assert client.post(url, data | {"setting_event": "closed"}).status_code == 302
    assert Indicator.objects.get(kind="cases").parameters == {"event": "closed"}


def test_the_api_creates_the_kinds_and_refuses_bad_settings(client, personas, project, casework):
    client.force_login(personas["programme_manager"])
    base = {"project": project.pk, "name": "Relatives helped", "target": 188}

    def send(data):
        return client.post("/api/v1/indicators/", data, content_type="application/json")

    bad = {"service_types": ["juggling"], "min_services": 0, "colour": "red"}
    response = send(base | {"kind": "service_recipients", "parameters": bad})
    assert response.status_code == 400
    errors = response.json()["parameters"]
    assert errors["service_types"] == ["Not one of the choices: juggling."]
    assert errors["min_services"] == ["Enter a whole number from 1 to 100."]
    assert "colour" in " ".join(errors["non_field_errors"])
    assert send(base | {"kind": "cases", "parameters": {}}).json()["parameters"] == {
        "event": ["This setting is required for this kind of indicator."]
    }
    assert not Indicator.objects.exists()

    parameters = {"service_types": TARGETED}
    response = send(base | {"kind": "service_recipients", "parameters": parameters})
    assert response.status_code == 201, response.content
    body = client.get(f"/api/v1/indicators/{response.json()['id']}/").json()
    assert body["actual"] == "3"
