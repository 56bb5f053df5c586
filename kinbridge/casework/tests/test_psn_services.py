"""Services: quick entry (panel and "Log a service"), bad input, edits, API, totals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from kinbridge.audit.models import AuditEvent
from kinbridge.casework import case_actions, service_actions
from kinbridge.casework.models import Service
from kinbridge.casework.tests import psn_setup
from kinbridge.casework.tests.psn_setup import login, open_case
from kinbridge.casework.views.services import case_panel
from kinbridge.people.actions import create_person

pytestmark = pytest.mark.django_db
case, child = psn_setup.case, psn_setup.child
TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False)


def fields(**changes):
    return {
        "service_type": "counselling",
        "mode": "in_person",
        "date": TODAY.isoformat(),
        "duration_minutes": 45,
        "note": "First meeting",
    } | changes


def log(case, worker, **changes):
    values = fields(**changes)
    values["date"] = dt.date.fromisoformat(values["date"])
    return service_actions.log_service(None, case, worker=worker, **values)


def test_the_panel_logs_a_service_for_me_and_the_client(personas, case):
    client = login(Client(), personas["caseworker_b"])
    response = client.post(
        reverse("casework:service_add", args=[case.pk]), fields(next="/casework/elsewhere/")
    )
    assert response.status_code == 302 and response["Location"] == "/casework/elsewhere/"
    service = Service.objects.get()
    assert service.worker == personas["caseworker_b"] and service.recipient == case.client
    assert AuditEvent.objects.filter(object_type="casework.service", action="create").exists()


def test_a_family_member_can_receive_the_service(personas, case, child):
    client = login(Client(), personas["caseworker_b"])
    client.post(reverse("casework:service_add", args=[case.pk]), fields(recipient=child.pk))
    assert Service.objects.get().recipient == child


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date": "2026-06-16"}, "date", "cannot be dated in the future"),
        ({"date": "2026-01-01"}, "date", "a service cannot be dated before that"),
        ({"duration_minutes": 0}, "duration_minutes", "at least one minute"),
        ({"duration_minutes": -30}, "duration_minutes", "at least one minute"),
        ({"duration_minutes": 1441}, "duration_minutes", "more than 24 hours"),
        ({"duration_minutes": "an hour"}, "duration_minutes", "whole number"),
        ({"mode": "telepathy"}, "mode", "valid choice"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_saves_nothing(
    personas, case, changes, field, message
):
    client = login(Client(), personas["caseworker_b"])
    response = client.post(reverse("casework:service_add", args=[case.pk]), fields(**changes))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Service.objects.exists()


def test_a_recipient_or_worker_outside_the_case_is_refused(personas, case, team_b):
    stranger = create_person(None, teams=[team_b], given_name="Олег")
    log(case, personas["caseworker_b"])
    with pytest.raises(ValidationError) as refused:
        service_actions.log_service(
            None,
            case,
            worker=personas["caseworker"],
            recipient=stranger,
            **{k: v for k, v in fields().items() if k != "date"},
            date=TODAY,
        )
    errors = refused.value.message_dict
    assert "client or a family member" in errors["recipient"][0]
    assert "team" in errors["worker"][0]
    assert Service.objects.count() == 1


def test_a_closed_case_takes_no_services(personas, case):
    case_actions.change_status(None, case, "closing")
    case_actions.change_status(None, case, "closed", closure_reason="goals_met", outcome="improved")
    client = login(Client(), personas["caseworker_b"])
    response = client.post(reverse("casework:service_add", args=[case.pk]), fields())
    assert response.status_code == 400
    assert "closed" in " ".join(response.context["form"].non_field_errors())
    response = client.post(
        "/api/v1/services/", fields(case=case.pk), content_type="application/json"
    )
    assert response.status_code == 400 and "closed" in response.json()["case"][0]
    assert not Service.objects.exists()


def test_api_bad_input_answers_400_at_the_field(personas, case):
    client = login(Client(), personas["caseworker_b"])
    response = client.post(
        "/api/v1/services/",
        fields(case=case.pk, date="2026-07-01", duration_minutes=2000),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"date", "duration_minutes"}
    assert not Service.objects.exists()


def test_quick_entry_lists_my_open_cases_and_logs_to_the_chosen_one(personas, case, team_b):
    mine = login(Client(), personas["caseworker_b"])
    page = mine.get(reverse("casework:service_quick"))
    assert case.reference in page.content.decode()
    # The team's manager works on no case: nothing to pick from.
    manager = login(Client(), personas["programme_manager"])
    assert case.reference not in manager.get(reverse("casework:service_quick")).content.decode()
    url = f"{reverse('casework:service_quick')}?case={case.pk}"
    form_page = mine.get(url)
    assert form_page.status_code == 200 and form_page.context["form"] is not None
    response = mine.post(reverse("casework:service_quick"), fields(case=case.pk))
    assert response.status_code == 302 and response["Location"].endswith(f"?case={case.pk}")
    assert Service.objects.get().case == case


def test_quick_entry_refuses_a_case_that_is_not_mine(personas, case):
    client = login(Client(), personas["programme_manager"])
    response = client.post(reverse("casework:service_quick"), fields(case=case.pk))
    assert response.status_code == 400
    assert "Choose one of your open cases" in response.content.decode()
    assert not Service.objects.exists()


def test_the_worker_corrects_and_removes_a_service_audited(personas, case):
    service = log(case, personas["caseworker_b"])
    client = login(Client(), personas["caseworker_b"])
    response = client.post(
        reverse("casework:service_edit", args=[service.pk]), fields(duration_minutes=60)
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.duration_minutes == 60
    response = client.post(
        reverse("casework:service_edit", args=[service.pk]), fields(date="2030-01-01")
    )
    assert response.status_code == 400
    service.refresh_from_db()
    assert service.date == TODAY
    assert client.post(reverse("casework:service_delete", args=[service.pk])).status_code == 302
    assert not Service.objects.exists()
    actions = set(
        AuditEvent.objects.filter(object_type="casework.service").values_list("action", flat=True)
    )
    assert {"create", "update", "delete"} <= actions


def test_api_patch_and_delete(personas, case):
    service = log(case, personas["caseworker_b"])
    client = login(Client(), personas["programme_manager"])
    response = client.patch(
        f"/api/v1/services/{service.pk}/",
        {"duration_minutes": 0},
        content_type="application/json",
    )
    assert response.status_code == 400 and "duration_minutes" in response.json()
    response = client.patch(
        f"/api/v1/services/{service.pk}/", {"mode": "phone"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["mode"] == "phone"
    assert client.delete(f"/api/v1/services/{service.pk}/").status_code == 204
    team_a = login(Client(), personas["caseworker"])
    assert team_a.get(f"/api/v1/services/?case={case.pk}").json()["results"] == []


def test_api_creates_once_per_idempotency_key(personas, case):
    client = login(Client(), personas["caseworker_b"])
    for _ in range(2):
        response = client.post(
            "/api/v1/services/",
            fields(case=case.pk),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="same",
        )
        assert response.status_code == 201
    assert Service.objects.count() == 1


def test_the_panel_shows_totals_by_type(personas, case, rf):
    log(case, personas["caseworker_b"], duration_minutes=30)
    log(case, personas["caseworker_b"], duration_minutes=60)
    log(case, personas["caseworker_b"], service_type="escort", duration_minutes=90)
    request = rf.get(f"/casework/cases/{case.pk}/")
    request.user = personas["caseworker_b"]
    panel = case_panel(request, case)
    assert panel["totals"]["count"] == 3 and panel["totals"]["hours"] == 3.0
    assert {row["label"]: row["hours"] for row in panel["totals"]["by_type"]} == {
        "Counselling": 1.5,
        "Escort": 1.5,
    }
    html = render_to_string("casework/services/_panel.html", {"panel": panel}, request)
    assert 'list="service-durations"' in html and '<option value="90">' in html


def test_panel_pages_and_api_run_constant_queries(personas, case, rf, assert_constant_queries):
    client = login(Client(), personas["caseworker_b"])
    request = rf.get(f"/casework/cases/{case.pk}/")
    request.user = personas["caseworker_b"]

    def panel():
        render_to_string(
            "casework/services/_panel.html", {"panel": case_panel(request, case)}, request
        )

    def grow():
        for kind in ("counselling", "escort", "mediation"):
            log(case, personas["caseworker_b"], service_type=kind)

    assert_constant_queries(panel, grow)
    for url in (
        reverse("casework:case_services", args=[case.pk]),
        "/api/v1/services/",
        f"{reverse('casework:service_quick')}?case={case.pk}",
    ):
        assert_constant_queries(lambda url=url: client.get(url), grow)


def test_quick_entry_list_runs_constant_queries(personas, case, team_b, assert_constant_queries):
    client = login(Client(), personas["caseworker_b"])

    def grow():
        for _ in range(3):
            open_case(team_b, personas["caseworker_b"])

    assert_constant_queries(lambda: client.get(reverse("casework:service_quick")), grow)
