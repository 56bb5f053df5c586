"""Pages: projects (list, detail with the KPI table, budget and latest sessions, create, edit).

The indicator pages (add, edit, reorder, delete, evidence) are in
``views/project_indicators.py``; their URL patterns are listed here too.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from kinbridge.programmes import actions_projects as actions
from kinbridge.programmes.access import can_edit_project, can_plan, get_project_for_user
from kinbridge.programmes.forms_projects import (
    BudgetLineRows,
    FundingRows,
    ProjectForm,
    budget_line_initial,
    funding_initial,
)
from kinbridge.programmes.models import (
    Funder,
    Funding,
    Programme,
    Project,
    ProjectStatus,
    Session,
)
from kinbridge.programmes.projects_kpi import kpi_rows
from kinbridge.programmes.views import project_indicators

PAGE_SIZE = 50
LATEST_SESSIONS = 10


def _filters(request, programmes) -> dict:
    programme = request.GET.get("programme", "")
    status = request.GET.get("status", "")
    return {
        "programme": programme if programme in {str(p.pk) for p in programmes} else "",
        "status": status if status in ProjectStatus.values else "",
    }


@login_required
def project_list(request):
    actions.require_reader(request.user)
    user = request.user
    programmes = list(Programme.objects.visible_to(user).select_related("team").order_by("name"))
    filters = _filters(request, programmes)
    projects = (
        Project.objects.visible_to(user)
        .select_related("programme", "team")
        .prefetch_related(
            Prefetch(
                "fundings",
                queryset=Funding.objects.select_related("funder").order_by("-amount", "id"),
            )
        )
        .annotate(indicator_count=Count("indicators", distinct=True))
    )
    if filters["programme"]:
        projects = projects.filter(programme_id=int(filters["programme"]))
    if filters["status"]:
        projects = projects.filter(status=filters["status"])
    page = Paginator(projects.order_by("-start", "title", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "programmes/projects/project_list.html",
        {
            "page": page,
            "projects": page.object_list,
            "filters": filters,
            "programmes": programmes,
            "statuses": ProjectStatus.choices,
            "several_teams": len(user.team_ids) > 1 or user.has_role("administrator"),
            "can_create": can_plan(user),
        },
    )


def _budget(project: Project, fundings, lines) -> dict:
    funded = sum((funding.amount for funding in fundings), Decimal(0))
    planned = sum((line.planned for line in lines), Decimal(0))
    spent = sum((line.spent for line in lines), Decimal(0))
    for line in lines:
        line.remaining = line.planned - line.spent
        line.over = line.spent > line.planned
        line.spent_percent = (line.spent * 100 / line.planned).quantize(1) if line.planned else None
    for funding in fundings:
        funding.share = (
            (funding.amount * 100 / project.total_budget).quantize(Decimal("0.1"))
            if project.total_budget
            else None
        )
    return {
        "funded": funded,
        "other_sources": project.total_budget - funded,
        "planned": planned,
        "spent": spent,
        "remaining": planned - spent,
        "over": spent > planned,
        "planned_over_total": planned > project.total_budget,
        "over_lines": sum(1 for line in lines if line.over),
    }


@login_required
def project_detail(request, pk):
    actions.require_reader(request.user)
    project = get_project_for_user(request, pk)
    fundings = list(project.fundings.select_related("funder").order_by("-amount", "id"))
    lines = list(project.budget_lines.all())
    sessions = list(
        Session.objects.visible_to(request.user)
        .filter(project=project)
        .select_related("facility")
        .order_by("-start", "-id")[:LATEST_SESSIONS]
    )
    return render(
        request,
        "programmes/projects/project_detail.html",
        {
            "project": project,
            # The breakdowns load when opened (indicator_breakdown): the page stays quick.
            "kpis": kpi_rows(project),
            "fundings": fundings,
            "budget_lines": lines,
            "budget": _budget(project, fundings, lines),
            "facilities": list(project.facilities.order_by("name")),
            "regions": list(project.regions.order_by("country", "name")),
            "sessions": sessions,
            "can_edit": can_edit_project(request.user, project),
        },
    )


def _apply_errors(form, formsets: dict, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        if field in formsets:
            formset = formsets[field]
            formset._non_form_errors = formset.error_class(
                problems, error_class="nonform", renderer=formset.renderer
            )
        elif field in form.fields:
            form.add_error(field, problems)
        else:
            form.add_error(None, problems)


def _edit(request, project: Project | None):
    teams = actions.planning_teams(request.user)
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, teams=teams, project=project)
    fundings = FundingRows(data, prefix="fundings", initial=funding_initial(project))
    lines = BudgetLineRows(data, prefix="lines", initial=budget_line_initial(project))
    stale = None
    if data is not None and all([form.is_valid(), fundings.is_valid(), lines.is_valid()]):
        fields = form.project_fields()
        rows = {
            "fundings": fundings.fundings(),
            "budget_lines": lines.budget_lines(),
            "facilities": form.cleaned_data["facilities"],
            "regions": form.cleaned_data["regions"],
            "programme_name": form.cleaned_data["programme_name"],
        }
        try:
            if project is None:
                project = actions.create_project(
                    request.user, team=form.chosen_team(), **rows, **fields
                )
            else:
                actions.update_project(
                    request.user,
                    project,
                    version=form.cleaned_data["version"] or 0,
                    **rows,
                    **fields,
                )
        except actions.StaleEdit as exc:
            stale = exc.current
            form.add_error(
                None,
                _(
                    "Someone else saved this project while you were editing it, so your "
                    "changes were not saved. Open the project to see their version, then "
                    "edit it again."
                ),
            )
        except ValidationError as exc:
            _apply_errors(form, {"fundings": fundings, "budget_lines": lines}, exc)
        else:
            messages.success(request, _("Project saved."))
            return redirect("programmes:project_detail", pk=project.pk)
    return render(
        request,
        "programmes/projects/project_form.html",
        {
            "project": project,
            "form": form,
            "fundings": fundings,
            "lines": lines,
            "stale": stale,
            "funder_names": Funder.objects.order_by("name").values_list("name", flat=True),
        },
    )


@login_required
def project_create(request):
    actions.require_reader(request.user)
    if not can_plan(request.user):
        raise PermissionDenied
    return _edit(request, None)


@login_required
def project_edit(request, pk):
    actions.require_reader(request.user)
    project = get_project_for_user(request, pk)
    if not can_edit_project(request.user, project):
        raise PermissionDenied
    return _edit(request, project)


urlpatterns: list = [
    path("projects/", project_list, name="project_list"),
    path("projects/new/", project_create, name="project_create"),
    path("projects/<int:pk>/", project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", project_edit, name="project_edit"),
    *project_indicators.urlpatterns,
]
