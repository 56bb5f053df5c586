"""Caseload figures: a worker's own ("my caseload") and, for supervisors, each team's
per worker with the flagged cases. Pages, the API and the dashboard cards share them.

Every function runs a fixed number of queries, whatever the number of cases,
tasks, services or workers: figures per case are subqueries, figures per worker
are summed from one row per case.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from kinbridge.accounts.models import Membership, User
from kinbridge.casework.access import risk_flags_visible_to, supervised_teams
from kinbridge.casework.models import (
    CASE_ROLES,
    OPEN_STATUSES,
    AbandonmentReason,
    Case,
    CaseStatus,
    CaseWorker,
    RiskKind,
    Service,
    Task,
    TaskStatus,
)

# Plan reviews due within this many days (or overdue) are listed on "my caseload".
REVIEW_AHEAD_DAYS = 14


def case_url(pk: int, anchor: str = "") -> str:
    """The case page (built by the cases area); "" while it does not exist."""
    try:
        return reverse("casework:case_detail", kwargs={"pk": pk}) + anchor
    except NoReverseMatch:
        return ""


def service_url(pk: int) -> str:
    """Quick entry of a service for this case, or the case page's services panel."""
    try:
        return f"{reverse('casework:service_quick')}?case={pk}"
    except NoReverseMatch:
        return case_url(pk, "#services")


def reason_labels(flag) -> list[str]:
    """The abandonment reasons of a flag, in words."""
    labels = dict(AbandonmentReason.choices)
    return [str(labels.get(reason, reason)) for reason in flag.reasons]


