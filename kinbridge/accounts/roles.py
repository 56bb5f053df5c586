"""The roles of Kinbridge and the permissions each one holds.

A role is a Django group whose name is the role's code. Data migrations
grant permissions with :func:`grant`, so every app that adds a kind of
record says, in its own migration, which roles may do what with it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    CASEWORKER = "caseworker", _("Caseworker / psychologist")
    FACILITATOR = "facilitator", _("Facilitator / specialist")
    VOLUNTEER_COORDINATOR = "volunteer_coordinator", _("Volunteer coordinator")
    VOLUNTEER = "volunteer", _("Volunteer")
    ANALYST = "analyst", _("Analyst / funder viewer")


ROLE_SUMMARIES = {
    Role.ADMINISTRATOR: _("Users, roles, teams, settings and the audit trail."),
    Role.PROGRAMME_MANAGER: _("Projects, budgets, KPI targets and funder reports for your team."),
    Role.CASEWORKER: _("Cases, services, notes, assessments and referrals of your team."),
    Role.FACILITATOR: _("Your sessions, attendance, handouts and questionnaires."),
    Role.VOLUNTEER_COORDINATOR: _("Volunteers, vetting, the visit and transport rota."),
    Role.VOLUNTEER: _("Your own assignments: visit escort, driving, distribution."),
    Role.ANALYST: _("Dashboards and exports of pseudonymised or aggregated data."),
}

# Roles that must use two-factor login unless an administrator decides otherwise.
TWO_FACTOR_BY_DEFAULT = frozenset({Role.ADMINISTRATOR, Role.CASEWORKER})


def grant(apps, grants: dict[str, list[str]]) -> None:
    """Give each role (by code) the permissions named ``app_label.codename``.

    For data migrations: it creates the app's permissions first, since
    Django only does that after the whole migrate run.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in grants.items():
        group, _created = Group.objects.get_or_create(name=role)
        for name in names:
            app_label, codename = name.split(".", 1)
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            group.permissions.add(permission)
