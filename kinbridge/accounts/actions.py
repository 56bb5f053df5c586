"""Every change to accounts, teams, regions and role policies.

Each function checks that the actor may make the change, runs in one
transaction and appends the audit event. Views, the API and management
commands all call these; none of them writes these models directly.
"""

from __future__ import annotations

import time
from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from kinbridge.accounts.access import is_administrator, require_administrator
from kinbridge.accounts.models import Membership, Region, RolePolicy, Team, User
from kinbridge.accounts.roles import Role
from kinbridge.audit.actions import record, record_created, record_updated, snapshot
from kinbridge.audit.models import Action

SESSION_STARTED = "kb_started"
SESSION_SEEN = "kb_seen"
RECOVERY_CODE_COUNT = 10


# --- Users -------------------------------------------------------------------


def _user_extra(user: User) -> dict:
    return {
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "teams": sorted(user.memberships.values_list("team_id", flat=True)),
    }


def _set_roles_and_teams(user: User, roles, teams) -> None:
    if roles is not None:
        groups = [Group.objects.get_or_create(name=str(role))[0] for role in roles]
        user.groups.set(groups)
    if teams is not None:
        wanted = {team.pk for team in teams}
        user.memberships.exclude(team_id__in=wanted).delete()
        have = set(user.memberships.values_list("team_id", flat=True))
        Membership.objects.bulk_create(
            [Membership(user=user, team_id=team_id) for team_id in wanted - have]
        )
    user.__dict__.pop("role_codes", None)
    user.__dict__.pop("team_ids", None)


@transaction.atomic
def create_user(
    actor,
    *,
    username: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "en",
    roles=(),
    teams=(),
    password: str | None = None,
    two_factor_exempt: bool = False,
) -> User:
    """Create an account. Without a password it cannot sign in until one is set."""
    if actor is not None:
        require_administrator(actor)
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        language=language,
        two_factor_exempt=two_factor_exempt,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    _set_roles_and_teams(user, roles, teams)
    record_created(actor, user, extra=_user_extra(user))
    return user


@transaction.atomic
def update_user(actor, user: User, *, roles=None, teams=None, **fields) -> User:
    require_administrator(actor)
    if user.pk == actor.pk:
        if fields.get("is_active") is False:
            raise PermissionDenied(_("You cannot deactivate your own account."))
        if roles is not None and Role.ADMINISTRATOR not in roles:
            raise PermissionDenied(_("You cannot remove your own administrator role."))
    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user, extra=_user_extra(user))
    for name, value in fields.items():
        setattr(user, name, value)
    if fields.get("is_active") is False:
        user.session_epoch += 1  # ends every session at once
    user.save()
    _set_roles_and_teams(user, roles, teams)
    record_updated(actor, user, before, extra=_user_extra(user))
    return user


@transaction.atomic
def set_language(actor: User, language: str) -> None:
    before = snapshot(actor)
    actor.language = language
    actor.save(update_fields=["language"])
    record_updated(actor, actor, before)


def password_reset_link(user: User, request) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", args=[uid, token])
    return request.build_absolute_uri(path)


def send_password_link(actor, user: User, request) -> bool:
    """E-mail ``user`` a link to set a new password; False if they have no address."""
    require_administrator(actor)
    if not user.email:
        return False
    with override(user.language):
        context = {
            "user": user,
            "link": password_reset_link(user, request),
            "org": settings.ORGANISATION_NAME,
        }
        subject = render_to_string("accounts/email/set_password_subject.txt", context).strip()
        body = render_to_string("accounts/email/set_password.txt", context)
    send_mail(subject, body, None, [user.email])
    record(Action.PASSWORD_RESET_REQUESTED, actor=actor, obj=user, by_administrator=True)
    return True


# --- Lockout -----------------------------------------------------------------


