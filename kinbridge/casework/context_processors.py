"""What casework adds to every page's frame: the in-app count of due tasks."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import ngettext

from kinbridge.casework.models import Task
from kinbridge.front.navigation import Badge


def due_tasks_badge(request) -> Badge | None:
    """My open tasks due today or overdue, for the "Tasks" item (one query; none: no badge)."""
    count = (
        Task.objects.open().filter(assignee=request.user, due_on__lte=timezone.localdate()).count()
    )
    if not count:
        return None
    label = ngettext("%(count)d due", "%(count)d due", count) % {"count": count}
    return Badge(count, label)
