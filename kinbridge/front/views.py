from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kinbridge.accounts import access
from kinbridge.accounts.actions import set_language as save_language
from kinbridge.audit.actions import record
from kinbridge.audit.models import Action
from kinbridge.front.dashboard import my_upcoming_sessions, sections_for


@login_required
def dashboard(request):
    teams = request.user.teams.select_related("region").order_by("name")
    return render(
        request,
        "front/dashboard.html",
        {
            "teams": teams,
            "has_two_factor": access.has_two_factor(request.user),
            "sections": sections_for(request.user),
            "my_sessions": my_upcoming_sessions(request.user),
        },
    )


@never_cache
@require_GET
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


@require_POST
def set_language(request):
    """Switch the interface language; remembered on the account and in a cookie."""
    known = {code for code, _name in settings.LANGUAGES}
    language = request.POST.get("language", "")
    if language not in known:
        language = settings.LANGUAGE_CODE
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if request.user.is_authenticated and request.user.language != language:
        save_language(request.user, language)
    translation.activate(language)
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _error(request, status, heading, explanation):
    return render(
        request,
        "errors/error.html",
        {"heading": heading, "explanation": explanation},
        status=status,
    )


def csrf_failure(request, reason=""):
    return _error(
        request,
        403,
        _("This form has expired"),
        _(
            "For your safety the form could not be accepted: it was open too long or "
            "came from another site. Go back, reload the page and try again."
        ),
    )


def permission_denied(request, exception=None):
    record(Action.PERMISSION_DENIED, actor=request.user, path=request.path[:300])
    return _error(
        request,
        403,
        _("Not allowed"),
        _("Your role does not allow this. If you need it, ask an administrator."),
    )


def page_not_found(request, exception=None):
    return _error(
        request,
        404,
        _("Not found"),
        _("There is no such page, or you do not have access to it."),
    )
