"""The daily digest on frozen time: who gets what, in which order and language, exactly
once per user and day, and never a client's name."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command

from conftest import make_user
from kinbridge.accounts.roles import Role
from kinbridge.casework import digest, task_actions
from kinbridge.casework.models import Case, DigestDelivery, Task
from kinbridge.casework.tests.tasks_setup import CLIENT_NAME, make_case, make_task

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)  # a Monday
DAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(personas, team_b):
    """caseworker_b: overdue, today, this week, later and done tasks, a review due.
    A Russian-speaking caseworker with one task today; the manager with a task next
    month only; the administrator with nothing."""
    worker = personas["caseworker_b"]
    case = make_case(team_b, worker)
    Case.objects.filter(pk=case.pk).update(next_review_on=DAY + dt.timedelta(days=2))
    make_task(worker, case=case, due_in=3, title="Week task")
    make_task(worker, case=case, due_in=0, title="Today task")
    late = make_task(worker, case=case, due_in=0, title="Overdue task")
    Task.objects.filter(pk=late.pk).update(due_on=DAY - dt.timedelta(days=4))
    make_task(worker, case=case, due_in=7, title="Later task")
    task_actions.complete_task(None, make_task(worker, case=case, due_in=0, title="Done task"))
    russian = make_user("olga", Role.CASEWORKER, [team_b], language="ru")
    make_task(russian, case=case, due_in=0, title="Russian task")
    make_task(personas["programme_manager"], case=case, due_in=30, title="Next month")
    return {"case": case, "worker": worker, "russian": russian}


def _mail_to(user):
    [message] = [m for m in mail.outbox if m.to == [user.email]]
    return message


def test_who_gets_what(world, personas):
    sent = digest.send_digests(DAY)
    assert {d.user for d in sent} == {world["worker"], world["russian"]}
    assert len(mail.outbox) == 2
    body = _mail_to(world["worker"]).body
    for title in ("Overdue task", "Today task", "Week task"):
        assert title in body
    assert "Later task" not in body and "Done task" not in body
    # Overdue first, then today, then the rest of the week; then the plan review.
    order = [body.index(text) for text in ("Overdue task", "Today task", "Week task")]
    assert order == sorted(order)
    assert body.index("Overdue\n") < body.index("Due today\n") < body.index("Due this week\n")
    assert body.index("Plan reviews due") > order[-1]
    assert "/casework/tasks/" in body
    subject = _mail_to(world["worker"]).subject
    assert "3 tasks due this week" in subject and "(1 overdue)" in subject


def test_case_references_only_never_the_client_name(world):
    digest.send_digests(DAY)
    for message in mail.outbox:
        assert world["case"].reference in message.body
        assert CLIENT_NAME not in message.body and CLIENT_NAME not in message.subject
        assert "Petrova" not in message.body


def test_each_in_their_own_language(world):
    digest.send_digests(DAY)
    assert "ноября" in _mail_to(world["russian"]).body  # "23 November" in Russian
    assert "Nov. 23, 2026" in _mail_to(world["worker"]).body


def test_sent_exactly_once_per_user_and_day(world):
    digest.send_digests(DAY)
    assert digest.send_digests(DAY) == []
    call_command("send_digest")
    assert len(mail.outbox) == 2
    assert DigestDelivery.objects.filter(day=DAY).count() == 2
    delivery = DigestDelivery.objects.get(user=world["worker"])
    assert delivery.task_count == 3
    # Tomorrow is another day.
    digest.send_digests(DAY + dt.timedelta(days=1))
    assert len(mail.outbox) == 4


def test_a_run_that_crashed_half_way_is_run_again_without_repeats(world):
    real_send = EmailMessage.send

    def fail_for_olga(message, *args, **kwargs):
        if message.to == [world["russian"].email]:
            raise ConnectionError("mail server went away")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(EmailMessage, "send", fail_for_olga), pytest.raises(ConnectionError):
        digest.send_digests(DAY)
    assert [m.to for m in mail.outbox] == [[world["worker"].email]]
    assert not DigestDelivery.objects.filter(user=world["russian"]).exists()
    digest.send_digests(DAY)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world["worker"].email, world["russian"].email]
    )


def test_nothing_due_no_mail(personas, team_b):
    make_case(team_b, personas["caseworker_b"])  # a case with no contact, but nothing due
    make_task(personas["programme_manager"], due_in=8)
    assert digest.send_digests(DAY) == []
    assert mail.outbox == []
    assert not DigestDelivery.objects.exists()


def test_inactive_users_and_users_without_an_address_get_nothing(world):
    world["worker"].is_active = False
    world["worker"].save()
    world["russian"].email = ""
    world["russian"].save()
    assert digest.send_digests(DAY) == []
    assert mail.outbox == []


def test_the_command_dry_run_sends_nothing(world, capsys):
    call_command("send_digest", "--dry-run", "--date", DAY.isoformat())
    out = capsys.readouterr().out
    assert "caseworker_b: 1 overdue, 1 today, 1 this week, 1 plan reviews" in out
    assert "would send 2 digest(s)" in out
    assert mail.outbox == []
    assert not DigestDelivery.objects.exists()
    with pytest.raises(CommandError):
        call_command("send_digest", "--date", "23/11/2026")


def test_the_command_sends_for_another_day(world):
    call_command("send_digest", "--date", (DAY + dt.timedelta(days=1)).isoformat())
    assert DigestDelivery.objects.filter(day=DAY + dt.timedelta(days=1)).count() == 2