def current_lockouts():
    """Access attempts that are locking someone out right now."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")


def is_locked_out(user: User) -> bool:
    return current_lockouts().filter(username=user.get_username()).exists()


@transaction.atomic
def unlock(actor, *, username: str = "", ip_address: str = "") -> int:
    require_administrator(actor)
    if not username and not ip_address:
        return 0
    count = axes_reset(username=username or None, ip=ip_address or None)
    user = User.objects.filter(username=username).first() if username else None
    if user is not None:
        record(Action.UNLOCKED, actor=actor, obj=user, attempts_cleared=count)
    else:
        record(
            Action.UNLOCKED,
            actor=actor,
            object_type="axes.accessattempt",
            object_repr=ip_address or username,
            attempts_cleared=count,
        )
    return count


# --- Sessions and two-factor ------------------------------------------------------


def start_session(request) -> None:
    """Stamp a freshly signed-in session for the idle and absolute time limits."""
    now = time.time()
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now


@transaction.atomic
def end_other_sessions(request) -> None:
    user = User.objects.select_for_update().get(pk=request.user.pk)
    user.session_epoch += 1
    user.save(update_fields=["session_epoch"])
    request.user.session_epoch = user.session_epoch
    update_session_auth_hash(request, user)
    record(Action.SESSIONS_ENDED, actor=user, obj=user)


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up, created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def confirm_totp_device(user: User, device: TOTPDevice) -> list[str]:
    """Turn the authenticator on and issue recovery codes (returned once, in clear)."""
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    record(Action.TWO_FACTOR_ENABLED, actor=user, obj=user)
    return _issue_recovery_codes(user)


def _issue_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.confirmed = True
    device.save()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    record(Action.RECOVERY_CODES, actor=user, obj=user, count=len(codes))
    return codes


@transaction.atomic
def regenerate_recovery_codes(user: User) -> list[str]:
    return _issue_recovery_codes(user)


@transaction.atomic
def reset_two_factor(actor, user: User) -> None:
    """Remove every second factor of ``user`` (they set it up again at next sign-in)."""
    if actor.pk != user.pk:
        require_administrator(actor)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(Action.TWO_FACTOR_RESET, actor=actor, obj=user)


def record_failed_code(user: User) -> None:
    record(Action.TWO_FACTOR_FAILED, obj=user)


# --- API tokens -----------------------------------------------------------------------


@transaction.atomic
def issue_api_token(actor, user: User, *, days: int | None = None) -> tuple[AuthToken, str]:
    """A token for an integration acting as ``user``; the clear text is shown once."""
    if actor is not None and actor.pk != user.pk:
        require_administrator(actor)
    expiry = timedelta(days=days) if days else settings.REST_KNOX["TOKEN_TTL"]
    instance, token = AuthToken.objects.create(user=user, expiry=expiry)
    record(Action.TOKEN_CREATED, actor=actor, obj=user, token=instance.token_key)
    return instance, token


@transaction.atomic
def revoke_api_tokens(actor, user: User, *, token_key: str = "") -> int:
    """Revoke one token (by its key prefix) or, without a key, all of them."""
    if actor is not None and actor.pk != user.pk:
        require_administrator(actor)
    tokens = AuthToken.objects.filter(user=user)
    if token_key:
        tokens = tokens.filter(token_key=token_key)
    keys = list(tokens.values_list("token_key", flat=True))
    tokens.delete()
    if keys:
        record(Action.TOKEN_REVOKED, actor=actor, obj=user, tokens=keys)
    return len(keys)


# --- Teams, regions, role policies ------------------------------------------------------


@transaction.atomic
def create_region(actor, *, name: str, country: str) -> Region:
    if actor is not None:
        require_administrator(actor)
    region = Region.objects.create(name=name, country=country.upper())
    record_created(actor, region)
    return region


@transaction.atomic
def update_region(actor, region: Region, **fields) -> Region:
    require_administrator(actor)
    before = snapshot(region)
    for name, value in fields.items():
        setattr(region, name, value)
    region.save()
    record_updated(actor, region, before)
    return region


def _team_extra(team: Team) -> dict:
    return {"members": sorted(team.memberships.values_list("user_id", flat=True))}


def _set_members(team: Team, members) -> None:
    if members is None:
        return
    wanted = {user.pk for user in members}
    team.memberships.exclude(user_id__in=wanted).delete()
    have = set(team.memberships.values_list("user_id", flat=True))
    Membership.objects.bulk_create([Membership(team=team, user_id=pk) for pk in wanted - have])


@transaction.atomic
def create_team(actor, *, name: str, region: Region, description: str = "", members=None) -> Team:
    if actor is not None:
        require_administrator(actor)
    team = Team.objects.create(name=name, region=region, description=description)
    _set_members(team, members)
    record_created(actor, team, extra=_team_extra(team))
    return team


@transaction.atomic
def update_team(actor, team: Team, *, members=None, **fields) -> Team:
    require_administrator(actor)
    team = Team.objects.select_for_update().get(pk=team.pk)
    before = snapshot(team, extra=_team_extra(team))
    for name, value in fields.items():
        setattr(team, name, value)
    team.save()
    _set_members(team, members)
    record_updated(actor, team, before, extra=_team_extra(team))
    return team


@transaction.atomic
def set_two_factor_policy(actor, role: str, required: bool) -> RolePolicy:
    if actor is not None and not is_administrator(actor):
        raise PermissionDenied
    policy, _created = RolePolicy.objects.select_for_update().get_or_create(role=role)
    before = snapshot(policy)
    policy.require_two_factor = required
    policy.save()
    record_updated(actor, policy, before)
    return policy
