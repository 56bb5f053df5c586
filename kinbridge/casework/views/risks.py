"""Risk flags: the case page's panel (open flags at the top, resolved ones folded), and
the raise and resolve forms, which also work as pages of their own without JavaScript.

Those who see the case but not its flags see only that a restricted flag is
recorded, never its kind or note.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from kinbridge.casework import risk_actions
from kinbridge.casework.access import (
    can_see_risk_flags,
    get_case_for_user,
    get_risk_flag_for_user,
    risk_flags_for,
)
from kinbridge.casework.caseload import case_url, reason_labels
from kinbridge.casework.forms_risks import RaiseFlagForm, ResolveFlagForm
from kinbridge.casework.models import RiskFlag
from kinbridge.casework.views.common import apply_errors


def _raise_form(data=None):
    return RaiseFlagForm(data, auto_id="raise-%s")


def _resolve_form(flag_pk, data=None):
    form = ResolveFlagForm(data, auto_id=f"resolve-{flag_pk}-%s")
    form.flag_pk = flag_pk  # which flag's form it is, when sent back with errors
    return form


def case_panel(request, case, *, raise_form=None, resolve_form=None):
    """The panel's context; None (no panel) when there is nothing the user may know of.

    ``raise_form`` / ``resolve_form``: a form sent back with its errors."""
    user = request.user
    if not can_see_risk_flags(user, case):
        if not RiskFlag.objects.filter(case=case, resolved_on__isnull=True).exists():
            return None
        return {"case": case, "restricted": True}
    flags = list(risk_flags_for(user, case).select_related("raised_by", "resolved_by"))
    for flag in flags:
        flag.reason_labels = reason_labels(flag)
        if flag.resolved_on is None:
            sent_back = resolve_form and resolve_form.flag_pk == flag.pk
            flag.resolve_form = resolve_form if sent_back else _resolve_form(flag.pk)
    return {
        "case": case,
        "restricted": False,
        "open": [flag for flag in flags if flag.resolved_on is None],
        "resolved": [flag for flag in flags if flag.resolved_on is not None],
        "can_raise": case.is_open,
        "raise_form": raise_form or _raise_form(),
    }


def _back_to_case(case):
    return redirect(
        case_url(case.pk, "#risks") or reverse("casework:riskflag_create", kwargs={"pk": case.pk})
    )


@login_required
def riskflag_create(request, pk):
    case = get_case_for_user(request, pk)
    if not can_see_risk_flags(request.user, case):
        raise PermissionDenied
    form = _raise_form(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                risk_actions.raise_flag(request.user, case, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Risk flag raised."))
                return _back_to_case(case)
        status = 400
    panel = case_panel(request, case, raise_form=form)
    return render(
        request,
        "casework/risks/flags.html",
        {"case": case, "panel": panel, "case_url": case_url(case.pk)},
        status=status,
    )


@login_required
def riskflag_resolve(request, pk):
    flag = get_risk_flag_for_user(request, pk)
    case = flag.case
    form = _resolve_form(flag.pk, request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                risk_actions.resolve_flag(request.user, flag, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Risk flag resolved."))
                return _back_to_case(case)
        status = 400
    panel = case_panel(request, case, resolve_form=form)
    return render(
        request,
        "casework/risks/flags.html",
        {"case": case, "panel": panel, "case_url": case_url(case.pk)},
        status=status,
    )


urlpatterns = [
    path("cases/<int:pk>/risk-flags/", riskflag_create, name="riskflag_create"),
    path("risk-flags/<int:pk>/resolve/", riskflag_resolve, name="riskflag_resolve"),
]
