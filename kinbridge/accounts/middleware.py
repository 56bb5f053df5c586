from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kinbridge.accounts import access
from kinbridge.accounts.actions import SESSION_SEEN, SESSION_STARTED
from kinbridge.audit.actions import record
from kinbridge.audit.models import Action

SESSION_EXPIRED_FLAG = "kb_expired"
# Refresh the "last seen" stamp at most this often, to spare a write per request.
SEEN_RESOLUTION_SECONDS = 60


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


class SessionLifetimeMiddleware:
    """End a session after SESSION_IDLE_TIMEOUT without a request, or SESSION_ABSOLUTE_TIMEOUT."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
        self.absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            started = request.session.get(SESSION_STARTED)
            seen = request.session.get(SESSION_SEEN)
            if started is None or seen is None:
                request.session[SESSION_STARTED] = started or now
                request.session[SESSION_SEEN] = now
            elif now - started > self.absolute or now - seen > self.idle:
                record(Action.SESSION_EXPIRED, actor=user, obj=user)
                logout(request)
                request.session[SESSION_EXPIRED_FLAG] = True
            elif now - seen > SEEN_RESOLUTION_SECONDS:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in user's language follows them to every device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


# Paths a signed-in but not yet verified user may reach.
TWO_FACTOR_OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/")


class TwoFactorMiddleware:
    """Hold users who must use a second factor at the set-up page until they do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(TWO_FACTOR_OPEN_PREFIXES)
        ):
            response = self._hold(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _hold(self, request, user):
        if access.has_two_factor(user):
            # A second factor was added in another session: sign in again with it.
            logout(request)
            return None
        if not access.two_factor_required(user):
            return None
        allowed = {reverse("accounts:two_factor_setup"), reverse("accounts:logout")}
        if request.path in allowed:
            return None
        if _is_api(request):
            return JsonResponse(
                {"detail": _("Set up two-factor login before using the API.")}, status=403
            )
        return redirect("accounts:two_factor_setup")
