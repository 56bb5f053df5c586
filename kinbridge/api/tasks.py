"""The API's background housekeeping (huey: see settings.HUEY)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kinbridge.api.housekeeping import clear_idempotency_keys


@db_periodic_task(crontab(minute="17", hour="3"))
def clear_old_idempotency_keys():
    return clear_idempotency_keys()
