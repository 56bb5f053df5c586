"""The main navigation: what each role sees, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kinbridge.accounts.roles import Role
from kinbridge.people.models import ROLES_SEEING_PEOPLE
from kinbridge.programmes.models import PROGRAMME_READERS


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every signed-in user


NAVIGATION = [
    NavItem(_("Dashboard"), "front:dashboard"),
    NavItem(_("People"), "people:list", frozenset(ROLES_SEEING_PEOPLE)),
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
        items.append({"label": item.label, "url": url, "current": current})
    return items
