"""Needs, goals and plan reviews: pages, panel, API, bad input and stale edits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinbridge.audit.models import AuditEvent
from kinbridge.casework import plan_actions
from kinbridge.casework.models import (
    CaseEvent,
    CaseEventKind,
    CaseNeed,
    Goal,
    NeedType,
    PlanReview,
)
from kinbridge.casework.tests import psn_setup
from kinbridge.casework.tests.psn_setup import login, open_case

case, child = psn_setup.case, psn_setup.child

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False)


def need(code="housing"):
    return NeedType.objects.get(code=code)


def worker_client(personas):
    return login(Client(), personas["caseworker_b"])


# --- Needs -------------------------------------------------------------------------------


def test_a_worker_adds_a_need_from_the_panel_and_goes_back(personas, case):
    response = worker_client(personas).post(
        reverse("casework:need_add", args=[case.pk]),
        {
            "need": need().pk,
            "severity": 3,
            "identified_on": TODAY.isoformat(),
            "note": "Rent arrears",
            "next": f"/casework/cases/{case.pk}/plan/",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("/plan/")
    case_need = CaseNeed.objects.get(case=case)
    assert case_need.severity == 3 and case_need.note == "Rent arrears"
    assert AuditEvent.objects.filter(object_type="casework.caseneed", action="create").exists()


def test_a_need_already_on_the_case_is_refused_at_the_field(personas, case):
    plan_actions.add_need(None, case, need=need())
    response = worker_client(personas).post(
        reverse("casework:need_add", args=[case.pk]),
        {"need": need().pk, "severity": 2, "identified_on": TODAY.isoformat()},
    )
    assert response.status_code == 400
    assert "already on this case" in response.context["form"].errors["need"][0]
    assert CaseNeed.objects.filter(case=case).count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"identified_on": "2026-06-16"}, "identified_on", "in the future"),
        ({"identified_on": "2026-01-01"}, "identified_on", "was opened on"),
        ({"severity": 9}, "severity", "Select a valid choice"),
        ({"need": ""}, "need", "required"),
    ],
)
def test_bad_need_input_changes_nothing(personas, case, fields, field, message):
    data = {"need": need().pk, "severity": 2, "identified_on": TODAY.isoformat()} | fields
    response = worker_client(personas).post(reverse("casework:need_add", args=[case.pk]), data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not CaseNeed.objects.exists()


def test_a_retired_need_cannot_be_added(personas, case):
    plan_actions.update_need_type(None, need(), is_active=False)
    with pytest.raises(ValidationError) as refused:
        plan_actions.add_need(None, case, need=need())
    assert "no longer in use" in str(refused.value)


def test_severity_and_status_change(personas, case):
    case_need = plan_actions.add_need(None, case, need=need(), severity=2)
    response = worker_client(personas).post(
        reverse("casework:need_edit", args=[case_need.pk]),
        {"severity": 4, "status": "met", "note": ""},
    )
    assert response.status_code == 302
    case_need.refresh_from_db()
    assert (case_need.severity, case_need.status) == (4, "met")


# --- The list of needs -------------------------------------------------------------------


def test_administrators_add_rename_retire_and_reorder_needs(admin_client):
    response = admin_client.post(
        reverse("casework:needtype_list"), {"name": "Debt advice", "position": ""}
    )
    assert response.status_code == 302
    own = NeedType.objects.get(name="Debt advice")
    assert own.code.startswith("org-") and own.position > need("abandonment_risk").position
    response = admin_client.post(
        reverse("casework:needtype_edit", args=[own.pk]),
        {"name": "Debt and benefits", "position": 5, "is_active": ""},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.name, own.position, own.is_active) == ("Debt and benefits", 5, False)
    assert NeedType.objects.first() == own


def test_a_built_in_need_keeps_its_name_and_names_are_unique(admin_client):
    housing = need()
    response = admin_client.post(
        reverse("casework:needtype_edit", args=[housing.pk]),
        {"name": "Shelter", "position": housing.position, "is_active": "on"},
    )
    assert response.status_code == 400 and "built-in" in response.content.decode()
    response = admin_client.post(reverse("casework:needtype_list"), {"name": "housing"})
    assert response.status_code == 400
    assert "already on the list" in response.context["form"].errors["name"][0]
    housing.refresh_from_db()
    assert housing.name == "Housing"


def test_only_administrators_change_the_list_of_needs(personas):
    client = login(Client(), personas["programme_manager"])
    assert client.get(reverse("casework:needtype_list")).status_code == 403
    api = client.post("/api/v1/need-types/", {"name": "X"}, content_type="application/json")
    assert api.status_code == 403
    assert client.get("/api/v1/need-types/").status_code == 200
    assert not NeedType.objects.filter(name="X").exists()


def test_need_types_list_and_api_queries_stay_constant(admin_client, assert_constant_queries):
    counter = iter(range(100))

    def grow():
        for _ in range(5):
            plan_actions.create_need_type(None, name=f"Own need {next(counter)}")

    assert_constant_queries(lambda: admin_client.get(reverse("casework:needtype_list")), grow)
    assert_constant_queries(lambda: admin_client.get("/api/v1/need-types/"), grow)


# --- Goals -------------------------------------------------------------------------------


def test_goal_bad_input_is_refused_at_the_field(personas, case, team_b):
    other = open_case(team_b, personas["caseworker_b"])
    foreign_need = plan_actions.add_need(None, other, need=need())
    client = worker_client(personas)
    url = reverse("casework:goal_add", args=[case.pk])
    response = client.post(url, {"description": " ", "status": "planned"})
    assert response.status_code == 400 and response.context["form"].errors["description"]
    response = client.post(
        url, {"description": "Visits", "need": foreign_need.pk, "status": "planned"}
    )
    assert response.status_code == 400 and response.context["form"].errors["need"]
    response = client.post(
        url, {"description": "Visits", "target_date": "2025-01-01", "status": "planned"}
    )
    assert "before the case was opened" in response.context["form"].errors["target_date"][0]
    assert not Goal.objects.exists()


def test_a_stale_goal_edit_shows_the_differences_and_keeps_the_input(personas, case):
    goal = plan_actions.create_goal(None, case, description="Monthly visits")
    plan_actions.update_goal(None, goal, version=1, description="Weekly visits")
    response = worker_client(personas).post(
        reverse("casework:goal_edit", args=[goal.pk]),
        {"description": "Visits every fortnight", "status": "in_progress", "version": 1},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Weekly visits" in page and "Visits every fortnight" in page
    assert 'role="alert"' in page
    goal.refresh_from_db()
    assert (goal.description, goal.version) == ("Weekly visits", 2)
    # The form now carries the version on file: saving again is a deliberate choice.
    assert response.context["form"].data["version"] == 2


def test_a_stale_goal_edit_by_api_answers_409(personas, case):
    goal = plan_actions.create_goal(None, case, description="Monthly visits")
    plan_actions.update_goal(None, goal, version=1, status="in_progress")
    response = worker_client(personas).patch(
        f"/api/v1/goals/{goal.pk}/",
        {"version": 1, "status": "achieved"},
        content_type="application/json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["current"]["status"] == "in_progress"
    assert body["differences"] == [
        {"field": "status", "label": "status", "theirs": "In progress", "yours": "Achieved"}
    ]
    goal.refresh_from_db()
    assert goal.status == "in_progress"


def test_goal_api_creates_once_per_idempotency_key(personas, case):
    client = worker_client(personas)
    body = {"case": case.pk, "description": "Contact with the school"}
    first = client.post(
        "/api/v1/goals/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    again = client.post(
        "/api/v1/goals/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Goal.objects.count() == 1


# --- Plan reviews and the panel ------------------------------------------------------------


def test_a_plan_review_sets_the_next_review_and_goes_on_the_timeline(personas, case):
    response = worker_client(personas).post(
        reverse("casework:plan_review_add", args=[case.pk]),
        {"reviewed_on": TODAY.isoformat(), "next_review_on": "2026-09-15", "note": "Going well"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.next_review_on == dt.date(2026, 9, 15)
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.PLAN_REVIEWED).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reviewed_on": "2026-06-16"}, "reviewed_on"),
        ({"next_review_on": "2026-06-15"}, "next_review_on"),
        ({"reviewed_on": "2026-01-01"}, "reviewed_on"),
    ],
)
def test_bad_review_dates_change_nothing(personas, case, fields, field):
    data = {"reviewed_on": TODAY.isoformat(), "next_review_on": ""} | fields
    response = worker_client(personas).post(
        reverse("casework:plan_review_add", args=[case.pk]), data
    )
    assert response.status_code == 400 and response.context["form"].errors[field]
    assert not PlanReview.objects.exists()
    case.refresh_from_db()
    assert case.next_review_on is None


def test_plan_api_bad_input_answers_400_at_the_field(personas, case):
    client = worker_client(personas)
    plan_actions.add_need(None, case, need=need())
    response = client.post(
        "/api/v1/case-needs/", {"case": case.pk, "need": need().pk}, content_type="application/json"
    )
    assert response.status_code == 400 and "need" in response.json()
    response = client.post(
        "/api/v1/plan-reviews/",
        {"case": case.pk, "reviewed_on": "2026-06-10", "next_review_on": "2026-06-01"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "next_review_on" in response.json()
    assert CaseNeed.objects.count() == 1 and not PlanReview.objects.exists()


def test_the_panel_marks_overdue_goals_and_shows_the_reviews(personas, case, rf):
    from django.template.loader import render_to_string

    from kinbridge.casework.views.plan import case_panel

    plan_actions.add_need(None, case, need=need(), severity=4)
    plan_actions.create_goal(
        None, case, description="Find a flat", target_date=TODAY - dt.timedelta(days=3)
    )
    plan_actions.review_plan(
        None,
        case,
        reviewed_on=TODAY - dt.timedelta(days=2),
        next_review_on=TODAY + dt.timedelta(days=30),
    )
    request = rf.get("/casework/cases/1/")
    request.user = personas["caseworker_b"]
    html = render_to_string(
        "casework/plan/_panel.html", {"panel": case_panel(request, case)}, request
    )
    assert "Housing" in html and "Critical" in html and "overdue" in html
    assert timezone.localdate() == TODAY


def test_plan_pages_and_api_lists_run_constant_queries(personas, case, assert_constant_queries):
    client = worker_client(personas)
    counter = iter(NeedType.objects.values_list("pk", flat=True))

    def grow():
        for _ in range(3):
            case_need = plan_actions.add_need(
                None, case, need=NeedType.objects.get(pk=next(counter))
            )
            plan_actions.create_goal(None, case, description="A goal", need=case_need)
            plan_actions.review_plan(None, case, reviewed_on=TODAY)

    for url in (
        reverse("casework:case_plan", args=[case.pk]),
        f"/api/v1/case-needs/?case={case.pk}",
        "/api/v1/goals/",
        "/api/v1/plan-reviews/",
    ):
        assert_constant_queries(lambda url=url: client.get(url), grow)
