"""Who sees risk flags: the case's workers, the team's supervisors and administrators.
Everyone else who sees the case learns only that a restricted flag exists; a sentinel
string in a flag's notes never reaches them, in HTML or in the API."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from conftest import make_user
from kinbridge.casework import risk_actions
from kinbridge.casework.models import RiskFlag
from kinbridge.casework.panels import case_panels
from kinbridge.casework.tests.risks_setup import SENTINEL, days_ago, make_case, today

__all__ = ["today"]

pytestmark = pytest.mark.django_db
RESTRICTED = "A restricted risk flag is recorded — ask the lead worker."


@pytest.fixture
def flagged(today, personas, team_b):
    case = make_case(team_b, personas["caseworker_b"], opened=40)
    worker = personas["caseworker_b"]
    old = risk_actions.raise_flag(
        worker, case, kind="domestic_abuse", raised_on=days_ago(30), note=SENTINEL + " old"
    )
    risk_actions.resolve_flag(worker, old, note=SENTINEL + " resolved")
    flag = risk_actions.raise_flag(
        worker,
        case,
        kind="child_abandonment",
        reasons=["staff_attitude"],
        raised_on=days_ago(3),
        note=SENTINEL,
    )
    return case, flag


@pytest.fixture
def other_b(team_b):
    """A caseworker of team B who does not work on the case: sees it, not its flags."""
    return make_user("other_b", "caseworker", [team_b])


def panel_html(user, case) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return "".join(
        render_to_string(panel["template"], {"panel": panel["panel"]}, request=request)
        for panel in case_panels(request, case)
        if panel["key"] == "risks"
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def everything(client, case, flag) -> list:
    """Every page and endpoint of this area that could show the flag."""
    api = "/api/v1/risk-flags/"
    return [
        client.get(reverse("casework:riskflag_create", kwargs={"pk": case.pk})),
        client.get(reverse("casework:riskflag_resolve", kwargs={"pk": flag.pk})),
        client.get(reverse("casework:my_caseload")),
        client.get(reverse("casework:team_caseloads")),
        client.get(api),
        client.get(f"{api}?case={case.pk}"),
        client.get(f"{api}{flag.pk}/"),
        client.post(f"{api}{flag.pk}/resolve/", {}, content_type="application/json"),
        client.get(reverse("api:caseload")),
        client.get(reverse("api:team-caseloads")),
    ]


@pytest.mark.parametrize("keeper", ["caseworker_b", "programme_manager", "administrator"])
def test_workers_supervisors_and_administrators_read_the_flags(flagged, personas, keeper):
    case, flag = flagged
    user = personas[keeper]
    html = panel_html(user, case)
    assert SENTINEL in html and "Risk of child abandonment" in html
    assert "The attitude of the colony" in html and RESTRICTED not in html
    client = client_for(user)
    listed = client.get(f"/api/v1/risk-flags/?case={case.pk}").json()["results"]
    assert [row["id"] for row in listed] == [flag.pk, flag.pk - 1]  # newest first
    page = client.get(reverse("casework:riskflag_create", kwargs={"pk": case.pk}))
    assert SENTINEL in page.content.decode()
    assert client.get(f"/api/v1/risk-flags/{flag.pk}/").json()["note"] == SENTINEL


def test_a_team_caseworker_not_on_the_case_sees_only_that_a_flag_exists(flagged, other_b):
    case, flag = flagged
    html = panel_html(other_b, case)
    assert RESTRICTED in html
    for hidden in (SENTINEL, "abandonment", "attitude", "Domestic abuse"):
        assert hidden not in html
    client = client_for(other_b)
    responses = everything(client, case, flag)
    for response in responses:
        assert SENTINEL.encode() not in response.content
    codes = [response.status_code for response in responses]
    assert codes == [403, 403, 200, 403, 200, 200, 403, 403, 200, 403]
    assert responses[4].json()["results"] == [] and responses[5].json()["results"] == []


def test_no_panel_for_a_non_worker_once_every_flag_is_resolved(flagged, other_b, personas):
    case, flag = flagged
    risk_actions.resolve_flag(personas["caseworker_b"], flag, note="Family found support.")
    assert panel_html(other_b, case) == ""
    assert SENTINEL in panel_html(personas["caseworker_b"], case)


@pytest.mark.parametrize(
    "persona", ["caseworker", "facilitator", "volunteer_coordinator", "volunteer", "analyst"]
)
def test_other_teams_and_roles_without_casework_get_nothing(flagged, personas, persona):
    case, flag = flagged
    for response in everything(client_for(personas[persona]), case, flag):
        assert SENTINEL.encode() not in response.content
        if response.status_code == 200:  # the team A caseworker's own (empty) figures
            assert persona == "caseworker"


def test_raising_and_resolving_through_the_pages(flagged, personas):
    case, flag = flagged
    client = client_for(personas["programme_manager"])
    url = reverse("casework:riskflag_create", kwargs={"pk": case.pk})
    count = RiskFlag.objects.count()
    response = client.post(url, {"kind": "self_harm", "reasons": ["no_family_support"]})
    assert response.status_code == 400
    assert "only for a risk of child abandonment" in response.content.decode()
    assert RiskFlag.objects.count() == count
    response = client.post(url, {"kind": "self_harm", "note": "Said so on the phone."})
    assert response.status_code == 302 and RiskFlag.objects.count() == count + 1
    resolve = reverse("casework:riskflag_resolve", kwargs={"pk": flag.pk})
    response = client.post(resolve, {"resolved_on": days_ago(4).isoformat(), "note": "x"})
    assert response.status_code == 400 and "before it was raised" in response.content.decode()
    response = client.post(resolve, {"note": "The grandmother takes the baby."})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.resolved_by == personas["programme_manager"]


def test_api_create_is_idempotent_and_checks_its_input(flagged, personas, other_b):
    case, _flag = flagged
    client = client_for(personas["caseworker_b"])
    body = {"case": case.pk, "kind": "child_protection", "note": "Seen alone at night."}
    headers = {"HTTP_IDEMPOTENCY_KEY": "flag-1"}
    first = client.post("/api/v1/risk-flags/", body, content_type="application/json", **headers)
    again = client.post("/api/v1/risk-flags/", body, content_type="application/json", **headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true" and first.json() == again.json()
    assert RiskFlag.objects.filter(kind="child_protection").count() == 1
    bad = client.post(
        "/api/v1/risk-flags/",
        {"case": case.pk, "kind": "child_abandonment"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "reasons" in bad.json()
    denied = client_for(other_b).post("/api/v1/risk-flags/", body, content_type="application/json")
    assert denied.status_code == 403
    resolved = client.post(
        f"/api/v1/risk-flags/{first.json()['id']}/resolve/",
        {"note": "Police informed, child safe."},
        content_type="application/json",
    )
    assert resolved.status_code == 200 and resolved.json()["resolved_on"]
