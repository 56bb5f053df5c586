"""Caseload dashboards on fixed data and a frozen day: my caseload, the team caseloads
with the flagged cases, the same figures in the API, and constant query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_user
from kinbridge.casework import case_actions, risk_actions
from kinbridge.casework.caseload import my_caseload, service_url, team_caseloads
from kinbridge.casework.models import CaseStatus
from kinbridge.casework.tests.risks_setup import (
    TODAY,
    add_service,
    add_task,
    days_ago,
    make_case,
    today,
)

__all__ = ["today"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(today, personas, team_a, team_b, settings):
    """caseworker_b leads c1 (contact 5 days ago), c3 (referred, no service, opened 45
    days ago) and c4 (closed), and works on c2 (contact 35 days ago) led by other_b,
    who also leads c5 (opened 10 days ago). c6 is team A's."""
    settings.CASE_NO_CONTACT_DAYS = 30
    worker = personas["caseworker_b"]
    other_b = make_user("other_b", "caseworker", [team_b])
    c1 = make_case(team_b, worker, opened=100, name="Анна")
    add_service(c1, worker, 40)
    add_service(c1, worker, 5)
    c2 = make_case(team_b, other_b, opened=50, status=CaseStatus.ASSESSMENT, workers=[worker])
    add_service(c2, other_b, 35)
    c3 = make_case(team_b, worker, opened=45, status=CaseStatus.REFERRED)
    c3 = case_actions.update_case(
        None, c3, version=c3.version, next_review_on=TODAY + dt.timedelta(days=3)
    )
    c4 = make_case(team_b, worker, opened=80, status=CaseStatus.CLOSED)
    c5 = make_case(team_b, other_b, opened=10)
    c6 = make_case(team_a, personas["caseworker"], opened=20)
    add_task(c1, worker, -2, "Overdue on c1")
    add_task(c1, worker, 3, "Soon on c1")
    add_task(c5, worker, -1, "Overdue on c5")
    flag_b = risk_actions.raise_flag(worker, c1, kind="self_harm", raised_on=days_ago(4))
    flag_a = risk_actions.raise_flag(
        personas["caseworker"], c6, kind="domestic_abuse", raised_on=days_ago(9)
    )
    return {
        "cases": (c1, c2, c3, c4, c5, c6),
        "other_b": other_b,
        "flags": (flag_b, flag_a),
    }


def test_my_caseload_figures(world, personas):
    c1, c2, c3, _c4, _c5, _c6 = world["cases"]
    data = my_caseload(personas["caseworker_b"], days=30)
    rows = [
        (c.pk, c.last_contact, c.days_since, c.open_tasks, c.overdue_tasks) for c in data["active"]
    ]
    assert rows == [
        (c3.pk, None, 45, 0, 0),  # no service at all: counted from the day it opened
        (c2.pk, days_ago(35), 35, 0, 0),
        (c1.pk, days_ago(5), 5, 2, 1),
    ]
    assert [case.pk for case in data["no_contact"]] == [c3.pk, c2.pk]
    assert {row["status"]: row["count"] for row in data["by_status"]} == {
        "referred": 1,
        "assessment": 1,
        "active": 1,
        "closing": 0,
        "closed": 1,
    }
    assert [task.title for task in data["overdue_tasks"]] == ["Overdue on c1", "Overdue on c5"]
    assert [case.pk for case in data["reviews_due"]] == [c3.pk]
    assert [case.pk for case in my_caseload(personas["caseworker_b"], days=40)["no_contact"]] == [
        c3.pk
    ]


def test_team_caseloads_per_worker_and_flagged_cases_of_the_supervised_teams(world, personas):
    c1, *_ = world["cases"]
    data = team_caseloads(personas["programme_manager"], days=30)
    assert [section["team"].name for section in data["teams"]] == ["Team B"]
    team = data["teams"][0]
    rows = {
        row["worker"].username: (row["active"], row["overdue_tasks"], row["no_contact"])
        for row in team["workers"]
    }
    assert rows == {"caseworker_b": (3, 2, 2), "other_b": (2, 0, 1), "manager": (0, 0, 0)}
    assert (team["active"], team["no_contact"], team["overdue_tasks"]) == (4, 2, 2)
    assert {row["status"]: row["count"] for row in team["by_status"]} == {
        "referred": 1,
        "assessment": 1,
        "active": 2,
        "closing": 0,
        "closed": 1,
    }
    assert [(flag.case_id, flag.days_open) for flag in data["flags"]] == [(c1.pk, 4)]
    assert team["flags_by_kind"] == [{"kind": "self_harm", "label": "Self-harm", "count": 1}]
    every = team_caseloads(personas["administrator"], days=30)
    assert [section["team"].name for section in every["teams"]] == ["Team A", "Team B"]
    flag_b, flag_a = world["flags"]
    assert [flag.pk for flag in every["flags"]] == [flag_a.pk, flag_b.pk]  # oldest first


