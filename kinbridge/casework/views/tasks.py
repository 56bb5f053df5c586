"""Casework pages: tasks ("My tasks", add, edit, complete, cancel, reopen) and the
case page's tasks panel. Completing or cancelling from a list answers htmx with
the updated row; without JavaScript the same form posts and comes back."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case as Choose
from django.db.models import CharField, Value, When
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinbridge.casework import task_actions
from kinbridge.casework.access import (
    can_edit_case,
    can_edit_task,
    get_case_for_user,
    get_task_for_user,
    is_supervisor,
    require_casework,
    team_tasks,
)
from kinbridge.casework.forms_tasks import TaskForm
from kinbridge.casework.locking import StaleEdit
from kinbridge.casework.models import Task, TaskStatus
from kinbridge.casework.views.common import apply_errors, next_url

PAGE_SIZE = 50


def _when(today: dt.date):
    """Overdue, today or upcoming: the sections of an open-task list."""
    return Choose(
        When(due_on__lt=today, then=Value("overdue")),
        When(due_on=today, then=Value("today")),
        default=Value("upcoming"),
        output_field=CharField(),
    )


def open_tasks_by_due(tasks, today: dt.date):
    """Open tasks, overdue first, then due today, then upcoming (earliest first)."""
    return tasks.open().annotate(when=_when(today)).order_by("due_on", "id")


@login_required
def task_list(request):
    """My tasks (or, for programme managers, my team's): open by due date, or done."""
    require_casework(request.user)
    user = request.user
    today = timezone.localdate()
    team = request.GET.get("whose") == "team" and is_supervisor(user)
    done = request.GET.get("show") == "done"
    tasks = team_tasks(user) if team else Task.objects.filter(assignee=user)
    tasks = tasks.select_related("case", "assignee")
    if done:
        tasks = tasks.exclude(status=TaskStatus.OPEN).order_by("-completed_at", "-id")
    else:
        tasks = open_tasks_by_due(tasks, today)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "casework/tasks/task_list.html",
        {
            "page": page,
            "tasks": page.object_list,
            "done": done,
            "team": team,
            "filters": {"show": "done" if done else "", "whose": "team" if team else ""},
            "sees_team": is_supervisor(user),
            "today": today,
        },
    )


@login_required
def task_create(request):
    """A new task; ``?case=<pk>`` ties it to that case (from the case page)."""
    require_casework(request.user)
    case = None
    case_pk = request.POST.get("case_pk") or request.GET.get("case")
    if case_pk:
        case = get_case_for_user(request, case_pk, audit=False)
        if not can_edit_case(request.user, case):
            raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = TaskForm(data, user=request.user, case=case)
    if data is not None and form.is_valid():
        fields = form.action_fields()
        fields["case"] = case or fields.get("case")
        try:
            task_actions.create_task(request.user, **fields)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Task added."))
            return redirect(next_url(request, reverse("casework:task_list")))
    status = 400 if form.errors else 200
    return render(
        request,
        "casework/tasks/task_form.html",
        {"form": form, "case": case, "next": next_url(request, "")},
        status=status,
    )


@login_required
def task_edit(request, pk):
    task = get_task_for_user(request, pk)
    if not can_edit_task(request.user, task):
        raise PermissionDenied
    data = request.POST.copy() if request.method == "POST" else None
    form = TaskForm(data, user=request.user, case=task.case, task=task)
    differences = None
    if data is not None and form.is_valid():
        try:
            task_actions.update_task(
                request.user,
                task,
                version=form.cleaned_data["version"] or 0,
                **form.action_fields(),
            )
        except StaleEdit as stale:
            differences = stale.differences()
            # Saving again overwrites the other person's version, knowingly.
            data["version"] = stale.current.version
            form.add_error(
                None,
                _(
                    "Someone else saved this task while you were editing; nothing was saved. "
                    "Their values are shown next to yours: save again to keep yours."
                ),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(next_url(request, reverse("casework:task_list")))
    return render(
        request,
        "casework/tasks/task_form.html",
        {
            "form": form,
            "task": task,
            "case": task.case,
            "differences": differences,
            "next": next_url(request, ""),
        },
        status=400 if form.errors else 200,
    )


def _change(request, pk, action, done_message):
    """Complete, cancel or reopen; htmx gets the task's row, a plain form a redirect."""
    task = get_task_for_user(request, pk)
    if not can_edit_task(request.user, task):
        raise PermissionDenied
    version = request.POST.get("version", "")
    error = None
    try:
        task = action(request.user, task, version=int(version) if version.isdigit() else None)
    except StaleEdit:
        error = _("Someone else changed this task meanwhile; here it is as it is now.")
        task = get_task_for_user(request, pk)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        return render(
            request,
            "casework/tasks/_row.html",
            {
                "task": task,
                "error": error,
                "today": timezone.localdate(),
                "team": request.POST.get("team") == "1",
                "next": next_url(request, ""),
            },
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done_message)
    return redirect(next_url(request, reverse("casework:task_list")))


@login_required
@require_POST
def task_complete(request, pk):
    return _change(request, pk, task_actions.complete_task, _("Task done."))


@login_required
@require_POST
def task_cancel(request, pk):
    return _change(request, pk, task_actions.cancel_task, _("Task cancelled."))


@login_required
@require_POST
def task_reopen(request, pk):
    return _change(request, pk, task_actions.reopen_task, _("Task reopened."))


def case_panel(request, case) -> dict:
    """The case's open tasks and a quick add form: two queries, whatever the rows."""
    today = timezone.localdate()
    tasks = list(
        open_tasks_by_due(Task.objects.filter(case=case), today).select_related("assignee")
    )
    can_add = case.is_open and can_edit_case(request.user, case)
    return {
        "case": case,
        "tasks": tasks,
        "today": today,
        "can_add": can_add,
        "form": TaskForm(user=request.user, case=case, auto_id="task_%s") if can_add else None,
        "next": request.get_full_path(),
    }


urlpatterns: list = [
    path("tasks/", task_list, name="task_list"),
    path("tasks/new/", task_create, name="task_create"),
    path("tasks/<int:pk>/edit/", task_edit, name="task_edit"),
    path("tasks/<int:pk>/complete/", task_complete, name="task_complete"),
    path("tasks/<int:pk>/cancel/", task_cancel, name="task_cancel"),
    path("tasks/<int:pk>/reopen/", task_reopen, name="task_reopen"),
]
