"""API: the funder report of a project as JSON (the same data as the page and files)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from kinbridge.api.errors import action_errors
from kinbridge.api.permissions import IsVerifiedUser
from kinbridge.programmes import reports
from kinbridge.programmes.forms_reports import ReportForm
from kinbridge.programmes.reports_actions import project_for_report, report_for


class ReportSerializer(serializers.Serializer):
    """The report's shape, for the schema. Counts of people in the external variant
    may be a string instead of a number: "<5" (a small count) or "*" (hidden so that
    a small count cannot be worked out from a total). Money is a decimal string."""

    variant = serializers.ChoiceField(choices=reports.VARIANTS)
    threshold = serializers.IntegerField(allow_null=True)
    generated_at = serializers.DateTimeField()
    period = serializers.DictField(help_text="start, end (dates) and months")
    header = serializers.DictField(
        help_text="organisation, title, code, programme, team, funders [{name, amount}], "
        "total_budget, currency, start, end, months, facilities, regions"
    )
    kpis = serializers.ListField(
        child=serializers.DictField(),
        help_text="name, kind, counted_as, counts_people, target, actual, percent, evidence",
    )
    beneficiaries = serializers.ListField(
        child=serializers.DictField(), help_text="key, label, value, note (footnote number)"
    )
    activities = serializers.DictField(
        help_text="sessions and participations: {columns (places), rows [{month, cells, total}], "
        "column_totals, total}"
    )
    budget = serializers.DictField(
        help_text="currency, lines [{name, planned, spent, remaining, percent_spent}], planned, "
        "spent, remaining, percent_spent, total_budget, funders [{name, amount, share}], "
        "other_sources"
    )
    notes = serializers.CharField()
    footnotes = serializers.ListField(child=serializers.CharField())


class ProjectReportView(APIView):
    """The funder report of a project for a period, in the user's language."""

    permission_classes = [IsVerifiedUser]

    @extend_schema(
        operation_id="project_report",
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="First day (project start)"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Last day (project end)"),
            OpenApiParameter(
                "variant",
                OpenApiTypes.STR,
                enum=list(reports.VARIANTS),
                description="internal (exact; administrators and the team's staff) or "
                "external (small counts hidden; the default for analysts)",
            ),
        ],
        responses={
            200: ReportSerializer,
            400: OpenApiResponse(description="A bad period: errors by field"),
            403: OpenApiResponse(description="Not allowed this variant, or no programme role"),
            404: OpenApiResponse(description="No such project for this user"),
        },
    )
    def get(self, request, pk):
        project = project_for_report(request, pk)
        form = ReportForm(
            request.query_params,
            project=project,
            allowed=reports.allowed_variants(request.user, project),
        )
        if not form.is_valid():
            raise ValidationError(form.errors)
        with action_errors():
            data = report_for(request.user, project, **form.cleaned_data)
        return Response(reports.plain(data))


# (prefix, viewset, basename) registered on the /api/v1/ router.
ROUTES: list = []
# Extra paths under /api/v1/ (django.urls.path objects, named).
PATHS: list = [
    path("projects/<int:pk>/report/", ProjectReportView.as_view(), name="project-report"),
]
