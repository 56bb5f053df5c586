"""The cases API: list and read, idempotent create, stale updates (409), the workflow
steps, the timeline (confidential notes only for the case's workers), workers and
family members."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from kinbridge.audit.models import AuditEvent
from kinbridge.casework import case_actions
from kinbridge.casework.models import Case, CaseEvent, Task, TaskStatus
from kinbridge.casework.tests.cases_setup import (
    SENTINEL,
    add_everything,
    add_note,
    add_task,
    make_case,
    make_family,
    open_case,
)
from kinbridge.people.actions import create_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(team_b):
    return make_family(team_b)


@pytest.fixture
def case(personas, team_b, family):
    return make_case(personas, team_b, family)


class APIClient(Client):
    """Django's test client sending JSON (a signed-in session, as the browser has)."""

    def force_authenticate(self, user):
        self.force_login(user)

    def post(self, path, data=None, **extra):
        return super().post(path, data or {}, content_type="application/json", **extra)

    def patch(self, path, data=None, **extra):
        return super().patch(path, data or {}, content_type="application/json", **extra)


@pytest.fixture
def api(personas):
    client = APIClient()
    client.force_authenticate(personas["caseworker_b"])
    return client


def _url(case=None, action=""):
    base = "/api/v1/cases/" + (f"{case.pk}/" if case else "")
    return base + (f"{action}/" if action else "")


def test_the_list_filters_and_shows_only_visible_cases(api, personas, team_a, team_b, family, case):
    closed = open_case(team_b, personas["caseworker_b"], family["son"], status="closed")
    stranger = create_person(None, teams=[team_a], given_name="Ольга")
    open_case(team_a, personas["caseworker"], stranger)
    refs = {row["reference"] for row in api.get(_url()).json()["results"]}
    assert refs == {case.reference, closed.reference}
    rows = api.get(_url(), {"status": "open"}).json()["results"]
    assert [row["reference"] for row in rows] == [case.reference]
    assert rows[0]["client_name"] == "Мария Иванова"
    assert rows[0]["members"][0]["role_in_case"] == "son"


def test_reading_a_case_is_audited(api, case):
    response = api.get(_url(case))
    assert response.status_code == 200
    assert response.json()["allowed_transitions"] == ["active", "closing"]
    assert AuditEvent.objects.filter(
        action="read", object_type="casework.case", object_id=str(case.pk)
    ).exists()


def _create_body(personas, team_b, family):
    return {
        "client": family["mother"].pk,
        "team": team_b.pk,
        "case_type": "targeted_assistance",
        "lead_worker": personas["caseworker_b"].pk,
        "members": [{"person": family["son"].pk, "role_in_case": "son"}],
        "summary": "Relative asks about visits.",
    }


