"""Casework pages: services given on a case.

Quick entry from the case page (its services panel) and from "Log a service"
(``casework:service_quick``, which the caseload dashboard links to with
``?case=<pk>``); the case's list of services with totals by type; correcting or
removing a service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinbridge.casework import access, service_actions
from kinbridge.casework.forms_services import COMMON_DURATIONS, CaseChoiceForm, ServiceForm
from kinbridge.casework.models import Service, ServiceType
from kinbridge.casework.views.common import apply_errors, redirect_back

PANEL_ROWS = 10
PAGE_ROWS = 50


def totals_by_type(case) -> dict:
    """Count and hours of the case's services, by type and in all (one query)."""
    rows = list(
        Service.objects.filter(case=case)
        .values("service_type")
        .annotate(count=Count("id"), minutes=Sum("duration_minutes"))
        .order_by("service_type")
    )
    by_type = [
        {
            "label": ServiceType(row["service_type"]).label,
            "count": row["count"],
            "hours": round(row["minutes"] / 60, 1),
        }
        for row in rows
    ]
    return {
        "by_type": by_type,
        "count": sum(row["count"] for row in by_type),
        "hours": round(sum(row["minutes"] for row in rows) / 60, 1),
    }


def _services(case):
    return Service.objects.filter(case=case).select_related("worker", "recipient")


def _may_log(request, case) -> bool:
    return case.is_open and access.can_edit_case(request.user, case)


def case_panel(request, case) -> dict:
    """The quick entry form and the latest services with totals by type."""
    may_log = _may_log(request, case)
    return {
        "case": case,
        "services": list(_services(case)[:PANEL_ROWS]),
        "totals": totals_by_type(case),
        "form": ServiceForm(case=case, user=request.user, auto_id="id_service_%s")
        if may_log
        else None,
        "durations": COMMON_DURATIONS,
        "may_log": may_log,
        "next": request.get_full_path(),
    }


@login_required
def case_services(request, pk):
    """Every service of the case, latest first, with totals by type."""
    case = access.get_case_for_user(request, pk)
    page = Paginator(_services(case), PAGE_ROWS).get_page(request.GET.get("page"))
    return render(
        request,
        "casework/services/list.html",
        {"case": case, "page": page, "totals": totals_by_type(case)},
    )


def _log(request, case, form):
    """Log the service from a valid form; the form carries the errors otherwise."""
    try:
        service_actions.log_service(request.user, case, **form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return False
    messages.success(request, _("Service logged."))
    return True


@login_required
@require_http_methods(["GET", "POST"])
def service_add(request, pk):
    case = access.get_case_for_user(request, pk, audit=False)
    if not access.can_edit_case(request.user, case):
        raise PermissionDenied
    form = ServiceForm(request.POST or None, case=case, user=request.user)
    if request.method == "POST" and form.is_valid() and _log(request, case, form):
        return redirect_back(request, reverse("casework:case_services", args=[case.pk]))
    return render(
        request,
        "casework/services/form.html",
        {
            "case": case,
            "form": form,
            "title": _("Log a service"),
            "durations": COMMON_DURATIONS,
            "next": request.POST.get("next", ""),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_quick(request):
    """ "Log a service": pick one of my open cases, then the same fields as on the case."""
    access.require_casework(request.user)
    source = request.POST if request.method == "POST" else request.GET
    chooser = CaseChoiceForm(source if "case" in source else None, user=request.user)
    form = None
    if chooser.is_bound and chooser.is_valid():
        case = chooser.cleaned_data["case"]
        form = ServiceForm(request.POST or None, case=case, user=request.user)
        if request.method == "POST" and form.is_valid() and _log(request, case, form):
            return redirect(f"{reverse('casework:service_quick')}?case={case.pk}")
    failed = chooser.errors or (form is not None and form.errors)
    return render(
        request,
        "casework/services/quick.html",
        {"chooser": chooser, "form": form, "durations": COMMON_DURATIONS},
        status=400 if failed else 200,
    )


def _service_for_change(request, pk) -> Service:
    service = access.get_case_record_for_user(request, Service, pk)
    if not access.can_edit_service(request.user, service):
        raise PermissionDenied
    return service


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request, pk):
    service = _service_for_change(request, pk)
    case = service.case
    initial = {
        "service_type": service.service_type,
        "mode": service.mode,
        "date": service.date,
        "duration_minutes": service.duration_minutes,
        "worker": service.worker_id,
        "recipient": service.recipient_id,
        "note": service.note,
    }
    form = ServiceForm(request.POST or None, case=case, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            service_actions.update_service(request.user, service, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Service saved."))
            return redirect_back(request, reverse("casework:case_services", args=[case.pk]))
    return render(
        request,
        "casework/services/form.html",
        {
            "case": case,
            "form": form,
            "service": service,
            "title": _("Correct a service"),
            "durations": COMMON_DURATIONS,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_delete(request, pk):
    """Ask, then remove a service logged by mistake."""
    service = _service_for_change(request, pk)
    case = service.case
    error = ""
    if request.method == "POST":
        try:
            service_actions.delete_service(request.user, service)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Service removed."))
            return redirect("casework:case_services", pk=case.pk)
    return render(
        request,
        "casework/services/delete.html",
        {"case": case, "service": service, "error": error},
        status=400 if error else 200,
    )


urlpatterns = [
    path("cases/<int:pk>/services/", case_services, name="case_services"),
    path("cases/<int:pk>/services/add/", service_add, name="service_add"),
    path("services/log/", service_quick, name="service_quick"),
    path("services/<int:pk>/", service_edit, name="service_edit"),
    path("services/<int:pk>/delete/", service_delete, name="service_delete"),
]
