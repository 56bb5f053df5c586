"""The daily digest: one e-mail a day to each worker with something due.

What is in it: their open tasks that are overdue, due today or due in the coming
week (in that order), the plan reviews of their cases due in that week, and their
cases with no service for ``settings.CASE_NO_CONTACT_DAYS`` days. Only case
references go out by e-mail, never a client's name. A user with no task or review
due gets no mail.

Sent exactly once per user and day: :func:`send_to` claims the day with a
:class:`DigestDelivery` row (unique per user and day) in the same transaction
that sends the mail, so cron (``manage.py send_digest``) and the worker's
periodic task (``casework/tasks.py``) may both run, and a run that stopped half
way can be run again: those already served are skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kinbridge.accounts.models import User
from kinbridge.accounts.roles import Role
from kinbridge.casework.models import CASE_ROLES, Case, DigestDelivery, Task

WEEK_DAYS = 7


def horizon(day: dt.date) -> dt.date:
    """The last day the digest looks ahead to: the coming week, today included."""
    return day + dt.timedelta(days=WEEK_DAYS - 1)


@dataclass
class Digest:
    user: User
    day: dt.date
    overdue: list[Task] = field(default_factory=list)
    today: list[Task] = field(default_factory=list)
    this_week: list[Task] = field(default_factory=list)
    reviews: list[Case] = field(default_factory=list)
    no_contact: list[Case] = field(default_factory=list)

    @property
    def task_count(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.this_week)

    @property
    def is_empty(self) -> bool:
        """Nothing due: no mail (cases with no contact alone do not send one)."""
        return not (self.task_count or self.reviews)


def recipients(day: dt.date):
    """Active casework users with an address, something due by the horizon and no digest
    yet for ``day`` (one query)."""
    until = horizon(day)
    tasks_due = Task.objects.open().filter(assignee=OuterRef("pk"), due_on__lte=until)
    reviews_due = Case.objects.open().filter(lead_worker=OuterRef("pk"), next_review_on__lte=until)
    sent = DigestDelivery.objects.filter(user=OuterRef("pk"), day=day)
    workers = User.objects.filter(groups__name__in=[Role.ADMINISTRATOR, *CASE_ROLES])
    return (
        User.objects.filter(is_active=True, pk__in=workers.values("pk"))
        .exclude(email="")
        .filter(Exists(tasks_due) | Exists(reviews_due))
        .exclude(Exists(sent))
        .order_by("pk")
    )


def build(user: User, day: dt.date) -> Digest:
    """What is due for ``user`` on ``day`` (three queries)."""
    until = horizon(day)
    digest = Digest(user, day)
    tasks = (
        Task.objects.open()
        .filter(assignee=user, due_on__lte=until)
        .select_related("case")
        .only("title", "due_on", "case__reference")
        .order_by("due_on", "id")
    )
    for task in tasks:
        if task.due_on < day:
            digest.overdue.append(task)
        elif task.due_on == day:
            digest.today.append(task)
        else:
            digest.this_week.append(task)
    led = Case.objects.open().filter(lead_worker=user).only("reference", "next_review_on")
    digest.reviews = list(led.filter(next_review_on__lte=until).order_by("next_review_on", "pk"))
    quiet_since = day - dt.timedelta(days=settings.CASE_NO_CONTACT_DAYS)
    digest.no_contact = list(
        led.annotate(last_contact=Max("services__date"))
        .filter(
            Q(last_contact__lt=quiet_since)
            | Q(last_contact__isnull=True, opened_on__lt=quiet_since)
        )
        .order_by("reference")
    )
    return digest


def _link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def message(digest: Digest) -> EmailMessage:
    """The e-mail, in the user's own language."""
    with translation.override(digest.user.language):
        context = {
            "digest": digest,
            "org": settings.ORGANISATION_NAME,
            "site_url": settings.SITE_URL,
            "tasks_link": _link("casework:task_list"),
            "no_contact_days": settings.CASE_NO_CONTACT_DAYS,
        }
        subject = render_to_string("casework/tasks/email/digest_subject.txt", context)
        body = render_to_string("casework/tasks/email/digest.txt", context)
    return EmailMessage(" ".join(subject.split()), body, None, [digest.user.email])


def send_to(user_id: int, day: dt.date, *, dry_run: bool = False) -> Digest | None:
    """Send ``day``'s digest to one user, unless it went already or nothing is due.

    The DigestDelivery row and the mail go together: if sending fails, the row is
    rolled back and a later run tries again; once sent, no run sends it again.
    ``dry_run`` builds the digest and sends nothing. Returns the digest sent.
    """
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return None
    with transaction.atomic():
        try:
            with transaction.atomic():
                delivery = DigestDelivery.objects.create(user=user, day=day)
        except IntegrityError:
            return None  # another run (cron or the worker) sent it
        digest = build(user, day)
        if digest.is_empty or dry_run:
            transaction.set_rollback(True)
            return None if digest.is_empty else digest
        delivery.task_count = digest.task_count
        delivery.save(update_fields=["task_count"])
        message(digest).send()
    return digest


def send_digests(day: dt.date, *, dry_run: bool = False) -> list[Digest]:
    """Everyone's digest for ``day``, one user after another (what cron runs)."""
    ids = list(recipients(day).values_list("pk", flat=True))
    return [digest for pk in ids if (digest := send_to(pk, day, dry_run=dry_run))]