def _count(queryset) -> Coalesce:
    """The number of rows of ``queryset`` (filtered on OuterRef("pk")) as a subquery."""
    counted = queryset.order_by().values("case_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_figures(cases, today: dt.date):
    """Cases annotated with ``last_contact`` (latest service date), ``open_tasks`` and
    ``overdue_tasks``, each a subquery (no joins multiplying rows)."""
    latest = Service.objects.filter(case=OuterRef("pk")).order_by("-date").values("date")[:1]
    open_tasks = Task.objects.filter(case=OuterRef("pk"), status=TaskStatus.OPEN)
    return cases.annotate(
        last_contact=Subquery(latest),
        open_tasks=_count(open_tasks),
        overdue_tasks=_count(open_tasks.filter(due_on__lt=today)),
    )


def days_without_contact(case, today: dt.date) -> int:
    """Days since the last service; a case with none counts from the day it opened."""
    return (today - (case.last_contact or case.opened_on)).days


def worked_by(user) -> Q:
    """Cases the user leads or works on."""
    return Q(lead_worker=user) | Q(
        Exists(CaseWorker.objects.filter(case_id=OuterRef("pk"), user=user))
    )


def by_status(counts: dict) -> list[dict]:
    """``[{status, label, count}]`` in workflow order, zeros included."""
    return [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in CaseStatus.choices
    ]


def my_caseload(user, *, days: int, today: dt.date | None = None) -> dict:
    """The user's active cases (lead or worker), those without contact for ``days`` days,
    counts by status, their overdue tasks and the plan reviews due. Four queries."""
    today = today or timezone.localdate()
    mine = Case.objects.filter(worked_by(user))
    active = list(with_figures(mine.open(), today).select_related("client"))
    for case in active:
        case.days_since = days_without_contact(case, today)
        case.url = case_url(case.pk)
        case.service_url = service_url(case.pk)
    active.sort(key=lambda case: (-case.days_since, case.pk))
    review_by = today + dt.timedelta(days=REVIEW_AHEAD_DAYS)
    reviews = [case for case in active if case.next_review_on and case.next_review_on <= review_by]
    statuses = dict(mine.order_by().values_list("status").annotate(n=Count("pk")))
    overdue = list(
        Task.objects.open()
        .filter(assignee=user, due_on__lt=today)
        .select_related("case")
        .order_by("due_on", "id")
    )
    return {
        "today": today,
        "days": days,
        "active": active,
        "no_contact": [case for case in active if case.days_since >= days],
        "by_status": by_status(statuses),
        "overdue_tasks": overdue,
        "reviews_due": sorted(reviews, key=lambda case: (case.next_review_on, case.pk)),
    }


def _team_workers(team_ids: list[int], cases: list) -> tuple[dict, dict]:
    """Who is on each team's caseload: members with a casework role, and anyone
    assigned to one of its active cases. ``({team: {user ids}}, {user id: user})``."""
    members = Membership.objects.filter(
        team_id__in=team_ids, user__is_active=True, user__groups__name__in=CASE_ROLES
    ).values_list("team_id", "user_id")
    by_team = defaultdict(set)
    for team_id, user_id in members:
        by_team[team_id].add(user_id)
    for case in cases:
        by_team[case.team_id].update(case.worker_ids)
    user_ids = set().union(*by_team.values()) if by_team else set()
    # The members' clause keeps this one query even when no one is assigned yet.
    users = {
        user.pk: user
        for user in User.objects.filter(
            Q(memberships__team_id__in=team_ids) | Q(pk__in=user_ids)
        ).distinct()
        if user.pk in user_ids
    }
    return by_team, users


def team_caseloads(user, *, days: int, today: dt.date | None = None) -> dict:
    """Per team the user supervises: a row per worker (active cases, overdue tasks,
    cases without contact for ``days`` days), cases by status, and the open risk flags
    (oldest first, counted by kind). A fixed number of queries."""
    today = today or timezone.localdate()
    teams = list(supervised_teams(user).order_by("name"))
    team_ids = [team.pk for team in teams]
    cases = list(
        with_figures(Case.objects.open().filter(team_id__in=team_ids), today).only(
            "pk", "team_id", "lead_worker_id", "opened_on"
        )
    )
    others = defaultdict(set)
    for case_id, user_id in CaseWorker.objects.filter(
        case__team_id__in=team_ids, case__status__in=OPEN_STATUSES
    ).values_list("case_id", "user_id"):
        others[case_id].add(user_id)
    for case in cases:
        case.worker_ids = others[case.pk] | ({case.lead_worker_id} - {None})
        case.days_since = days_without_contact(case, today)
    by_team, users = _team_workers(team_ids, cases)
    overdue_by_team = Counter()
    overdue = {
        (team_id, user_id): n
        for team_id, user_id, n in Task.objects.open()
        .filter(due_on__lt=today, case__team_id__in=team_ids)
        .order_by()
        .values_list("case__team_id", "assignee_id")
        .annotate(n=Count("pk"))
    }
    for (team_id, _user_id), n in overdue.items():
        overdue_by_team[team_id] += n
    statuses = defaultdict(dict)
    for team_id, status, n in (
        Case.objects.filter(team_id__in=team_ids)
        .order_by()
        .values_list("team_id", "status")
        .annotate(n=Count("pk"))
    ):
        statuses[team_id][status] = n
    flags = list(
        risk_flags_visible_to(user)
        .filter(resolved_on__isnull=True, case__team_id__in=team_ids)
        .select_related("case", "case__client", "case__lead_worker", "case__team")
        .order_by("raised_on", "id")
    )
    for flag in flags:
        flag.days_open = (today - flag.raised_on).days
        flag.reason_labels = reason_labels(flag)
        flag.case_url = case_url(flag.case_id, "#risks")
    figures = defaultdict(Counter)
    for case in cases:
        for worker_id in case.worker_ids:
            figures[case.team_id, worker_id]["active"] += 1
            figures[case.team_id, worker_id]["no_contact"] += case.days_since >= days
    sections = []
    for team in teams:
        workers = sorted(
            (users[user_id] for user_id in by_team.get(team.pk, ()) if user_id in users),
            key=lambda worker: (worker.get_full_name() or worker.username).lower(),
        )
        rows = [
            {
                "worker": worker,
                "active": figures[team.pk, worker.pk]["active"],
                "no_contact": figures[team.pk, worker.pk]["no_contact"],
                "overdue_tasks": overdue.get((team.pk, worker.pk), 0),
            }
            for worker in workers
        ]
        team_cases = [case for case in cases if case.team_id == team.pk]
        team_flags = [flag for flag in flags if flag.case.team_id == team.pk]
        kinds = Counter(flag.kind for flag in team_flags)
        sections.append(
            {
                "team": team,
                "workers": rows,
                "active": len(team_cases),
                "no_contact": sum(case.days_since >= days for case in team_cases),
                "overdue_tasks": overdue_by_team[team.pk],
                "by_status": by_status(statuses[team.pk]),
                "flags": team_flags,
                "flags_by_kind": [
                    {"kind": value, "label": label, "count": kinds[value]}
                    for value, label in RiskKind.choices
                    if kinds[value]
                ],
            }
        )
    return {"today": today, "days": days, "teams": sections, "flags": flags}


def active_case_count(user) -> int:
    return Case.objects.open().filter(worked_by(user)).count()


def overdue_task_count(user, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return Task.objects.open().filter(assignee=user, due_on__lt=today).count()


def team_active_case_count(user) -> int:
    return Case.objects.open().filter(team__in=supervised_teams(user)).count()


def flagged_case_count(user) -> int:
    """Cases of the supervised teams with at least one open risk flag."""
    flags = risk_flags_visible_to(user).filter(
        resolved_on__isnull=True, case__team__in=supervised_teams(user)
    )
    return flags.values("case_id").distinct().count()
