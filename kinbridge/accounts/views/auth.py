"""Signing in (password, then a second factor when the account has one) and out."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import match_token

from kinbridge.accounts import access
from kinbridge.accounts.actions import record_failed_code, start_session
from kinbridge.accounts.forms import CodeForm, LoginForm
from kinbridge.accounts.middleware import SESSION_EXPIRED_FLAG
from kinbridge.accounts.models import User
from kinbridge.audit.actions import record
from kinbridge.audit.models import Action

PENDING = "kb_pending_2fa"
PENDING_SECONDS = 300
PENDING_TRIES = 5


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return str(reverse_lazy(settings.LOGIN_REDIRECT_URL))


def _complete_login(request, user, backend, device=None):
    login(request, user, backend=backend)
    if device is not None:
        otp_login(request, device)
    start_session(request)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    expired = request.session.pop(SESSION_EXPIRED_FLAG, False)
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if access.has_two_factor(user):
            request.session.cycle_key()
            request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "at": time.time(),
                "tries": 0,
                "next": _next_url(request),
            }
            return redirect("accounts:login_code")
        _complete_login(request, user, user.backend)
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": request.GET.get("next", ""), "expired": expired},
    )


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_code_view(request):
    """Second step: a code from the authenticator app or a recovery code."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING, None)
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            request.session.pop(PENDING, None)
            _complete_login(request, user, pending["backend"], device)
            return redirect(pending["next"])
        record_failed_code(user)
        pending["tries"] += 1
        if pending["tries"] >= PENDING_TRIES:
            request.session.pop(PENDING, None)
            messages.error(request, _("Too many wrong codes. Please sign in again."))
            return redirect("accounts:login")
        request.session[PENDING] = pending
        form.add_error("code", _("That code is not right, or it has already been used."))
    return render(request, "accounts/login_code.html", {"form": form})


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(Action.PASSWORD_CHANGED, actor=self.request.user, obj=self.request.user)
        messages.success(
            self.request,
            _("Your password has been changed. Your other sessions have been signed out."),
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        for user in form.get_users(form.cleaned_data["email"]):
            record(Action.PASSWORD_RESET_REQUESTED, obj=user)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(Action.PASSWORD_RESET, obj=form.user)
        messages.success(self.request, _("Your new password is set. You can sign in now."))
        return response


def locked_out(request, original_response=None, credentials=None):
    """What django-axes shows when sign-in is paused (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
