"""Pages: the funder report (page, PDF, XLSX) and the project dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import dateformat, timezone, translation

from kinbridge.programmes import report_files, reports
from kinbridge.programmes.charts import bar_chart
from kinbridge.programmes.forms_reports import ReportForm
from kinbridge.programmes.models import Session, SessionStatus
from kinbridge.programmes.reports_actions import export_report, project_for_report, report_for
from kinbridge.programmes.suppression import Hidden

UPCOMING = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(request, project):
    allowed = reports.allowed_variants(request.user, project)
    return ReportForm(request.GET, project=project, allowed=allowed), allowed


def _page(request, project, form, allowed, report=None, status=200):
    query = ""
    if form.is_valid():
        query = (
            f"start={form.cleaned_data['start']:%Y-%m-%d}&end={form.cleaned_data['end']:%Y-%m-%d}"
            f"&variant={form.cleaned_data['variant']}"
        )
    return render(
        request,
        "programmes/reports/report.html",
        {
            "project": project,
            "form": form,
            "report": report,
            "allowed": allowed,
            "query": query,
        },
        status=status,
    )


@login_required
def project_report(request, pk):
    """The funder report for a period, as a printable page with links to the files."""
    project = project_for_report(request, pk)
    form, allowed = _form(request, project)
    if not form.is_valid():
        return _page(request, project, form, allowed, status=400)
    report = report_for(request.user, project, **form.cleaned_data)
    return _page(request, project, form, allowed, report)


def _file(request, pk, format: str):
    project = project_for_report(request, pk)
    form, allowed = _form(request, project)
    if not form.is_valid():
        return _page(request, project, form, allowed, status=400)
    with translation.override(request.LANGUAGE_CODE):
        data = export_report(request.user, project, format=format, **form.cleaned_data)
        if format == "pdf":
            body, content_type = report_files.render_pdf(data), "application/pdf"
        else:
            body, content_type = report_files.render_xlsx(data), XLSX
    response = HttpResponse(body, content_type=content_type)
    name = report_files.filename(data, format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def project_report_pdf(request, pk):
    return _file(request, pk, "pdf")


@login_required
def project_report_xlsx(request, pk):
    return _file(request, pk, "xlsx")


def _per_month(table: dict) -> tuple[list[str], list]:
    labels = [dateformat.format(row["month"], "M Y") for row in table["rows"]]
    return labels, [row["total"] for row in table["rows"]]


@login_required
def project_dashboard(request, pk):
    """KPI progress, sessions and participations per month, the next sessions."""
    project = project_for_report(request, pk)
    allowed = reports.allowed_variants(request.user, project)
    variant = allowed[0]
    report = report_for(
        request.user, project, start=project.start, end=project.end, variant=variant
    )
    for kpi in report["kpis"]:
        kpi["bar"] = min(kpi["percent"], 100) if kpi["percent"] is not None else None
    labels, sessions = _per_month(report["activities"]["sessions"])
    _labels, participations = _per_month(report["activities"]["participations"])
    upcoming = (
        Session.objects.visible_to(request.user)
        .filter(project=project, start__gte=timezone.now())
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("facility")
        .order_by("start", "id")[:UPCOMING]
    )
    charts = [
        bar_chart(
            labels,
            sessions,
            title=translation.gettext("Sessions held per month"),
            description=translation.gettext(
                "Number of sessions held in each month of the project."
            ),
        ),
        bar_chart(
            labels,
            participations,
            title=translation.gettext("Participations per month"),
            description=translation.gettext(
                "People present at the sessions of each month, added up, with unnamed headcounts."
            ),
        ),
    ]
    return render(
        request,
        "programmes/reports/dashboard.html",
        {
            "project": project,
            "report": report,
            "charts": charts,
            "upcoming": list(upcoming),
            "any_hidden": any(isinstance(value, Hidden) for value in participations),
        },
    )


urlpatterns = [
    path("projects/<int:pk>/report/", project_report, name="project_report"),
    path("projects/<int:pk>/report/pdf/", project_report_pdf, name="project_report_pdf"),
    path("projects/<int:pk>/report/xlsx/", project_report_xlsx, name="project_report_xlsx"),
    path("projects/<int:pk>/dashboard/", project_dashboard, name="project_dashboard"),
]
