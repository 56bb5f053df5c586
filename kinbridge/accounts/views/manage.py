"""Administration of users, teams, regions, role policies and lockouts."""

from __future__ import annotations

import logging
import smtplib
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinbridge.accounts import access, actions
from kinbridge.accounts.forms import RegionForm, RolePolicyForm, TeamForm, UnlockForm, UserForm
from kinbridge.accounts.models import Membership, Region, RolePolicy, Team, User
from kinbridge.accounts.roles import ROLE_SUMMARIES, Role
from kinbridge.audit.models import AuditEvent

PAGE_SIZE = 50
logger = logging.getLogger(__name__)


def administrator_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        access.require_administrator(request.user)
        return view(request, *args, **kwargs)

    return wrapper


# --- Users ---------------------------------------------------------------------


@administrator_required
def user_list(request):
    users = (
        User.objects.visible_to(request.user)
        .prefetch_related(
            "groups",
            Prefetch("memberships", queryset=Membership.objects.select_related("team")),
        )
        .annotate(two_factor=Count("totpdevice", filter=Q(totpdevice__confirmed=True)))
        .order_by("username")
    )
    query = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    team = request.GET.get("team", "")
    status = request.GET.get("status", "")
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    if role in Role.values:
        users = users.filter(groups__name=role)
    if team.isdigit():
        users = users.filter(memberships__team_id=int(team))
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "inactive":
        users = users.filter(is_active=False)
    locked = set(actions.current_lockouts().values_list("username", flat=True))
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "locked": locked,
            "roles": Role.choices,
            "teams": Team.objects.order_by("name"),
            "filters": {"q": query, "role": role, "team": team, "status": status},
        },
    )


@administrator_required
def user_create(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = actions.create_user(
            request.user,
            username=data["username"],
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            language=data["language"],
            roles=data["roles"],
            teams=data["teams"],
            two_factor_exempt=data.get("two_factor_exempt", False),
        )
        try:
            actions.send_password_link(request.user, user, request)
        except (smtplib.SMTPException, OSError):
            logger.exception("password link e-mail failed")  # no address or name logged
            messages.warning(
                request,
                _(
                    "User created, but the e-mail with the password link could not be "
                    "sent. Check the e-mail settings, then use “E-mail a password link”."
                ),
            )
        else:
            messages.success(
                request,
                _("User created. We e-mailed %(email)s a link to set a password.")
                % {"email": user.email},
            )
        return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@administrator_required
def user_detail(request, pk):
    subject = access.get_user_for_user(request, pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": subject,
            "teams": subject.teams.select_related("region").order_by("name"),
            "has_two_factor": TOTPDevice.objects.filter(user=subject, confirmed=True).exists(),
            "two_factor_required": access.two_factor_required(subject),
            "locked": actions.is_locked_out(subject),
            "events": AuditEvent.objects.filter(
                Q(actor=subject) | Q(object_type="accounts.user", object_id=str(subject.pk))
            ).select_related("actor")[:20],
        },
    )


