"""The cards each role finds on its dashboard.

Cards without a URL describe a module that is still to come; they are shown
as upcoming and link nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinbridge.accounts.actions import current_lockouts
from kinbridge.accounts.models import Team, User
from kinbridge.accounts.roles import ROLE_SUMMARIES, Role
from kinbridge.audit.models import AuditEvent
from kinbridge.casework import caseload


@dataclass
class Card:
    title: str
    text: str
    url: str = ""
    figure: int | None = None


def _administrator_cards(user) -> list[Card]:
    since = timezone.now() - timedelta(days=1)
    return [
        Card(
            _("Users"),
            _("Active accounts. Create users, give roles and teams, unlock, reset two-factor."),
            reverse("accounts:user_list"),
            User.objects.filter(is_active=True).count(),
        ),
        Card(
            _("Teams"),
            _("Active teams. Every record is scoped by team."),
            reverse("accounts:team_list"),
            Team.objects.active().count(),
        ),
        Card(
            _("Locked out"),
            _("Accounts or addresses locked after repeated failed sign-ins."),
            reverse("accounts:lockout_list"),
            current_lockouts().count(),
        ),
        Card(
            _("Audit trail"),
            _("Events in the last 24 hours."),
            reverse("audit:event_list"),
            AuditEvent.objects.filter(at__gte=since).count(),
        ),
        Card(
            _("Roles and two-factor login"),
            _("Choose which roles must sign in with a second factor."),
            reverse("accounts:role_list"),
        ),
    ]


def _casework_cards(user, role) -> list[Card]:
    """Live casework cards: a caseworker's own caseload, a supervisor's teams."""
    if role == Role.CASEWORKER:
        return [
            Card(
                _("My caseload"),
                _("Active cases you lead or work on, and cases without recent contact."),
                reverse("casework:my_caseload"),
                caseload.active_case_count(user),
            ),
            Card(
                _("Overdue tasks"),
                _("Open tasks assigned to you that are past their due date."),
                reverse("casework:my_caseload") + "#overdue",
                caseload.overdue_task_count(user),
            ),
        ]
    if role == Role.PROGRAMME_MANAGER:
        return [
            Card(
                _("Team caseloads"),
                _("Active cases of your teams, per worker and by status."),
                reverse("casework:team_caseloads"),
                caseload.team_active_case_count(user),
            ),
            Card(
                _("Flagged cases"),
                _("Cases of your teams with an open risk flag."),
                reverse("casework:team_caseloads") + "#flagged",
                caseload.flagged_case_count(user),
            ),
        ]
    return []


UPCOMING = {
    Role.PROGRAMME_MANAGER: [
        (
            gettext_lazy("Projects and KPIs"),
            gettext_lazy("Projects, budgets and KPI targets against actuals."),
        ),
        (gettext_lazy("Funder reports"), gettext_lazy("Reports as web page, PDF and spreadsheet.")),
    ],
    Role.CASEWORKER: [
        (gettext_lazy("Referrals"), gettext_lazy("New referrals waiting for triage.")),
    ],
    Role.FACILITATOR: [
        (
            gettext_lazy("My sessions"),
            gettext_lazy("Upcoming sessions, rosters and paper registers."),
        ),
        (
            gettext_lazy("Questionnaires due"),
            gettext_lazy("Baseline, post and follow-up questionnaires to collect."),
        ),
    ],
    Role.VOLUNTEER_COORDINATOR: [
        (gettext_lazy("Volunteers"), gettext_lazy("Vetting that expires soon and availability.")),
        (gettext_lazy("Visit rota"), gettext_lazy("Escorts and drivers for upcoming visits.")),
    ],
    Role.VOLUNTEER: [
        (
            gettext_lazy("My assignments"),
            gettext_lazy("Your next visit escort, drive or distribution."),
        ),
    ],
    Role.ANALYST: [
        (
            gettext_lazy("Dashboards"),
            gettext_lazy("Aggregated figures with small numbers suppressed."),
        ),
        (gettext_lazy("Exports"), gettext_lazy("Pseudonymised exports for evaluation.")),
    ],
}


def sections_for(user) -> list[dict]:
    sections = []
    for role in user.roles:
        if role == Role.ADMINISTRATOR:
            cards = _administrator_cards(user)
        else:
            cards = _casework_cards(user, role) + [
                Card(title, _("%(text)s Arrives with a later module.") % {"text": text})
                for title, text in UPCOMING.get(role, [])
            ]
        sections.append({"role": role, "summary": ROLE_SUMMARIES[role], "cards": cards})
    return sections


def my_upcoming_sessions(user, limit: int = 5) -> list:
    """The next sessions the user facilitates (not cancelled), soonest first; one query."""
    from kinbridge.programmes.models import Session, SessionStatus

    return list(
        Session.objects.filter(facilitators=user, end__gte=timezone.now())
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("facility", "course")
        .order_by("start", "id")[:limit]
    )