def test_pages_show_the_figures_and_validate_days(world, personas):
    c1, _c2, c3, *_ = world["cases"]
    client = Client()
    client.force_login(personas["caseworker_b"])
    page = client.get(reverse("casework:my_caseload")).content.decode()
    assert c3.reference in page and "No contact for 30 days or more" in page
    # Quick entry (or the case page's services) once those areas' pages exist.
    assert service_url(c1.pk) == "" or f'href="{service_url(c1.pk)}"' in page
    bad = client.get(reverse("casework:my_caseload"), {"days": "0"})
    assert bad.status_code == 200 and "greater than or equal to 1" in bad.content.decode()
    assert "No contact for 30 days or more" in bad.content.decode()
    assert (
        "No contact for 40 days or more"
        in client.get(reverse("casework:my_caseload"), {"days": "40"}).content.decode()
    )
    manager = Client()
    manager.force_login(personas["programme_manager"])
    page = manager.get(reverse("casework:team_caseloads")).content.decode()
    assert c1.reference in page and "Self-harm" in page and "Team A" not in page
    assert client.get(reverse("casework:team_caseloads")).status_code == 403


def test_the_api_gives_the_same_figures(world, personas):
    c1, c2, c3, *_ = world["cases"]
    client = Client()
    client.force_login(personas["caseworker_b"])
    data = client.get("/api/v1/caseload/?days=30").json()
    assert [row["id"] for row in data["active"]] == [c3.pk, c2.pk, c1.pk]
    assert data["no_contact"] == [c3.pk, c2.pk] and data["days"] == 30
    assert client.get("/api/v1/caseload/?days=abc").status_code == 400
    assert client.get("/api/v1/team-caseloads/").status_code == 403
    manager = Client()
    manager.force_login(personas["programme_manager"])
    teams = manager.get("/api/v1/team-caseloads/").json()["teams"]
    assert [team["name"] for team in teams] == ["Team B"]
    assert [flag["case"] for flag in teams[0]["flags"]] == [c1.pk]


def test_dashboard_cards(world, personas):
    client = Client()
    client.force_login(personas["caseworker_b"])
    page = client.get(reverse("front:dashboard")).content.decode()
    assert reverse("casework:my_caseload") in page and "Overdue tasks" in page
    manager = Client()
    manager.force_login(personas["programme_manager"])
    page = manager.get(reverse("front:dashboard")).content.decode()
    assert "Team caseloads" in page and "Flagged cases" in page


def _grow(personas, team_b, counter=[0]):  # noqa: B006 - a counter across calls
    def grow():
        counter[0] += 1
        newcomer = make_user(f"worker{counter[0]}", "caseworker", [team_b])
        for n in range(3):
            case = make_case(
                team_b,
                personas["caseworker_b"] if n else newcomer,
                opened=60,
                workers=[newcomer],
                name=f"Client {n}",
            )
            add_service(case, newcomer, 10 + n)
            add_task(case, personas["caseworker_b"], -n)
            risk_actions.raise_flag(newcomer, case, kind="child_protection")

    return grow


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("caseworker_b", "casework:my_caseload"),
        ("caseworker_b", "api:caseload"),
        ("programme_manager", "casework:team_caseloads"),
        ("programme_manager", "api:team-caseloads"),
        ("administrator", "casework:team_caseloads"),
        ("programme_manager", "front:dashboard"),
        ("caseworker_b", "front:dashboard"),
    ],
)
def test_query_counts_do_not_grow_with_cases_and_workers(
    world, personas, team_b, assert_constant_queries, persona, url
):
    client = Client()
    client.force_login(personas[persona])
    assert_constant_queries(lambda: client.get(reverse(url)), _grow(personas, team_b))


def test_the_risk_panel_runs_a_fixed_number_of_queries(
    world, personas, team_b, assert_constant_queries
):
    c1, *_ = world["cases"]
    client = Client()
    client.force_login(personas["caseworker_b"])
    url = reverse("casework:riskflag_create", kwargs={"pk": c1.pk})

    def grow():
        for n in range(3):
            flag = risk_actions.raise_flag(personas["programme_manager"], c1, kind="self_harm")
            if n:
                risk_actions.resolve_flag(personas["administrator"], flag, note="Done.")

    assert_constant_queries(lambda: client.get(url), grow)
