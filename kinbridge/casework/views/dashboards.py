"""Caseload dashboards: "my caseload" for every casework role, and the team caseloads
(per worker, by status, flagged cases) for supervisors and administrators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path

from kinbridge.casework import caseload
from kinbridge.casework.access import is_supervisor, require_casework
from kinbridge.casework.forms_dashboards import NoContactForm


def _days_form(request) -> NoContactForm:
    return NoContactForm(request.GET if "days" in request.GET else None)


@login_required
def my_caseload(request):
    require_casework(request.user)
    form = _days_form(request)
    data = caseload.my_caseload(request.user, days=form.days_or_default())
    return render(request, "casework/dashboards/my_caseload.html", {"form": form, **data})


@login_required
def team_caseloads(request):
    require_casework(request.user)
    if not is_supervisor(request.user):
        raise PermissionDenied
    form = _days_form(request)
    data = caseload.team_caseloads(request.user, days=form.days_or_default())
    return render(request, "casework/dashboards/team_caseloads.html", {"form": form, **data})


urlpatterns = [
    path("caseload/", my_caseload, name="my_caseload"),
    path("caseload/teams/", team_caseloads, name="team_caseloads"),
]