@administrator_required
def user_edit(request, pk):
    subject = access.get_user_for_user(request, pk)
    form = UserForm(request.POST or None, instance=subject)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in form.Meta.fields if name in data}
        try:
            actions.update_user(
                request.user, subject, roles=data["roles"], teams=data["teams"], **fields
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You cannot make this change."))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("accounts:user_detail", pk=subject.pk)
    return render(request, "accounts/user_form.html", {"form": form, "subject": subject})


@require_POST
@administrator_required
def user_unlock(request, pk):
    subject = access.get_user_for_user(request, pk)
    actions.unlock(request.user, username=subject.username)
    messages.success(request, _("%(user)s can sign in again.") % {"user": subject.username})
    return redirect("accounts:user_detail", pk=subject.pk)


@require_POST
@administrator_required
def user_reset_two_factor(request, pk):
    subject = access.get_user_for_user(request, pk)
    actions.reset_two_factor(request.user, subject)
    messages.success(
        request,
        _("Two-factor login of %(user)s was reset; they set it up again at next sign-in.")
        % {"user": subject.username},
    )
    return redirect("accounts:user_detail", pk=subject.pk)


@require_POST
@administrator_required
def user_send_password_link(request, pk):
    subject = access.get_user_for_user(request, pk)
    try:
        sent = actions.send_password_link(request.user, subject, request)
    except (smtplib.SMTPException, OSError):
        logger.exception("password link e-mail failed")
        messages.error(request, _("The e-mail could not be sent. Check the e-mail settings."))
    else:
        if sent:
            messages.success(request, _("A link to set a new password was e-mailed."))
        else:
            messages.error(request, _("This user has no e-mail address."))
    return redirect("accounts:user_detail", pk=subject.pk)


# --- Lockouts ----------------------------------------------------------------------


@administrator_required
def lockout_list(request):
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = actions.unlock(
            request.user,
            username=form.cleaned_data["username"],
            ip_address=form.cleaned_data["ip_address"] or "",
        )
        if count:
            messages.success(request, _("Unlocked."))
        else:
            messages.info(request, _("There was no lockout to clear."))
        return redirect("accounts:lockout_list")
    return render(
        request,
        "accounts/lockout_list.html",
        {"lockouts": actions.current_lockouts()[:200], "form": form},
    )


# --- Teams and regions ------------------------------------------------------------------


@administrator_required
def team_list(request):
    teams = (
        Team.objects.visible_to(request.user)
        .select_related("region")
        .annotate(member_count=Count("memberships"))
        .order_by("-is_active", "name")
    )
    return render(request, "accounts/team_list.html", {"teams": teams})


@administrator_required
def team_create(request):
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        team = actions.create_team(
            request.user,
            name=data["name"],
            region=data["region"],
            description=data["description"],
            members=data["members"],
        )
        messages.success(request, _("Team created."))
        return redirect("accounts:team_edit", pk=team.pk)
    return render(request, "accounts/team_form.html", {"form": form})


@administrator_required
def team_edit(request, pk):
    team = access.get_team_for_user(request, pk)
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.update_team(
            request.user,
            team,
            members=data["members"],
            name=data["name"],
            region=data["region"],
            description=data["description"],
            is_active=data["is_active"],
        )
        messages.success(request, _("Changes saved."))
        return redirect("accounts:team_list")
    return render(request, "accounts/team_form.html", {"form": form, "team": team})


@administrator_required
def region_list(request):
    form = RegionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.create_region(
            request.user, name=form.cleaned_data["name"], country=form.cleaned_data["country"]
        )
        messages.success(request, _("Region added."))
        return redirect("accounts:region_list")
    regions = Region.objects.annotate(team_count=Count("teams")).order_by("country", "name")
    return render(request, "accounts/region_list.html", {"regions": regions, "form": form})


@administrator_required
def region_edit(request, pk):
    region = access.get_region_for_admin(request, pk)
    form = RegionForm(request.POST or None, instance=region)
    if request.method == "POST" and form.is_valid():
        actions.update_region(
            request.user,
            region,
            name=form.cleaned_data["name"],
            country=form.cleaned_data["country"],
        )
        messages.success(request, _("Changes saved."))
        return redirect("accounts:region_list")
    return render(request, "accounts/region_form.html", {"form": form, "region": region})


# --- Roles ----------------------------------------------------------------------------------


@administrator_required
def role_list(request):
    policies = dict(RolePolicy.objects.values_list("role", "require_two_factor"))
    form = RolePolicyForm(request.POST or None, policies=policies)
    if request.method == "POST" and form.is_valid():
        for role in Role:
            required = form.cleaned_data[role.value]
            if policies.get(role.value, False) != required:
                actions.set_two_factor_policy(request.user, role.value, required)
        messages.success(request, _("Changes saved."))
        return redirect("accounts:role_list")
    counts = dict(
        User.objects.filter(is_active=True, groups__name__in=Role.values)
        .values_list("groups__name")
        .annotate(n=Count("id"))
    )
    rows = [
        {
            "role": role,
            "summary": ROLE_SUMMARIES[role],
            "field": form[role.value],
            "users": counts.get(role.value, 0),
        }
        for role in Role
    ]
    return render(request, "accounts/role_list.html", {"form": form, "rows": rows})
