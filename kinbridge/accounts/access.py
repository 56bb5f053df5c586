"""Who may see and do what with accounts, teams and regions.

One helper per kind of record: lists use the ``visible_to`` querysets, single
records go through ``get_*_for_user``, which answers 404 when the record is
not visible (never 403, which would confirm that it exists).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django_otp import user_has_device

from kinbridge.accounts.models import Region, RolePolicy, Team, User
from kinbridge.accounts.roles import Role


def is_administrator(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_role(Role.ADMINISTRATOR))


def require_administrator(user) -> None:
    if not is_administrator(user):
        raise PermissionDenied


def get_user_for_user(request, pk) -> User:
    try:
        return User.objects.visible_to(request.user).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_team_for_user(request, pk) -> Team:
    try:
        return Team.objects.visible_to(request.user).select_related("region").get(pk=pk)
    except (Team.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_region_for_admin(request, pk) -> Region:
    require_administrator(request.user)
    try:
        return Region.objects.get(pk=pk)
    except (Region.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def two_factor_required(user) -> bool:
    """Whether ``user`` must sign in with a second factor."""
    if not user.is_authenticated:
        return False
    if user.two_factor_exempt and settings.TWO_FACTOR_ALLOW_EXEMPTIONS:
        return False
    return RolePolicy.objects.filter(
        require_two_factor=True, role__in=user.groups.values("name")
    ).exists()


def has_two_factor(user) -> bool:
    return user.is_authenticated and user_has_device(user, confirmed=True)
