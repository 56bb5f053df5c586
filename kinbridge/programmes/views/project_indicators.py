"""Pages: a project's KPI indicators (add, edit, move up or down, delete, evidence file).

An indicator is reached through its project: the project's access helper
decides (404 when the project is not visible), editing needs
``can_edit_project``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinbridge.audit.actions import record_read
from kinbridge.consents.storage import content_type
from kinbridge.programmes import actions_indicators as actions
from kinbridge.programmes import indicators
from kinbridge.programmes.access import can_edit_project, get_project_for_user
from kinbridge.programmes.actions_projects import require_reader
from kinbridge.programmes.forms_projects import IndicatorForm, KindChoiceForm
from kinbridge.programmes.models import Indicator, Project
from kinbridge.programmes.projects_kpi import kpi_row


def get_indicator_for_user(request, pk) -> Indicator:
    """The indicator, when its project is visible to the user; 404 otherwise."""
    require_reader(request.user)
    try:
        indicator = Indicator.objects.get(pk=pk)
    except (Indicator.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    indicator.project = get_project_for_user(request, indicator.project_id)
    return indicator


def _require_editor(request, project: Project) -> None:
    if not can_edit_project(request.user, project):
        raise PermissionDenied


def _kpi_url(project: Project, indicator: Indicator | None = None) -> str:
    anchor = f"indicator-{indicator.pk}" if indicator else "kpi"
    return f"{reverse('programmes:project_detail', args=[project.pk])}#{anchor}"


def _chosen_kind(request, default: str | None) -> indicators.IndicatorKind | None:
    code = request.POST.get("kind") if request.method == "POST" else request.GET.get("kind")
    return indicators.KINDS.get(code or default or "")


def _edit(request, project: Project, indicator: Indicator | None):
    kind = _chosen_kind(request, indicator.kind if indicator else None)
    chooser = KindChoiceForm(initial={"kind": kind.code if kind else None})
    form = None
    if kind is not None:
        data = request.POST if request.method == "POST" else None
        files = request.FILES if request.method == "POST" else None
        form = IndicatorForm(data, files, kind=kind, indicator=indicator)
        if data is not None and form.is_valid():
            fields = form.indicator_fields()
            evidence = form.cleaned_data.get("evidence")
            try:
                if indicator is None:
                    indicator = actions.create_indicator(
                        request.user, project, evidence=evidence, **fields
                    )
                else:
                    actions.update_indicator(request.user, indicator, evidence=evidence, **fields)
            except ValidationError as exc:
                for key, problems in exc.message_dict.items():
                    form.add_error(form.field_for_error(key), problems)
            else:
                messages.success(request, _("Indicator saved."))
                return redirect(_kpi_url(project, indicator))
    return render(
        request,
        "programmes/projects/indicator_form.html",
        {
            "project": project,
            "indicator": indicator,
            "kind": kind,
            "kinds": list(indicators.KINDS.values()),
            "chooser": chooser,
            "form": form,
            "kind_changed": indicator is not None
            and kind is not None
            and kind.code != indicator.kind,
        },
    )


@login_required
def indicator_create(request, pk):
    require_reader(request.user)
    project = get_project_for_user(request, pk)
    _require_editor(request, project)
    return _edit(request, project, None)


@login_required
def indicator_edit(request, pk):
    indicator = get_indicator_for_user(request, pk)
    _require_editor(request, indicator.project)
    return _edit(request, indicator.project, indicator)


@login_required
def indicator_delete(request, pk):
    """GET asks for confirmation (the table's button asks in the browser when it can)."""
    indicator = get_indicator_for_user(request, pk)
    _require_editor(request, indicator.project)
    if request.method != "POST":
        return render(
            request,
            "programmes/projects/indicator_delete.html",
            {"indicator": indicator, "project": indicator.project},
        )
    actions.delete_indicator(request.user, indicator)
    messages.success(request, _("Indicator “%(name)s” deleted.") % {"name": indicator.name})
    return redirect(_kpi_url(indicator.project))


@login_required
@require_POST
def indicator_move(request, pk):
    indicator = get_indicator_for_user(request, pk)
    _require_editor(request, indicator.project)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        messages.error(request, _("Move an indicator one place up or down."))
    else:
        actions.move_indicator(request.user, indicator, offset)
    return redirect(_kpi_url(indicator.project, indicator))


@login_required
def indicator_breakdown(request, pk):
    """The actual by facility and by month: a fragment for the KPI table (htmx), or a page."""
    indicator = get_indicator_for_user(request, pk)
    context = {
        "project": indicator.project,
        "row": kpi_row(indicator, breakdown=True),
    }
    if request.htmx:
        return render(request, "programmes/projects/_kpi_breakdown.html", context)
    return render(request, "programmes/projects/indicator_breakdown.html", context)


def evidence_response(indicator: Indicator) -> FileResponse:
    """The evidence file as a download (never shown inline); 404 if there is none."""
    if not indicator.evidence:
        raise Http404
    try:
        handle = indicator.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = indicator.evidence.name
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"indicator-{indicator.pk}-evidence.{name.rsplit('.', 1)[-1]}",
        content_type=content_type(name),
    )


@login_required
def indicator_evidence(request, pk):
    """For whoever may see the project; every download is audited."""
    indicator = get_indicator_for_user(request, pk)
    response = evidence_response(indicator)
    record_read(request.user, indicator, file="evidence")
    return response


urlpatterns: list = [
    path("projects/<int:pk>/indicators/new/", indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/edit/", indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", indicator_delete, name="indicator_delete"),
    path("indicators/<int:pk>/move/", indicator_move, name="indicator_move"),
    path("indicators/<int:pk>/evidence/", indicator_evidence, name="indicator_evidence"),
    path("indicators/<int:pk>/breakdown/", indicator_breakdown, name="indicator_breakdown"),
]
