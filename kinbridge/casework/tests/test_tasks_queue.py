"""The digest through huey: the periodic task fires at the digest hour (local time),
and the same task code runs through a real queue, SQLite file and Redis, taken
off the queue and executed as the consumer (``manage.py run_huey``) does."""

from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager

import pytest
import redis
from django.core import mail
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage, SqliteStorage

from kinbridge.casework.models import DigestDelivery
from kinbridge.casework.tasks import queue_daily_digests, send_daily_digest
from kinbridge.casework.tests.tasks_setup import make_case, make_task

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own, emptied afterwards


def _periodic(timestamp):
    return [type(task) for task in HUEY.read_periodic(timestamp)]


def test_the_periodic_task_fires_at_the_local_digest_hour(settings):
    settings.TIME_ZONE = "Europe/Vilnius"  # UTC+2 in November
    settings.DIGEST_HOUR = 7
    assert HUEY.utc  # the scheduler's clock is naive UTC
    assert queue_daily_digests.task_class in _periodic(dt.datetime(2026, 11, 23, 5, 0))
    for not_now in (dt.datetime(2026, 11, 23, 7, 0), dt.datetime(2026, 11, 23, 5, 1)):
        assert queue_daily_digests.task_class not in _periodic(not_now)
    settings.TIME_ZONE = "UTC"
    assert queue_daily_digests.task_class in _periodic(dt.datetime(2026, 11, 23, 7, 0))


@pytest.mark.django_db
def test_the_periodic_task_sends_each_digest_once(personas, team_b):
    """Immediate mode (as in development with KINBRIDGE_TASK_QUEUE=immediate)."""
    case = make_case(team_b, personas["caseworker_b"])
    make_task(personas["caseworker_b"], case=case)
    make_task(personas["programme_manager"], case=case)
    queue_daily_digests.call_local()
    queue_daily_digests.call_local()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [personas["caseworker_b"].email, personas["programme_manager"].email]
    )


@contextmanager
def real_queue(storage):
    """Swap the test run's immediate in-memory queue for ``storage``; restore afterwards."""
    saved = HUEY.storage, HUEY._immediate
    HUEY.storage, HUEY._immediate = storage, False
    try:
        yield
    finally:
        storage.flush_all()
        HUEY.storage, HUEY._immediate = saved


def _work_off_the_queue():
    """What the consumer does: take each task off the queue and execute it."""
    done = 0
    while (task := HUEY.dequeue()) is not None:
        HUEY.execute(task)
        done += 1
    return done


def _check_through(storage, personas, team_b):
    case = make_case(team_b, personas["caseworker_b"])
    make_task(personas["caseworker_b"], case=case, title="Queued task")
    make_task(personas["programme_manager"], case=case)
    day = timezone.localdate()
    with real_queue(storage):
        send_daily_digest(personas["caseworker_b"].pk, day.isoformat())
        assert mail.outbox == []  # queued, not run
        assert HUEY.pending_count() == 1
        assert _work_off_the_queue() == 1
        assert [m.to for m in mail.outbox] == [[personas["caseworker_b"].email]]
        assert "Queued task" in mail.outbox[0].body
        # The scheduler's task queues one task per user still to be served.
        queue_daily_digests()
        assert _work_off_the_queue() == 2  # the periodic task, then the manager's digest
        send_daily_digest(personas["caseworker_b"].pk, day.isoformat())  # a late retry
        _work_off_the_queue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [personas["caseworker_b"].email, personas["programme_manager"].email]
    )
    assert DigestDelivery.objects.filter(day=day).count() == 2


@pytest.mark.django_db(transaction=True)
def test_through_a_sqlite_file_queue(personas, team_b, tmp_path):
    storage = SqliteStorage("kinbridge-test", filename=str(tmp_path / "tasks.sqlite3"))
    _check_through(storage, personas, team_b)


@pytest.fixture
def redis_storage():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (scripts/test and .ci/run start it)")
    return RedisStorage(f"kinbridge-test-{os.getpid()}", url=REDIS_URL)


@pytest.mark.django_db(transaction=True)
def test_through_a_redis_queue(personas, team_b, redis_storage):
    _check_through(redis_storage, personas, team_b)
