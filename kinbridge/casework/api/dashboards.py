"""API: caseload figures, ``/api/v1/caseload/`` (mine) and ``/api/v1/team-caseloads/``
(per team I supervise, with its flagged cases). The same figures as the pages."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from kinbridge.casework import caseload
from kinbridge.casework.access import is_supervisor
from kinbridge.casework.api.risks import DoesCasework
from kinbridge.casework.forms_dashboards import NoContactForm
from kinbridge.casework.serializers_dashboards import CaseloadSerializer, TeamCaseloadsSerializer

DAYS_PARAMETER = OpenApiParameter(
    "days",
    OpenApiTypes.INT,
    description="List cases without contact for at least this many days (1-365; "
    "default: the KINBRIDGE_CASE_NO_CONTACT_DAYS setting)",
)


def _days(request) -> int:
    form = NoContactForm(request.query_params if "days" in request.query_params else None)
    if form.is_bound and not form.is_valid():
        raise ValidationError(form.errors)
    return form.days_or_default()


class CaseloadView(APIView):
    """My caseload: active cases I lead or work on, with their last contact and tasks."""

    permission_classes = [DoesCasework]

    @extend_schema(
        operation_id="caseload",
        parameters=[DAYS_PARAMETER],
        responses={200: CaseloadSerializer, 400: OpenApiResponse(description="A bad days")},
    )
    def get(self, request):
        data = caseload.my_caseload(request.user, days=_days(request))
        return Response(CaseloadSerializer(data).data)


class TeamCaseloadsView(APIView):
    """Per team I supervise: each worker's caseload, cases by status, open risk flags."""

    permission_classes = [DoesCasework]

    @extend_schema(
        operation_id="team_caseloads",
        parameters=[DAYS_PARAMETER],
        responses={
            200: TeamCaseloadsSerializer,
            400: OpenApiResponse(description="A bad days"),
            403: OpenApiResponse(description="Not a supervisor (programme manager) or admin"),
        },
    )
    def get(self, request):
        if not is_supervisor(request.user):
            raise PermissionDenied
        data = caseload.team_caseloads(request.user, days=_days(request))
        return Response(TeamCaseloadsSerializer(data).data)


ROUTES: list = []
PATHS: list = [
    path("caseload/", CaseloadView.as_view(), name="caseload"),
    path("team-caseloads/", TeamCaseloadsView.as_view(), name="team-caseloads"),
]
