"""The tasks API: lists and filters, idempotent create, bad input, 409 on stale edits,
complete / cancel / reopen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from kinbridge.casework import task_actions
from kinbridge.casework.models import Task, TaskStatus
from kinbridge.casework.tests.tasks_setup import make_case, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_b(personas, team_b):
    return make_case(team_b, personas["caseworker_b"])


LIST = reverse("api:task-list")


@pytest.fixture
def api_client(personas):
    client = APIClient()
    client.force_login(personas["caseworker_b"])
    return client


def _ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_list_shows_mine_by_default_and_filters(api_client, personas, case_b):
    mine = make_task(personas["caseworker_b"], case=case_b, due_in=2)
    late = make_task(personas["caseworker_b"], case=case_b)
    Task.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    theirs = make_task(personas["programme_manager"], case=case_b)
    done = make_task(personas["caseworker_b"])
    task_actions.complete_task(None, done)

    assert _ids(api_client.get(LIST)) == [late.pk, done.pk, mine.pk]
    assert _ids(api_client.get(LIST, {"case": case_b.pk})) == [late.pk, theirs.pk, mine.pk]
    assert _ids(api_client.get(LIST, {"overdue": "true"})) == [late.pk]
    assert _ids(api_client.get(LIST, {"status": "done"})) == [done.pk]
    assert set(_ids(api_client.get(LIST, {"whose": "all"}))) == {
        mine.pk,
        late.pk,
        theirs.pk,
        done.pk,
    }
    row = api_client.get(LIST, {"overdue": "true"}).json()["results"][0]
    assert row["overdue"] is True and row["case_reference"] == case_b.reference
    # Another team's caseworker sees none of it.
    other = APIClient()
    other.force_login(personas["caseworker"])
    assert _ids(other.get(LIST, {"case": case_b.pk, "whose": "all"})) == []


def test_a_retried_create_makes_one_task(api_client, personas, case_b):
    body = {
        "title": "Book the visit",
        "due_on": timezone.localdate().isoformat(),
        "assignee": personas["caseworker_b"].pk,
        "case": case_b.pk,
    }
    first = api_client.post(LIST, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api_client.post(LIST, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201 and again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.json() == again.json()
    assert Task.objects.count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": ""}, "title"),
        ({"due_on": "2026-02-30"}, "due_on"),
        ({"due_on": "tomorrow"}, "due_on"),
        ({"assignee": "caseworker"}, "assignee"),
    ],
)
def test_bad_input_answers_400_by_field(api_client, personas, case_b, change, field):
    body = {
        "title": "Book the visit",
        "due_on": timezone.localdate().isoformat(),
        "assignee": personas["caseworker_b"].pk,
        "case": case_b.pk,
    }
    if change.get("assignee"):
        change = {"assignee": personas[change["assignee"]].pk}
    response = api_client.post(LIST, body | change, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Task.objects.exists()


def test_a_case_i_do_not_see_reads_as_missing(personas, case_b):
    client = APIClient()
    client.force_login(personas["caseworker"])
    response = client.post(
        LIST,
        {
            "title": "x",
            "due_on": timezone.localdate().isoformat(),
            "assignee": personas["caseworker"].pk,
            "case": case_b.pk,
        },
        format="json",
    )
    assert response.status_code == 400 and "case" in response.json()


def test_a_stale_update_answers_409_with_the_differences(api_client, personas, case_b):
    task = make_task(personas["caseworker_b"], case=case_b, title="Phone the school")
    url = reverse("api:task-detail", args=[task.pk])
    ok = api_client.patch(url, {"title": "Phone the teacher", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = api_client.patch(url, {"title": "Phone the head", "version": 1}, format="json")
    assert stale.status_code == 409
    body = stale.json()
    assert body["current"]["title"] == "Phone the teacher"
    assert body["differences"] == [
        {
            "field": "title",
            "label": "task",
            "theirs": "Phone the teacher",
            "yours": "Phone the head",
        }
    ]
    assert Task.objects.get().title == "Phone the teacher"
    assert api_client.patch(url, {"title": "No version"}, format="json").status_code == 400


def test_complete_cancel_reopen(api_client, personas, case_b):
    task = make_task(personas["caseworker_b"], case=case_b)

    def post(name, body=None):
        return api_client.post(
            reverse(f"api:task-{name}", args=[task.pk]), body or {}, format="json"
        )

    assert post("complete", {"version": 1}).json()["status"] == TaskStatus.DONE
    again = post("complete")
    assert again.status_code == 400 and again.json()["status"] == ["This task is already done."]
    assert post("reopen", {"version": 1}).status_code == 409
    assert post("reopen").json()["status"] == TaskStatus.OPEN
    assert post("cancel").json()["status"] == TaskStatus.CANCELLED


def test_the_list_runs_a_fixed_number_of_queries(
    api_client, personas, case_b, assert_constant_queries
):
    def grow():
        for number in range(3):
            make_task(personas["caseworker_b"], case=case_b, due_in=number)

    grow()
    assert_constant_queries(lambda: api_client.get(LIST, {"whose": "all"}), grow)
