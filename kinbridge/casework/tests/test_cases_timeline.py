"""The case timeline: one list of everything, newest first, paged in the database,
showing each viewer only what they may see, at a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from kinbridge.accounts.roles import Role
from kinbridge.audit.models import AuditEvent
from kinbridge.casework import timeline
from kinbridge.casework.models import Note
from kinbridge.casework.tests.cases_setup import (
    SENTINEL,
    add_everything,
    add_flag,
    add_note,
    add_service,
    add_task,
    make_case,
    make_family,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(team_b):
    return make_family(team_b)


@pytest.fixture
def case(personas, team_b, family):
    return make_case(personas, team_b, family)


def test_the_timeline_merges_every_kind_newest_first(personas, case):
    worker = personas["caseworker_b"]
    add_service(case, worker, days_ago=5, note="First visit")
    add_note(case, worker, "Talked about the visits.")
    add_task(case, worker, "Book the escort", done=True)
    add_flag(case, worker)
    page = timeline.case_timeline(worker, case)
    kinds = [entry.kind for entry in page.entries]
    assert set(kinds) == {"service", "note", "task", "task_settled", "risk", "event"}
    days = [entry.day for entry in page.entries]
    assert days == sorted(days, reverse=True)
    assert kinds[-1] == "service"  # five days ago: the oldest, with the case's opening
    assert not page.has_next


def test_the_timeline_is_paged(personas, case):
    worker = personas["caseworker_b"]
    for index in range(30):
        add_service(case, worker, days_ago=index + 1)
    first = timeline.case_timeline(worker, case, 1)
    second = timeline.case_timeline(worker, case, 2)
    assert len(first.entries) == 25 and first.has_next
    assert len(second.entries) == 7 and not second.has_next  # 5 services + 2 case events
    seen = [(e.kind, e.record.pk) for e in first.entries + second.entries]
    assert len(set(seen)) == 32


def test_confidential_notes_only_for_the_cases_workers_and_each_read_audited(
    client, personas, case
):
    add_note(
        case, personas["caseworker_b"], f"{SENTINEL} mother self-harm history", confidential=True
    )
    add_note(case, personas["caseworker_b"], "Ordinary: rang the school.")
    url = reverse("casework:case_detail", args=[case.pk])
    # Team B's manager sees the case but is not one of its workers.
    client.force_login(personas["programme_manager"])
    page = client.get(url).content.decode()
    assert "Ordinary: rang the school." in page and SENTINEL not in page
    page = client.get(reverse("casework:case_timeline", args=[case.pk])).content.decode()
    assert SENTINEL not in page
    assert not AuditEvent.objects.filter(object_type="casework.note").exists()
    for persona in ("caseworker_b", "administrator"):
        client.force_login(personas[persona])
        assert SENTINEL in client.get(url).content.decode()
    note = Note.objects.get(confidential=True)
    readers = AuditEvent.objects.filter(
        action="read", object_type="casework.note", object_id=str(note.pk)
    ).values_list("actor_name", flat=True)
    assert sorted(readers) == ["admin", "caseworker_b"]


def test_risk_flags_only_for_those_who_may_see_them(client, team_b, personas, case):
    add_flag(case, personas["caseworker_b"], kind="child_abandonment")
    other = make_user("caseworker_b2", Role.CASEWORKER, [team_b])
    url = reverse("casework:case_detail", args=[case.pk])
    client.force_login(other)  # team B, not on the case, not a supervisor
    assert "Risk of child abandonment" not in client.get(url).content.decode()
    for persona in ("caseworker_b", "programme_manager"):
        client.force_login(personas[persona])
        assert "Risk of child abandonment" in client.get(url).content.decode()


def test_status_changes_show_with_their_reasons(client, personas, case):
    client.force_login(personas["caseworker_b"])
    client.post(
        reverse("casework:case_transition", args=[case.pk]),
        {"to": "closing", "version": case.version, "reason": "The family moved to Kazan."},
    )
    page = client.get(reverse("casework:case_timeline", args=[case.pk])).content.decode()
    assert "Assessment → Closing" in page and "The family moved to Kazan." in page


def test_older_entries_come_as_a_fragment_for_htmx(client, personas, case):
    for index in range(30):
        add_service(case, personas["caseworker_b"], days_ago=index + 1)
    client.force_login(personas["caseworker_b"])
    url = reverse("casework:case_timeline", args=[case.pk])
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert f'hx-get="{url}?page=2"' in page
    fragment = client.get(url, {"page": 2}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and fragment.count("timeline-entry--") == 7
    full = client.get(url, {"page": 2}).content.decode()
    assert "<html" in full and "Back to the case" in full


def test_the_timeline_costs_the_same_however_long_the_case(
    client, personas, case, assert_constant_queries
):
    worker = personas["caseworker_b"]
    add_everything(case, worker)
    client.force_login(worker)
    url = reverse("casework:case_timeline", args=[case.pk])

    def grow():
        # A long history: hundreds of older rows of every kind behind the first page.
        with time_machine.travel(timezone.now() - dt.timedelta(days=400)):
            add_everything(case, worker, 40)

    assert_constant_queries(lambda: client.get(url), grow)


def test_every_kind_on_one_page_costs_the_same_as_one_of_each(
    client, personas, case, assert_constant_queries
):
    worker = personas["caseworker_b"]
    add_everything(case, worker)
    client.force_login(worker)
    url = reverse("casework:case_timeline", args=[case.pk])
    assert_constant_queries(lambda: client.get(url), lambda: add_everything(case, worker, 2))
