"""The case workflow through the case page: every step allowed and refused, closing
with open tasks, reopening. A refused step says why at the field and changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinbridge.casework.models import (
    TRANSITIONS,
    Case,
    CaseEvent,
    CaseStatus,
    Task,
    TaskStatus,
)
from kinbridge.casework.tests.cases_setup import (
    add_task,
    make_case,
    make_family,
    open_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(team_b):
    return make_family(team_b)


@pytest.fixture
def case(personas, team_b, family):
    return make_case(personas, team_b, family)


ALL_STEPS = [(a, b) for a in CaseStatus.values for b in CaseStatus.values if a != b]
CLOSE = {"closure_reason": "goals_met", "outcome": "improved", "outcome_note": "Visits again."}


@pytest.fixture
def worker(client, personas):
    client.force_login(personas["caseworker_b"])
    return client


def _case_in(personas, team_b, family, status):
    return open_case(team_b, personas["caseworker_b"], family["mother"], status=status)


def _post(client, case, to, **data):
    return client.post(
        reverse("casework:case_transition", args=[case.pk]),
        {"to": to, "version": case.version, **data},
    )


def _state(case):
    case = Case.objects.get(pk=case.pk)
    return (case.status, case.version, case.lead_worker_id, CaseEvent.objects.count())


@pytest.mark.parametrize(
    ("start", "to"), [(a, b) for a, b in ALL_STEPS if b in TRANSITIONS[a] and a != "closed"]
)
def test_every_allowed_step_moves_the_case_and_is_on_the_timeline(
    worker, personas, team_b, family, start, to
):
    case = _case_in(personas, team_b, family, start)
    response = _post(worker, case, to, reason="Agreed with the client.", **CLOSE)
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.status == to
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.from_status, event.to_status) == (start, to)
    page = worker.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert f"{CaseStatus(start).label} → {CaseStatus(to).label}" in page


@pytest.mark.parametrize(
    ("start", "to"), [(a, b) for a, b in ALL_STEPS if b not in TRANSITIONS[a] and a != "closed"]
)
def test_every_step_not_allowed_is_refused_naming_the_allowed_ones(
    worker, personas, team_b, family, start, to
):
    case = _case_in(personas, team_b, family, start)
    before = _state(case)
    response = _post(worker, case, to, **CLOSE)
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot move to" in page
    for allowed in TRANSITIONS[start]:
        assert str(CaseStatus(allowed).label) in page
    assert _state(case) == before


@pytest.mark.parametrize("to", [s for s in CaseStatus.values if s != "closed"])
def test_a_closed_case_moves_only_by_reopening(worker, personas, team_b, family, to):
    case = _case_in(personas, team_b, family, "closed")
    before = _state(case)
    response = _post(worker, case, to)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Reopen a closed case, giving the reason." in page or "cannot move to" in page
    assert _state(case) == before


def test_moving_on_from_referral_needs_a_lead_worker(worker, personas, team_b, family):
    case = open_case(team_b, None, family["mother"])
    case.workers.add(personas["caseworker_b"])  # so the worker may act on it
    before = _state(case)
    response = _post(worker, case, "assessment")
    assert response.status_code == 400
    assert "Choose the lead worker" in response.content.decode()
    assert _state(case) == before
    response = _post(worker, case, "assessment", lead_worker=personas["caseworker_b"].pk)
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.lead_worker) == ("assessment", personas["caseworker_b"])


def test_closing_needs_a_reason_and_an_outcome(worker, personas, team_b, family):
    case = _case_in(personas, team_b, family, "closing")
    before = _state(case)
    response = _post(worker, case, "closed")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Say why the case is closed." in page
    assert "Record the outcome of the work." in page
    assert _state(case) == before


def test_closing_with_open_tasks_is_refused_listing_them(worker, personas, team_b, family):
    case = _case_in(personas, team_b, family, "closing")
    add_task(case, personas["caseworker_b"], "Ring the colony about visits")
    page = worker.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "Ring the colony about visits" in page  # the close form lists them
    assert "Carry them on without the case" in page
    before = _state(case)
    response = _post(worker, case, "closed", **CLOSE)
    assert response.status_code == 400
    assert "still has open tasks (Ring the colony about visits)" in response.content.decode()
    assert _state(case) == before
    assert Task.objects.get().status == TaskStatus.OPEN


def test_closing_can_cancel_the_open_tasks(worker, personas, team_b, family):
    case = _case_in(personas, team_b, family, "closing")
    add_task(case, personas["caseworker_b"])
    response = _post(worker, case, "closed", open_tasks="cancel", **CLOSE)
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.status, task.case_id) == (TaskStatus.CANCELLED, case.pk)
    case.refresh_from_db()
    assert (case.status, case.closure_reason, case.outcome) == ("closed", "goals_met", "improved")


def test_closing_can_carry_the_open_tasks_on_without_the_case(worker, personas, team_b, family):
    case = _case_in(personas, team_b, family, "closing")
    add_task(case, personas["caseworker_b"])
    response = _post(worker, case, "closed", open_tasks="carry", **CLOSE)
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.status, task.case_id) == (TaskStatus.OPEN, None)
    assert case.reference in task.details
    page = worker.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "Situation improved" in page and "Goals of the plan met" in page


def test_reopening_needs_a_reason(worker, personas, team_b, family):
    case = _case_in(personas, team_b, family, "closed")
    before = _state(case)
    response = worker.post(
        reverse("casework:case_reopen", args=[case.pk]), {"reason": " ", "version": case.version}
    )
    assert response.status_code == 400
    assert "Say why the case is reopened." in response.content.decode()
    assert _state(case) == before


def test_reopening_with_a_reason_goes_back_to_assessment(worker, personas, team_b, family):
    case = _case_in(personas, team_b, family, "closed")
    response = worker.post(
        reverse("casework:case_reopen", args=[case.pk]),
        {"reason": "The mother asked for help again.", "version": case.version},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.outcome) == ("assessment", None, "")
    page = worker.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "Case reopened" in page and "The mother asked for help again." in page


def test_a_step_from_an_old_page_is_refused_as_stale(worker, case):
    old_version = case.version
    _post(worker, case, "active")
    case.refresh_from_db()
    response = worker.post(
        reverse("casework:case_transition", args=[case.pk]),
        {"to": "closing", "version": old_version},
        follow=True,
    )
    assert "Someone else changed this case" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "active"


def test_only_editors_see_and_take_steps(client, personas, case):
    client.force_login(personas["facilitator"])
    assert _post(client, case, "active").status_code == 403
    client.force_login(personas["caseworker"])
    assert _post(client, case, "active").status_code == 404
    case.refresh_from_db()
    assert case.status == "assessment"
