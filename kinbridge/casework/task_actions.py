"""Every change to a task: create, edit (locked by version), complete, cancel, reopen.

A task is due on a day and assigned to one casework user who sees its case (or
to no case at all). Each action checks the actor may do it, validates by field,
and writes the audit trail in the same transaction; bad input changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinbridge.audit.actions import record_created, record_updated, snapshot
from kinbridge.casework.access import (
    can_assign_without_case,
    can_be_assigned,
    can_edit_case,
    can_edit_task,
    does_casework,
)
from kinbridge.casework.locking import lock
from kinbridge.casework.models import Case, Task, TaskStatus

# What a form or the API may change on an existing task (its case stays).
EDITABLE_FIELDS = ("title", "details", "due_on", "assignee")


def _validate(actor, case: Case | None, fields: dict) -> None:
    errors = {}
    title = (fields.get("title") or "").strip()
    if not title:
        errors["title"] = _("Say what is to be done.")
    elif len(title) > Task._meta.get_field("title").max_length:
        errors["title"] = _("Keep the task to 200 characters; put the rest in the details.")
    if len(fields.get("details") or "") > Task._meta.get_field("details").max_length:
        errors["details"] = _("Keep the details to 2000 characters.")
    if not isinstance(fields.get("due_on"), dt.date):
        errors["due_on"] = _("Give the day the task is due (YYYY-MM-DD).")
    assignee = fields.get("assignee")
    if assignee is None:
        errors["assignee"] = _("Choose who will do it.")
    elif not can_be_assigned(assignee, case):
        errors["assignee"] = _("%(user)s cannot see this case; choose someone who works on it.") % {
            "user": assignee.get_full_name() or assignee.get_username()
        }
    elif case is None and actor is not None and not can_assign_without_case(actor, assignee):
        errors["assignee"] = _(
            "A task without a case goes to yourself or to someone in your teams."
        )
    if case is not None and not case.is_open:
        errors["case"] = _("The case is closed; reopen it before adding tasks.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_task(
    actor,
    *,
    title: str,
    due_on: dt.date,
    assignee,
    case: Case | None = None,
    details: str = "",
) -> Task:
    """A new open task; on a case, only those who may add to the case may create it."""
    if actor is not None:
        if not does_casework(actor):
            raise PermissionDenied
        if case is not None and not can_edit_case(actor, case):
            raise PermissionDenied
    fields = {"title": title, "details": details, "due_on": due_on, "assignee": assignee}
    _validate(actor, case, fields)
    task = Task.objects.create(
        case=case,
        title=title.strip(),
        details=(details or "").strip(),
        due_on=due_on,
        assignee=assignee,
        created_by=actor,
    )
    record_created(actor, task)
    return task


def _require_editor(actor, task: Task) -> None:
    if actor is not None and not can_edit_task(actor, task):
        raise PermissionDenied


@transaction.atomic
def update_task(actor, task: Task, *, version: int | None, **fields) -> Task:
    """Save an edit made on ``version``; StaleEdit if someone saved a newer one."""
    _require_editor(actor, task)
    fields = {name: value for name, value in fields.items() if name in EDITABLE_FIELDS}
    current = lock(Task, task.pk, version, fields)
    merged = {name: getattr(current, name) for name in EDITABLE_FIELDS} | fields
    case = Case.objects.get(pk=current.case_id) if current.case_id else None
    if current.status != TaskStatus.OPEN:
        raise ValidationError({"status": _("Reopen the task before changing it.")})
    _validate(actor, case, merged)
    before = snapshot(current)
    for name, value in fields.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    current.version += 1
    current.save()
    record_updated(actor, current, before)
    return current


def _finish(actor, task: Task, status: str, version: int | None) -> Task:
    _require_editor(actor, task)
    current = lock(Task, task.pk, version)
    if current.status != TaskStatus.OPEN:
        message = (
            _("This task is already done.")
            if current.status == TaskStatus.DONE
            else _("This task was cancelled.")
        )
        raise ValidationError({"status": message})
    before = snapshot(current)
    current.status = status
    current.completed_at = timezone.now()
    current.completed_by = actor
    current.version += 1
    current.save()
    record_updated(actor, current, before)
    return current


@transaction.atomic
def complete_task(actor, task: Task, *, version: int | None = None) -> Task:
    return _finish(actor, task, TaskStatus.DONE, version)


@transaction.atomic
def cancel_task(actor, task: Task, *, version: int | None = None) -> Task:
    return _finish(actor, task, TaskStatus.CANCELLED, version)


@transaction.atomic
def reopen_task(actor, task: Task, *, version: int | None = None) -> Task:
    """A done or cancelled task is open again (not on a closed case)."""
    _require_editor(actor, task)
    current = lock(Task, task.pk, version)
    if current.status == TaskStatus.OPEN:
        raise ValidationError({"status": _("This task is already open.")})
    if current.case_id and not Case.objects.get(pk=current.case_id).is_open:
        raise ValidationError({"case": _("The case is closed; reopen it first.")})
    before = snapshot(current)
    current.status = TaskStatus.OPEN
    current.completed_at = None
    current.completed_by = None
    current.version += 1
    current.save()
    record_updated(actor, current, before)
    return current
