"""One merged timeline per case, newest first: services, notes, status changes and other
case events, tasks, referrals in and out, risk flags (and, from issue 6, assessments).

Every kind of record is a *source*: a queryset of the case's rows reduced to four
common columns (kind, pk, day, at). The sources are joined with UNION ALL, ordered
and sliced in the database, and each page's rows are then fetched in one query per
kind. A page therefore costs a fixed number of queries however long the case runs,
on SQLite and PostgreSQL alike.

``day`` is the date the thing happened (a service's date, a referral's sent date);
``at`` orders the rows of one day (when it was recorded). Access decides what
enters the union at all: notes come from :func:`access.notes_for`, risk flags
only for those who may see them, and each confidential note shown is an audited
read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, DateField, DateTimeField, F, QuerySet, Value
from django.db.models.functions import Cast, TruncDate

from kinbridge.casework import access
from kinbridge.casework.models import (
    Case,
    CaseEvent,
    Note,
    Referral,
    ReferralOut,
    RiskFlag,
    Service,
    Task,
    TaskStatus,
)

PAGE_SIZE = 25


@dataclass(frozen=True)
class Viewer:
    """What the viewer may see of one case (each rule asked once per page)."""

    user: object
    case: Case
    sees_risks: bool


@dataclass(frozen=True)
class Source:
    """One kind of timeline entry.

    ``rows(viewer)`` gives the case's rows of this kind that the viewer may see, or
    None; ``day`` and ``at`` are the expressions placing a row on the timeline;
    ``fetch(pks)`` loads the page's records of this kind in one query.
    """

    kind: str
    rows: Callable[[Viewer], QuerySet | None]
    day: object
    at: object
    fetch: Callable[[list[int]], dict]


@dataclass(frozen=True)
class Entry:
    kind: str
    day: dt.date
    at: dt.datetime | None
    record: object


def _bulk(queryset: QuerySet) -> Callable[[list[int]], dict]:
    return lambda pks: queryset.in_bulk(pks) if pks else {}


SOURCES: list[Source] = [
    Source(
        "service",
        lambda v: Service.objects.filter(case=v.case),
        F("date"),
        F("created_at"),
        _bulk(Service.objects.select_related("worker", "recipient")),
    ),
    Source(
        "note",
        lambda v: access.notes_for(v.user, v.case),
        TruncDate("created_at"),
        F("created_at"),
        _bulk(Note.objects.select_related("author")),
    ),
    Source(
        "event",
        lambda v: CaseEvent.objects.filter(case=v.case),
        TruncDate("at"),
        F("at"),
        _bulk(CaseEvent.objects.select_related("by")),
    ),
    Source(
        "task",
        lambda v: Task.objects.filter(case=v.case),
        TruncDate("created_at"),
        F("created_at"),
        _bulk(Task.objects.select_related("assignee", "created_by")),
    ),
    # A task done or cancelled is a second entry, on the day it was settled. (A task
    # carried on when its case closed leaves the case, and so its timeline.)
    Source(
        "task_settled",
        lambda v: Task.objects.filter(case=v.case).exclude(status=TaskStatus.OPEN),
        TruncDate("completed_at"),
        F("completed_at"),
        _bulk(Task.objects.select_related("assignee", "completed_by")),
    ),
    Source(
        "referral_in",
        lambda v: Referral.objects.filter(case=v.case),
        F("received_on"),
        F("created_at"),
        _bulk(Referral.objects.select_related("partner", "facility")),
    ),
    Source(
        "referral_out",
        lambda v: ReferralOut.objects.filter(case=v.case),
        F("sent_on"),
        F("created_at"),
        _bulk(ReferralOut.objects.select_related("partner", "created_by")),
    ),
    Source(
        "risk",
        lambda v: RiskFlag.objects.filter(case=v.case) if v.sees_risks else None,
        F("raised_on"),
        Cast("raised_on", DateTimeField()),
        _bulk(RiskFlag.objects.select_related("raised_by", "resolved_by")),
    ),
    # Issue 6 (assessments) adds its Source here: rows of the case's assessments with
    # their day and time, and a bulk fetch; the template shows kind "assessment".
]


def _columns(source: Source, queryset: QuerySet) -> QuerySet:
    # Every column is an annotation, so all parts of the UNION list them in one order.
    return (
        queryset.order_by()
        .annotate(
            tl_kind=Value(source.kind, output_field=CharField()),
            tl_pk=F("pk"),
            tl_day=Cast(source.day, DateField()),
            tl_at=Cast(source.at, DateTimeField()),
        )
        .values_list("tl_kind", "tl_pk", "tl_day", "tl_at")
    )


@dataclass
class Page:
    entries: list[Entry]
    number: int
    has_next: bool

    @property
    def next_number(self) -> int:
        return self.number + 1


def page_number(value) -> int:
    try:
        return max(1, min(int(value), 10_000))
    except (TypeError, ValueError):
        return 1


def case_timeline(user, case: Case, page: int = 1, size: int = PAGE_SIZE) -> Page:
    """Entries ``page`` (1-based) of ``case``'s timeline as ``user`` may see it."""
    viewer = Viewer(user, case, access.can_see_risk_flags(user, case))
    parts = []
    for source in SOURCES:
        rows = source.rows(viewer)
        if rows is not None:
            parts.append(_columns(source, rows))
    union = parts[0].union(*parts[1:], all=True).order_by("-tl_day", "-tl_at", "-tl_pk")
    start = (page - 1) * size
    rows = list(union[start : start + size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    by_kind: dict[str, list[int]] = {}
    for kind, pk, _day, _at in rows:
        by_kind.setdefault(kind, []).append(pk)
    records = {s.kind: s.fetch(by_kind[s.kind]) for s in SOURCES if s.kind in by_kind}
    entries = [
        Entry(kind, day, at, records[kind][pk]) for kind, pk, day, at in rows if pk in records[kind]
    ]
    access.audit_note_reads(user, [e.record for e in entries if e.kind == "note"])
    return Page(entries, page, has_next)
