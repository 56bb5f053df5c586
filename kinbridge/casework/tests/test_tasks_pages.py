"""Task pages: My tasks, add and edit forms, complete/cancel with and without htmx,
the case panel and the navigation badge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from kinbridge.casework import task_actions
from kinbridge.casework.models import Task, TaskStatus
from kinbridge.casework.tests.tasks_setup import make_case, make_task
from kinbridge.casework.views.tasks import case_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_b(personas, team_b):
    return make_case(team_b, personas["caseworker_b"])


LIST = reverse("casework:task_list")


@pytest.fixture
def worker_client(client, personas):
    client.force_login(personas["caseworker_b"])
    return client


def test_my_tasks_lists_overdue_first_then_today_then_upcoming(worker_client, personas, case_b):
    worker = personas["caseworker_b"]
    make_task(worker, case=case_b, due_in=5, title="Upcoming one")
    make_task(worker, case=case_b, due_in=0, title="Today one")
    late = make_task(worker, case=case_b, due_in=0, title="Overdue one")
    Task.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=3))
    make_task(personas["programme_manager"], case=case_b, title="Not mine")
    done = make_task(worker, case=case_b, title="Finished one")
    task_actions.complete_task(worker, done)

    page = worker_client.get(LIST).content.decode()
    positions = [page.index(title) for title in ("Overdue one", "Today one", "Upcoming one")]
    assert positions == sorted(positions)
    assert page.index("Due today") < page.index("Today one") < page.index("Upcoming")
    assert "Not mine" not in page and "Finished one" not in page

    done_page = worker_client.get(LIST, {"show": "done"}).content.decode()
    assert "Finished one" in done_page and "Today one" not in done_page


def test_the_team_filter_is_for_programme_managers(client, personas, case_b):
    make_task(personas["caseworker_b"], case=case_b, title="Team task")
    client.force_login(personas["programme_manager"])
    assert "Team task" in client.get(LIST, {"whose": "team"}).content.decode()
    assert "Team task" not in client.get(LIST).content.decode()
    client.force_login(personas["caseworker"])
    page = client.get(LIST, {"whose": "team"}).content.decode()
    assert "Team task" not in page and 'name="whose"' not in page


def test_adding_a_task_from_the_case(worker_client, personas, case_b):
    url = reverse("casework:task_create") + f"?case={case_b.pk}"
    assert worker_client.get(url).status_code == 200
    response = worker_client.post(
        url,
        {
            "title": "Send the letter",
            "due_on": timezone.localdate().isoformat(),
            "assignee": personas["caseworker_b"].pk,
            "next": "/casework/somewhere/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/casework/somewhere/"
    task = Task.objects.get()
    assert task.case == case_b and task.created_by == personas["caseworker_b"]


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"title": ""}, "title", "Say what is to be done."),
        ({"due_on": "23/11/2026x"}, "due_on", "Give the day the task is due (YYYY-MM-DD)."),
    ],
)
def test_bad_input_shows_at_the_field_and_saves_nothing(
    worker_client, personas, case_b, data, field, message
):
    good = {
        "title": "Send the letter",
        "due_on": timezone.localdate().isoformat(),
        "assignee": personas["caseworker_b"].pk,
    }
    response = worker_client.post(
        reverse("casework:task_create") + f"?case={case_b.pk}", good | data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["form"].errors[field] == [message]
    assert not Task.objects.exists()


def test_an_assignee_who_cannot_see_the_case_is_refused(worker_client, personas, case_b):
    response = worker_client.post(
        reverse("casework:task_create"),
        {
            "title": "Send the letter",
            "due_on": timezone.localdate().isoformat(),
            "assignee": personas["caseworker"].pk,
            "case": case_b.pk,
        },
    )
    assert response.status_code == 400
    assert "cannot see this case" in response.context["form"].errors["assignee"][0]
    assert not Task.objects.exists()


def test_a_stale_edit_shows_what_changed_and_keeps_my_input(worker_client, personas, case_b):
    task = make_task(personas["caseworker_b"], case=case_b, title="Phone the school")
    task_actions.update_task(
        personas["programme_manager"], task, version=task.version, title="Phone the teacher"
    )
    url = reverse("casework:task_edit", args=[task.pk])
    data = {
        "title": "Phone the head",
        "due_on": task.due_on.isoformat(),
        "assignee": task.assignee_id,
        "version": task.version,
    }
    response = worker_client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else saved this task" in page
    assert "Phone the teacher" in page and 'value="Phone the head"' in page
    assert Task.objects.get().title == "Phone the teacher"
    # Saving again, having seen their values, keeps mine.
    data["version"] = response.context["form"].data["version"]
    assert worker_client.post(url, data).status_code == 302
    assert Task.objects.get().title == "Phone the head"


def test_complete_without_javascript_and_with_htmx(worker_client, personas, case_b):
    first = make_task(personas["caseworker_b"], case=case_b, title="First")
    second = make_task(personas["caseworker_b"], case=case_b, title="Second")
    response = worker_client.post(reverse("casework:task_complete", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == LIST
    response = worker_client.post(
        reverse("casework:task_cancel", args=[second.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    row = response.content.decode()
    assert row.startswith('<tr id="task-') and "Cancelled" in row and "Reopen" in row
    statuses = dict(Task.objects.values_list("title", "status"))
    assert statuses == {"First": TaskStatus.DONE, "Second": TaskStatus.CANCELLED}
    # Completing a done task: told so, nothing changes.
    response = worker_client.post(
        reverse("casework:task_complete", args=[first.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400 and "already done" in response.content.decode()


def test_the_badge_counts_my_tasks_due_today_or_overdue(worker_client, personas, case_b):
    worker = personas["caseworker_b"]
    assert "due)" not in worker_client.get(LIST).content.decode()
    make_task(worker, case=case_b, due_in=0)
    late = make_task(worker, case=case_b, due_in=0)
    Task.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    make_task(worker, case=case_b, due_in=3)
    make_task(personas["programme_manager"], case=case_b, due_in=0)
    page = worker_client.get(reverse("front:dashboard")).content.decode()
    assert '<span class="badge badge--warn" aria-hidden="true">2</span>' in page
    assert '<span class="visually-hidden">(2 due)</span>' in page


def test_the_case_panel_lists_open_tasks_with_a_quick_add_form(personas, case_b):
    worker = personas["caseworker_b"]
    make_task(worker, case=case_b, title="Open one")
    task_actions.complete_task(worker, make_task(worker, case=case_b, title="Done one"))
    request = RequestFactory().get(f"/casework/cases/{case_b.pk}/")
    request.user = worker
    html = render_to_string(
        "casework/tasks/_panel.html", {"panel": case_panel(request, case_b)}, request
    )
    assert "Open one" in html and "Done one" not in html
    assert f'name="case_pk" value="{case_b.pk}"' in html


def _grow(personas, case, count=3):
    def grow():
        for number in range(count):
            make_task(personas["caseworker_b"], case=case, due_in=number - 1, title=f"T{number}")

    return grow


def test_query_counts_stay_constant(
    worker_client, client, personas, case_b, assert_constant_queries
):
    grow = _grow(personas, case_b)
    grow()  # lists with rows: an empty page runs no row query at all
    assert_constant_queries(lambda: worker_client.get(LIST), grow)
    assert_constant_queries(lambda: worker_client.get(reverse("front:dashboard")), grow)
    client.force_login(personas["programme_manager"])
    assert_constant_queries(lambda: client.get(LIST, {"whose": "team"}), grow)
    request = RequestFactory().get("/")
    request.user = personas["caseworker_b"]

    def panel():
        render_to_string(
            "casework/tasks/_panel.html", {"panel": case_panel(request, case_b)}, request
        )

    assert_constant_queries(panel, grow)
