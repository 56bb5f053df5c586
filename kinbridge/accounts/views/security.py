"""A user's own account: two-factor login, recovery codes, sessions, API tokens."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.html import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticToken
from knox.models import AuthToken

from kinbridge.accounts import access, actions
from kinbridge.accounts.forms import PasswordConfirmForm, SetupCodeForm

NEW_CODES = "kb_new_recovery_codes"


@login_required
def security(request):
    user = request.user
    has_two_factor = access.has_two_factor(user)
    return render(
        request,
        "accounts/security.html",
        {
            "has_two_factor": has_two_factor,
            "required": access.two_factor_required(user),
            "codes_left": StaticToken.objects.filter(device__user=user).count(),
            "tokens": AuthToken.objects.filter(user=user).order_by("-created"),
            "new_codes": request.session.pop(NEW_CODES, None),
            "confirm_form": PasswordConfirmForm(user),
        },
    )


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return image.to_string(encoding="unicode")


@sensitive_post_parameters("code")
@login_required
def two_factor_setup(request):
    user = request.user
    if access.has_two_factor(user) and user.is_verified():
        return redirect("accounts:security")
    device = actions.pending_totp_device(user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = actions.confirm_totp_device(user, device)
            otp_login(request, device)
            request.session[NEW_CODES] = codes
            messages.success(request, _("Two-factor login is on."))
            return redirect("accounts:security")
        form.add_error(
            "code", _("That code is not right. Check the time on your phone and try again.")
        )
    secret = base64.b32encode(device.bin_key).decode("ascii")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": mark_safe(_qr_svg(device.config_url)),  # noqa: S308  (SVG we generated)
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": access.two_factor_required(user),
        },
    )


@sensitive_post_parameters("password")
@require_POST
@login_required
def recovery_codes(request):
    form = PasswordConfirmForm(request.user, request.POST)
    if not access.has_two_factor(request.user):
        return redirect("accounts:security")
    if form.is_valid():
        request.session[NEW_CODES] = actions.regenerate_recovery_codes(request.user)
        messages.success(request, _("New recovery codes issued. The old ones no longer work."))
    else:
        messages.error(request, _("That is not your current password. Nothing was changed."))
    return redirect("accounts:security")


@sensitive_post_parameters("password")
@require_POST
@login_required
def two_factor_disable(request):
    user = request.user
    if access.two_factor_required(user):
        messages.error(request, _("Your role requires two-factor login, so it stays on."))
        return redirect("accounts:security")
    form = PasswordConfirmForm(user, request.POST)
    if form.is_valid():
        actions.reset_two_factor(user, user)
        messages.success(request, _("Two-factor login is off."))
    else:
        messages.error(request, _("That is not your current password. Nothing was changed."))
    return redirect("accounts:security")


@require_POST
@login_required
def end_other_sessions(request):
    actions.end_other_sessions(request)
    messages.success(request, _("All your other sessions have been signed out."))
    return redirect("accounts:security")


@require_POST
@login_required
def revoke_token(request):
    token_key = request.POST.get("token_key", "")[:64]
    if token_key and actions.revoke_api_tokens(request.user, request.user, token_key=token_key):
        messages.success(request, _("The API token has been revoked."))
    return redirect("accounts:security")
