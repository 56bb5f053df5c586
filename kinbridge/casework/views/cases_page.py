"""The case page: header, the workflow steps the user may take, the areas' panels and
the timeline. Shared by the page itself and by the workflow forms, which show it
again with their errors at the fields when a step is refused."""

from __future__ import annotations

from django.shortcuts import render

from kinbridge.casework import timeline
from kinbridge.casework.access import can_edit_case
from kinbridge.casework.forms_cases import MemberForm, ReopenForm, TransitionForm, WorkerForm
from kinbridge.casework.models import Case, CaseStatus, Task
from kinbridge.casework.panels import case_panels


def transition_form(case: Case, to: str, data=None) -> TransitionForm:
    # Several step forms share the page: each gets its own element ids.
    return TransitionForm(data, case=case, to=to, auto_id=f"step-{to}-%s")


def reopen_form(case: Case, data=None) -> ReopenForm:
    return ReopenForm(data, initial={"version": case.version}, auto_id="reopen-%s")


def render_case_page(request, case: Case, *, bound=None, reopen=None, status: int = 200):
    """The case page; ``bound``/``reopen``: a refused step's form, shown with its errors."""
    user = request.user
    can_edit = can_edit_case(user, case)
    steps, refused, open_tasks = [], [], []
    if can_edit and case.status != CaseStatus.CLOSED:
        for to in case.allowed_transitions():
            if bound is not None and bound.target == to:
                steps.append({"to": to, "label": CaseStatus(to).label, "form": bound})
            else:
                steps.append(
                    {"to": to, "label": CaseStatus(to).label, "form": transition_form(case, to)}
                )
        if CaseStatus.CLOSED in case.allowed_transitions():
            open_tasks = list(Task.objects.open().filter(case=case).select_related("assignee"))
    if bound is not None and bound.target not in {step["to"] for step in steps}:
        # A step that is not on offer (an old page, a hand-made request): say why here.
        refused = [problem for problems in bound.errors.values() for problem in problems]
    members = list(case.members.select_related("person").order_by("person__given_name", "pk"))
    workers = list(case.worker_links.select_related("user").order_by("user__first_name", "pk"))
    page = timeline.case_timeline(user, case)
    context = {
        "case": case,
        "can_edit": can_edit,
        "steps": steps,
        "refused": refused,
        "open_tasks": open_tasks,
        "reopen_form": (reopen or reopen_form(case)) if can_edit else None,
        "members": members,
        "workers": workers,
        "worker_form": WorkerForm(case=case, auto_id="worker-%s") if can_edit else None,
        "member_form": MemberForm(user=user, case=case, auto_id="member-%s") if can_edit else None,
        "panels": case_panels(request, case),
        "page": page,
    }
    return render(request, "casework/cases/case_detail.html", context, status=status)
