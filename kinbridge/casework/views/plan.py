"""Casework pages: a case's needs and plan (goals, reviews), and the list of needs.

The plan panel of the case page posts its forms here; after a save the browser goes
back to the page it came from (``next``), and a refused form is shown again on a page
of its own with the message at the field and the input kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinbridge.accounts.access import require_administrator
from kinbridge.casework import access, plan_actions
from kinbridge.casework.forms_plan import (
    GoalForm,
    NeedAddForm,
    NeedTypeEditForm,
    NeedTypeForm,
    NeedUpdateForm,
    PlanReviewForm,
)
from kinbridge.casework.locking import StaleEdit
from kinbridge.casework.models import CaseNeed, Goal, GoalStatus, NeedType, PlanReview
from kinbridge.casework.views.common import (
    apply_errors,
    keep_input_on_newer_version,
    redirect_back,
)

OPEN_GOALS = (GoalStatus.PLANNED, GoalStatus.IN_PROGRESS)


def _case_for_change(request, pk):
    case = access.get_case_for_user(request, pk, audit=False)
    if not access.can_edit_case(request.user, case):
        raise PermissionDenied
    return case


def case_panel(request, case) -> dict:
    """Needs by severity, goals with their target dates, the last and next review."""
    today = timezone.localdate()
    goals = list(Goal.objects.filter(case=case).select_related("need__need"))
    for goal in goals:
        goal.overdue = bool(goal.target_date and goal.target_date < today) and (
            goal.status in OPEN_GOALS
        )
    may_edit = case.is_open and access.can_edit_case(request.user, case)
    return {
        "case": case,
        "needs": list(CaseNeed.objects.filter(case=case).select_related("need")),
        "goals": goals,
        "last_review": PlanReview.objects.filter(case=case).select_related("by").first(),
        "review_overdue": bool(case.next_review_on and case.next_review_on < today),
        "may_edit": may_edit,
        "need_form": NeedAddForm(auto_id="id_need_%s") if may_edit else None,
        "goal_form": GoalForm(case=case, auto_id="id_goal_%s") if may_edit else None,
        "review_form": PlanReviewForm(auto_id="id_review_%s") if may_edit else None,
        "next": request.get_full_path(),
    }


@login_required
def case_plan(request, pk):
    case = access.get_case_for_user(request, pk)
    return render(
        request, "casework/plan/plan.html", {"case": case, "panel": case_panel(request, case)}
    )


def _form_page(request, case, form, title, *, status=200, **extra):
    context = {"case": case, "form": form, "title": title, "next": request.POST.get("next", "")}
    return render(request, "casework/plan/form.html", context | extra, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def need_add(request, pk):
    case = _case_for_change(request, pk)
    form = NeedAddForm(request.POST or None, auto_id="id_need_%s")
    if request.method == "POST" and form.is_valid():
        try:
            plan_actions.add_need(request.user, case, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Need added."))
            return redirect_back(request, reverse("casework:case_plan", args=[case.pk]))
    status = 400 if form.errors else 200
    return _form_page(request, case, form, _("Add a need"), status=status)


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request, pk):
    case_need = access.get_case_record_for_user(request, CaseNeed, pk)
    case = case_need.case
    if not access.can_edit_case(request.user, case):
        raise PermissionDenied
    initial = {"severity": case_need.severity, "status": case_need.status, "note": case_need.note}
    form = NeedUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan_actions.update_need(request.user, case_need, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Need updated."))
            return redirect_back(request, reverse("casework:case_plan", args=[case.pk]))
    title = _("Change the need “%(need)s”") % {"need": case_need.need}
    return _form_page(request, case, form, title, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def goal_add(request, pk):
    case = _case_for_change(request, pk)
    form = GoalForm(request.POST or None, case=case, auto_id="id_goal_%s")
    if request.method == "POST" and form.is_valid():
        try:
            plan_actions.create_goal(request.user, case, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Goal added to the plan."))
            return redirect_back(request, reverse("casework:case_plan", args=[case.pk]))
    return _form_page(request, case, form, _("Add a goal"), status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, pk):
    goal = access.get_case_record_for_user(request, Goal, pk)
    case = goal.case
    if not access.can_edit_case(request.user, case):
        raise PermissionDenied
    initial = {
        "description": goal.description,
        "need": goal.need_id,
        "target_date": goal.target_date,
        "status": goal.status,
        "version": goal.version,
    }
    form = GoalForm(request.POST or None, case=case, editing=True, initial=initial)
    conflict = []
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        version = fields.pop("version")
        try:
            plan_actions.update_goal(request.user, goal, version=version, **fields)
        except StaleEdit as stale:
            conflict = stale.differences()
            keep_input_on_newer_version(form, stale)
            form.add_error(
                None,
                _(
                    "Someone else saved this goal while you were editing. Their version is "
                    "shown below next to yours; your changes were not saved. Save again to "
                    "keep yours."
                ),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Goal saved."))
            return redirect_back(request, reverse("casework:case_plan", args=[case.pk]))
    return _form_page(
        request,
        case,
        form,
        _("Edit a goal"),
        status=409 if conflict else (400 if form.errors else 200),
        conflict=conflict,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_review_add(request, pk):
    case = _case_for_change(request, pk)
    form = PlanReviewForm(request.POST or None, auto_id="id_review_%s")
    if request.method == "POST" and form.is_valid():
        try:
            plan_actions.review_plan(request.user, case, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Plan review recorded."))
            return redirect_back(request, reverse("casework:case_plan", args=[case.pk]))
    title = _("Record a plan review")
    return _form_page(request, case, form, title, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def needtype_list(request):
    """Administrators: the organisation's list of needs; add its own."""
    require_administrator(request.user)
    form = NeedTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan_actions.create_need_type(request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Need added to the list."))
            return redirect("casework:needtype_list")
    return render(
        request,
        "casework/plan/needtype_list.html",
        {"need_types": list(NeedType.objects.all()), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def needtype_edit(request, pk):
    """Administrators: rename, retire or bring back, and move a need in the list."""
    require_administrator(request.user)
    need_type = get_object_or_404(NeedType, pk=pk)
    initial = {
        "name": need_type.name,
        "position": need_type.position,
        "is_active": need_type.is_active,
    }
    form = NeedTypeEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan_actions.update_need_type(request.user, need_type, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Need saved."))
            return redirect("casework:needtype_list")
    return render(
        request,
        "casework/plan/needtype_form.html",
        {"need_type": need_type, "form": form},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("cases/<int:pk>/plan/", case_plan, name="case_plan"),
    path("cases/<int:pk>/needs/add/", need_add, name="need_add"),
    path("needs/<int:pk>/", need_edit, name="need_edit"),
    path("cases/<int:pk>/goals/add/", goal_add, name="goal_add"),
    path("goals/<int:pk>/", goal_edit, name="goal_edit"),
    path("cases/<int:pk>/plan/review/", plan_review_add, name="plan_review_add"),
    path("need-types/", needtype_list, name="needtype_list"),
    path("need-types/<int:pk>/", needtype_edit, name="needtype_edit"),
]
