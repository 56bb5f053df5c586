"""Casework's background tasks (huey; see settings.HUEY and docs/architecture.md).

The daily digest: at ``settings.DIGEST_HOUR`` local time the worker's scheduler
queues one task per user with something due; each sends that user's digest
through :func:`kinbridge.casework.digest.send_to`, the code ``manage.py
send_digest`` runs from cron. Sending is once per user and day whichever runs.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from kinbridge.casework import digest


def local_time(timestamp: dt.datetime) -> dt.datetime:
    """The scheduler's clock as local time: huey gives naive UTC when ``HUEY.utc``."""
    if HUEY.utc:
        return timestamp.replace(tzinfo=dt.UTC).astimezone(timezone.get_default_timezone())
    return timestamp


def at_digest_hour(timestamp: dt.datetime) -> bool:
    """The scheduler checks every minute: fire once, at the digest hour's first minute."""
    local = local_time(timestamp)
    return local.hour == settings.DIGEST_HOUR and local.minute == 0


@db_periodic_task(at_digest_hour)
def queue_daily_digests():
    """One ``send_daily_digest`` per user with something due today (queued, not sent here)."""
    day = timezone.localdate()
    for user_id in digest.recipients(day).values_list("pk", flat=True):
        send_daily_digest(user_id, day.isoformat())


@db_task(retries=3, retry_delay=300)
def send_daily_digest(user_id: int, day: str):
    """Send one user's digest; a retry after a failed send sends it at most once."""
    sent = digest.send_to(user_id, dt.date.fromisoformat(day))
    return sent is not None
