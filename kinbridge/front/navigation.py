"""The main navigation: what each role sees, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from kinbridge.accounts.roles import Role
from kinbridge.casework.models import CASE_ROLES
from kinbridge.people.models import ROLES_SEEING_PEOPLE
from kinbridge.programmes.models import PROGRAMME_READERS


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every signed-in user
    # Dotted path to ``(request) -> Badge | None``: a count shown next to the label.
    badge: str | None = None


@dataclass(frozen=True)
class Badge:
    count: int
    label: str  # what a screen reader says after the item's name, e.g. "3 due"


CASEWORK = frozenset({Role.ADMINISTRATOR, *CASE_ROLES})

NAVIGATION = [
    NavItem(_("Dashboard"), "front:dashboard"),
    NavItem(_("People"), "people:list", frozenset(ROLES_SEEING_PEOPLE)),
    NavItem(_("Cases"), "casework:case_list", CASEWORK),
    NavItem(
        _("Intake"),
        "casework:referral_list",
        CASEWORK,
        badge="kinbridge.casework.context_processors.waiting_referrals_badge",
    ),
    NavItem(
        _("Tasks"),
        "casework:task_list",
        CASEWORK,
        badge="kinbridge.casework.context_processors.due_tasks_badge",
    ),
    NavItem(_("Projects"), "programmes:project_list", frozenset(PROGRAMME_READERS)),
    NavItem(_("Sessions"), "programmes:session_list", frozenset(PROGRAMME_READERS)),
    NavItem(_("Planning"), "custody:planning", frozenset(ROLES_SEEING_PEOPLE)),
    # Reference data about organisations: every role (volunteers escort visits).
    NavItem(_("Facilities"), "facilities:list", frozenset(Role)),
    NavItem(_("Partners"), "partners:list", frozenset(Role)),
    NavItem(_("Users"), "accounts:user_list", frozenset({Role.ADMINISTRATOR})),
    NavItem(_("Teams"), "accounts:team_list", frozenset({Role.ADMINISTRATOR})),
    NavItem(_("Audit trail"), "audit:event_list", frozenset({Role.ADMINISTRATOR})),
    NavItem(_("API"), "api:docs"),
]


@cache
def _badge_function(path: str):
    return import_string(path)


def _badge(request, item: NavItem) -> Badge | None:
    """Computed once per request, however many templates the response renders."""
    badges = request.__dict__.setdefault("_nav_badges", {})
    if item.badge not in badges:
        badges[item.badge] = _badge_function(item.badge)(request)
    return badges[item.badge]


def nav_items(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    for item in NAVIGATION:
        if item.roles is not None and not user.has_role(*item.roles):
            continue
        url = reverse(item.url_name)
        current = request.path == url or (url != "/" and request.path.startswith(url))
        badge = _badge(request, item) if item.badge else None
        items.append({"label": item.label, "url": url, "current": current, "badge": badge})
    return items