def test_a_retried_create_makes_one_case(api, personas, team_b, family):
    body = _create_body(personas, team_b, family)
    first = api.post(_url(), body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(_url(), body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["reference"] == again.json()["reference"]
    assert Case.objects.count() == 1
    different = api.post(_url(), body | {"summary": "Another"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert different.status_code == 422
    assert Case.objects.count() == 1


def test_a_create_with_bad_input_answers_by_field(api, personas, team_a, team_b, family):
    body = _create_body(personas, team_b, family)
    response = api.post(_url(), body | {"team": team_a.pk})
    assert response.status_code == 400 and "team" in response.json()
    future = (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat()
    response = api.post(_url(), body | {"opened_on": future})
    assert response.status_code == 400
    assert response.json()["opened_on"] == ["A case cannot be opened in the future."]
    assert not Case.objects.exists()


def test_a_stale_update_answers_409_with_the_differences(api, personas, case):
    version = case.version
    case_actions.update_case(
        personas["programme_manager"], case, version=version, summary="Their summary."
    )
    response = api.patch(_url(case), {"version": version, "summary": "My summary."})
    assert response.status_code == 409
    body = response.json()
    assert body["current"]["summary"] == "Their summary."
    assert body["differences"] == [
        {
            "field": "summary",
            "label": "presenting situation",
            "theirs": "Their summary.",
            "yours": "My summary.",
        }
    ]
    case.refresh_from_db()
    assert case.summary == "Their summary."
    response = api.patch(
        _url(case),
        {"version": body["current"]["version"], "summary": "My summary."},
    )
    assert response.status_code == 200 and response.json()["summary"] == "My summary."


def test_a_step_not_allowed_is_refused_naming_the_allowed_ones(api, case):
    events = CaseEvent.objects.count()
    response = api.post(_url(case, "transition"), {"to": "closed"})
    assert response.status_code == 400
    assert "It can move to: Active, Closing." in response.json()["status"][0]
    case.refresh_from_db()
    assert case.status == "assessment" and CaseEvent.objects.count() == events


def test_closing_with_open_tasks_through_the_api(api, personas, team_b, family):
    case = open_case(team_b, personas["caseworker_b"], family["mother"], status="closing")
    add_task(case, personas["caseworker_b"])
    close = {"to": "closed", "closure_reason": "client_ended", "outcome": "not_known"}
    response = api.post(_url(case, "transition"), close)
    assert response.status_code == 400 and "open_tasks" in response.json()
    response = api.post(_url(case, "transition"), close | {"open_tasks": "cancel"})
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert Task.objects.get().status == TaskStatus.CANCELLED


def test_reopening_through_the_api(api, personas, team_b, family):
    case = open_case(team_b, personas["caseworker_b"], family["mother"], status="closed")
    response = api.post(_url(case, "reopen"), {"reason": ""})
    assert response.status_code == 400 and "reason" in response.json()
    response = api.post(_url(case, "reopen"), {"reason": "Asked again."})
    assert response.status_code == 200 and response.json()["status"] == "assessment"


def test_the_timeline_hides_confidential_notes_from_non_workers(personas, case):
    add_note(case, personas["caseworker_b"], f"{SENTINEL} note", confidential=True)
    add_note(case, personas["caseworker_b"], "Ordinary note")
    manager = APIClient()
    manager.force_authenticate(personas["programme_manager"])
    response = manager.get(_url(case, "timeline"))
    assert response.status_code == 200
    assert SENTINEL not in response.content.decode()
    assert "Ordinary note" in response.content.decode()
    worker = APIClient()
    worker.force_authenticate(personas["caseworker_b"])
    entries = worker.get(_url(case, "timeline")).json()["results"]
    notes = [e for e in entries if e["kind"] == "note"]
    assert {n["summary"]["confidential"] for n in notes} == {True, False}


def test_the_timeline_is_paged(api, personas, case):
    add_everything(case, personas["caseworker_b"], 4)
    first = api.get(_url(case, "timeline")).json()
    assert len(first["results"]) == 25 and first["next"].endswith("?page=2")
    second = api.get(first["next"]).json()
    assert second["next"] is None and second["page"] == 2


def test_workers_and_members_through_the_api(api, personas, family, case):
    manager = personas["programme_manager"]
    response = api.post(_url(case, "workers"), {"user": manager.pk})
    assert response.status_code == 201 and response.json()["workers"] == [manager.pk]
    response = api.post(_url(case, "workers/remove"), {"user": manager.pk})
    assert response.status_code == 200 and response.json()["workers"] == []
    grandmother = family["grandmother"]
    response = api.post(_url(case, "members"), {"person": grandmother.pk})
    assert response.status_code == 201
    response = api.post(_url(case, "members/remove"), {"person": grandmother.pk})
    assert [m["person"] for m in response.json()["members"]] == [family["son"].pk]


def test_roles_without_casework_get_403_and_other_teams_404(personas, case):
    for persona, status in (("analyst", 403), ("volunteer", 403), ("caseworker", 404)):
        client = APIClient()
        client.force_authenticate(personas[persona])
        assert client.get(_url(case)).status_code == status
        assert client.get(_url(case, "timeline")).status_code == status


def test_the_list_costs_the_same_however_many_cases(
    api, personas, team_b, family, case, assert_constant_queries
):
    def grow():
        for _index in range(5):
            other = open_case(
                team_b, personas["caseworker_b"], family["mother"], members=[(family["son"], "")]
            )
            other.workers.add(personas["programme_manager"])

    assert_constant_queries(lambda: api.get(_url()), grow)


def test_the_schema_documents_the_cases_endpoints(api, personas):
    client = APIClient()
    client.force_authenticate(personas["administrator"])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/cases/",
        "/api/v1/cases/{id}/transition/",
        "/api/v1/cases/{id}/timeline/",
    ):
        assert path in schema["paths"]
