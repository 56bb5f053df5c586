"""Task actions: who may do what, bad input changes nothing, stale edits, the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kinbridge.audit.models import AuditEvent
from kinbridge.casework import case_actions, task_actions
from kinbridge.casework.locking import StaleEdit
from kinbridge.casework.models import Task, TaskStatus
from kinbridge.casework.tests.tasks_setup import make_case, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_b(personas, team_b):
    return make_case(team_b, personas["caseworker_b"])


def test_a_worker_adds_a_task_to_a_case_and_it_is_audited(personas, case_b):
    worker = personas["caseworker_b"]
    task = task_actions.create_task(
        worker,
        case=case_b,
        title="  Book the visit  ",
        due_on=timezone.localdate(),
        assignee=personas["programme_manager"],
    )
    assert task.title == "Book the visit"
    assert task.status == TaskStatus.OPEN
    assert task.created_by == worker
    event = AuditEvent.objects.for_object(task).get()
    assert event.action == "create"
    assert event.actor == worker


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"due_on": "2026-13-45"}, "due_on"),
        ({"due_on": None}, "due_on"),
        ({"assignee": None}, "assignee"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_is_saved(personas, case_b, fields, field):
    good = {
        "title": "Book the visit",
        "due_on": timezone.localdate(),
        "assignee": personas["caseworker_b"],
    }
    with pytest.raises(ValidationError) as error:
        task_actions.create_task(personas["caseworker_b"], case=case_b, **(good | fields))
    assert field in error.value.message_dict
    assert not Task.objects.exists()


def test_the_assignee_must_see_the_case(personas, case_b):
    for someone in ("caseworker", "facilitator", "volunteer"):
        with pytest.raises(ValidationError) as error:
            make_task(personas[someone], case=case_b, actor=personas["caseworker_b"])
        assert "assignee" in error.value.message_dict
    assert not Task.objects.exists()
    # Administrators see every case; the team's manager sees the team's.
    make_task(personas["administrator"], case=case_b, actor=personas["caseworker_b"])
    make_task(personas["programme_manager"], case=case_b, actor=personas["caseworker_b"])


def test_only_those_who_work_on_the_case_may_add_to_it(personas, case_b):
    with pytest.raises(PermissionDenied):
        make_task(personas["caseworker"], case=case_b, actor=personas["caseworker"])
    with pytest.raises(PermissionDenied):
        make_task(personas["facilitator"], actor=personas["facilitator"])


def test_a_task_without_a_case_goes_to_yourself_or_a_teammate(personas):
    mine = make_task(personas["caseworker"], actor=personas["caseworker"])
    assert mine.case is None
    with pytest.raises(ValidationError) as error:
        make_task(personas["caseworker_b"], actor=personas["caseworker"])
    assert "assignee" in error.value.message_dict
    make_task(personas["caseworker_b"], actor=personas["programme_manager"])


def test_no_new_tasks_on_a_closed_case(personas, case_b):
    case_actions.change_status(None, case_b, "active")
    case_actions.change_status(None, case_b, "closing")
    case = case_actions.change_status(
        None, case_b, "closed", closure_reason="goals_met", outcome="improved"
    )
    with pytest.raises(ValidationError) as error:
        make_task(personas["caseworker_b"], case=case, actor=personas["caseworker_b"])
    assert "case" in error.value.message_dict


def test_complete_cancel_and_reopen(personas, case_b):
    worker = personas["caseworker_b"]
    task = make_task(worker, case=case_b)
    done = task_actions.complete_task(worker, task)
    assert done.status == TaskStatus.DONE
    assert done.completed_by == worker and done.completed_at is not None
    with pytest.raises(ValidationError) as error:
        task_actions.complete_task(worker, done)
    assert error.value.message_dict["status"] == ["This task is already done."]
    with pytest.raises(ValidationError):
        task_actions.cancel_task(worker, done)
    reopened = task_actions.reopen_task(worker, done)
    assert reopened.status == TaskStatus.OPEN and reopened.completed_at is None
    cancelled = task_actions.cancel_task(worker, reopened)
    assert cancelled.status == TaskStatus.CANCELLED
    assert cancelled.version == task.version + 3
    assert AuditEvent.objects.for_object(task).count() == 4


def test_another_team_may_not_complete(personas, case_b):
    task = make_task(personas["caseworker_b"], case=case_b)
    with pytest.raises(PermissionDenied):
        task_actions.complete_task(personas["caseworker"], task)
    assert Task.objects.get().status == TaskStatus.OPEN


def test_a_stale_edit_is_refused_with_the_differences(personas, case_b):
    worker, manager = personas["caseworker_b"], personas["programme_manager"]
    task = make_task(worker, case=case_b, title="Phone the school")
    task_actions.update_task(manager, task, version=task.version, title="Phone the teacher")
    with pytest.raises(StaleEdit) as stale:
        task_actions.update_task(
            worker,
            task,
            version=task.version,
            title="Phone the head",
            due_on=task.due_on + dt.timedelta(days=1),
        )
    rows = {row.field: row for row in stale.value.differences()}
    assert rows["title"].theirs == "Phone the teacher"
    assert rows["title"].yours == "Phone the head"
    assert Task.objects.get().title == "Phone the teacher"


def test_an_edit_is_checked_like_a_new_task(personas, case_b):
    task = make_task(personas["caseworker_b"], case=case_b)
    with pytest.raises(ValidationError) as error:
        task_actions.update_task(
            personas["caseworker_b"], task, version=task.version, assignee=personas["caseworker"]
        )
    assert "assignee" in error.value.message_dict
    assert Task.objects.get().assignee == personas["caseworker_b"]
