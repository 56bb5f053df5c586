"""Casework pages: the steps of a case's workflow (status changes, closing, reopening)
and its workers and family members. Each is a POST from the case page; a refused
step shows the case page again with the form's errors at its fields."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinbridge.casework import case_actions
from kinbridge.casework.access import can_edit_case, get_case_for_user
from kinbridge.casework.forms_cases import MemberForm, WorkerForm
from kinbridge.casework.locking import StaleEdit
from kinbridge.casework.models import CaseStatus
from kinbridge.casework.views.cases_page import render_case_page, reopen_form, transition_form


def require_editor(user, case) -> None:
    if not can_edit_case(user, case):
        raise PermissionDenied


def _editable_case(request, pk):
    case = get_case_for_user(request, pk, audit=False)
    require_editor(request.user, case)
    return case


def _place_errors(form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _stale_message() -> str:
    return _(
        "Someone else changed this case while you were looking at it. The page now shows "
        "it as it is; check the step is still right and try again."
    )


@login_required
@require_POST
def case_transition(request, pk):
    case = _editable_case(request, pk)
    to = request.POST.get("to", "")
    form = transition_form(case, to if to in CaseStatus.values else None, request.POST)
    if form.is_valid():
        try:
            case_actions.change_status(
                request.user, case, form.cleaned_data["to"], **form.action_fields()
            )
        except StaleEdit:
            messages.error(request, _stale_message())
            return redirect("casework:case_detail", pk=case.pk)
        except ValidationError as exc:
            _place_errors(form, exc)
        else:
            messages.success(
                request,
                _("The case is now “%(status)s”.")
                % {"status": CaseStatus(form.cleaned_data["to"]).label},
            )
            return redirect("casework:case_detail", pk=case.pk)
    return render_case_page(request, case, bound=form, status=400)


@login_required
@require_POST
def case_reopen(request, pk):
    case = _editable_case(request, pk)
    form = reopen_form(case, request.POST)
    if form.is_valid():
        try:
            case_actions.reopen_case(
                request.user,
                case,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except StaleEdit:
            messages.error(request, _stale_message())
            return redirect("casework:case_detail", pk=case.pk)
        except ValidationError as exc:
            _place_errors(form, exc)
        else:
            messages.success(request, _("The case is reopened, back to assessment."))
            return redirect("casework:case_detail", pk=case.pk)
    if case.status != CaseStatus.CLOSED:
        for problem in form.non_field_errors():
            messages.error(request, problem)
        return redirect("casework:case_detail", pk=case.pk)
    return render_case_page(request, case, reopen=form, status=400)


def _run(request, case, change, done: str):
    """Run ``change()``; success or its problems come back as messages on the case page."""
    try:
        change()
    except ValidationError as exc:
        for problem in exc.messages:
            messages.error(request, problem)
    else:
        messages.success(request, done)
    return redirect("casework:case_detail", pk=case.pk)


def _valid(form) -> dict:
    if not form.is_valid():
        raise ValidationError([p for problems in form.errors.values() for p in problems])
    return form.cleaned_data


def _posted_id(request, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def case_worker_add(request, pk):
    case = _editable_case(request, pk)
    form = WorkerForm(request.POST, case=case)
    return _run(
        request,
        case,
        lambda: case_actions.add_worker(request.user, case, _valid(form)["user"]),
        _("Worker added to the case."),
    )


@login_required
@require_POST
def case_worker_remove(request, pk):
    case = _editable_case(request, pk)
    link = case.worker_links.filter(user_id=_posted_id(request, "user")).first()
    if link is None:
        messages.error(request, _("Choose a worker of this case to remove."))
        return redirect("casework:case_detail", pk=case.pk)
    return _run(
        request,
        case,
        lambda: case_actions.remove_worker(request.user, link),
        _("Worker removed from the case."),
    )


@login_required
@require_POST
def case_member_add(request, pk):
    case = _editable_case(request, pk)
    form = MemberForm(request.POST, user=request.user, case=case)

    def add():
        _valid(form)
        case_actions.add_member(request.user, case, *form.chosen())

    return _run(request, case, add, _("Family member added to the case."))


@login_required
@require_POST
def case_member_remove(request, pk):
    case = _editable_case(request, pk)
    member = case.members.filter(person_id=_posted_id(request, "person")).first()
    if member is None:
        messages.error(request, _("Choose a family member of this case to remove."))
        return redirect("casework:case_detail", pk=case.pk)
    return _run(
        request,
        case,
        lambda: case_actions.remove_member(request.user, member),
        _("Family member removed from the case."),
    )


urlpatterns: list = [
    path("cases/<int:pk>/status/", case_transition, name="case_transition"),
    path("cases/<int:pk>/reopen/", case_reopen, name="case_reopen"),
    path("cases/<int:pk>/workers/", case_worker_add, name="case_worker_add"),
    path("cases/<int:pk>/workers/remove/", case_worker_remove, name="case_worker_remove"),
    path("cases/<int:pk>/members/", case_member_add, name="case_member_add"),
    path("cases/<int:pk>/members/remove/", case_member_remove, name="case_member_remove"),
]
