"""What casework adds to every page's frame: the in-app counts of due tasks and of
referrals waiting for triage."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import ngettext

from kinbridge.casework.models import Referral, ReferralStatus, Task
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


def waiting_referrals_badge(request) -> Badge | None:
    """Referrals in my intake queue waiting for triage, for the "Intake" item (one query)."""
    count = Referral.objects.visible_to(request.user).filter(status=ReferralStatus.NEW).count()
    if not count:
        return None
    label = ngettext("%(count)d waiting", "%(count)d waiting", count) % {"count": count}
    return Badge(count, label)
