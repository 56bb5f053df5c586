"""API: programmes, funders, projects (fundings and budget lines nested) and KPI
indicators with live actuals, under /api/v1/.

Scoped as the pages are: volunteers are refused (403); analysts and the
other programme roles read their teams' projects and indicators (aggregates
only); administrators and the team's programme managers write, through the
same actions as the forms.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings

from kinbridge.api.errors import action_errors
from kinbridge.audit.actions import record_read
from kinbridge.programmes import actions_indicators, actions_projects, indicators
from kinbridge.programmes.access import can_edit_project, can_plan, can_plan_for_team
from kinbridge.programmes.models import (
    Funder,
    Funding,
    Indicator,
    Programme,
    Project,
    ProjectStatus,
)
from kinbridge.programmes.serializers_projects import (
    EvidenceUploadSerializer,
    FunderSerializer,
    IndicatorSerializer,
    ProgrammeSerializer,
    ProjectSerializer,
)
from kinbridge.programmes.views.project_indicators import evidence_response


def _readers_only(request) -> None:
    if not actions_projects.can_see_projects(request.user):
        raise PermissionDenied


def _id_param(request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


# --- Programmes and funders ------------------------------------------------------------


class ProgrammeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Programmes of your teams: continuing lines of work funded by one project after
    another. Administrators and the team's programme managers create and rename them."""

    serializer_class = ProgrammeSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Programme.objects.none()
        _readers_only(self.request)
        return Programme.objects.visible_to(self.request.user)

    def create(self, request, *args, **kwargs):
        _readers_only(request)
        if not can_plan(request.user):
            raise PermissionDenied
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        with action_errors():
            serializer.instance = actions_projects.create_programme(
                self.request.user, **serializer.validated_data
            )

    def update(self, request, *args, **kwargs):
        if not can_plan_for_team(request.user, self.get_object().team_id):
            raise PermissionDenied
        return super().update(request, *args, **kwargs)

    def perform_update(self, serializer):
        with action_errors():
            serializer.instance = actions_projects.update_programme(
                self.request.user, serializer.instance, **serializer.validated_data
            )


class FunderViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Funders: foundations, lottery funds, grant programmes. Shared by every team;
    administrators and programme managers add them (a project's fundings can also
    name a new funder, which is then added)."""

    serializer_class = FunderSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Funder.objects.none()
        _readers_only(self.request)
        return Funder.objects.all()

    def create(self, request, *args, **kwargs):
        _readers_only(request)
        if not can_plan(request.user):
            raise PermissionDenied
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        with action_errors():
            serializer.instance = actions_projects.create_funder(
                self.request.user, **serializer.validated_data
            )


# --- Projects ---------------------------------------------------------------------------

PROJECT_FILTERS = [
    OpenApiParameter("programme", OpenApiTypes.INT, description="Only this programme's"),
    OpenApiParameter("team", OpenApiTypes.INT, description="Only this team's"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=ProjectStatus.values),
]


class StaleProjectSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = ProjectSerializer()


@extend_schema_view(
    list=extend_schema(parameters=PROJECT_FILTERS),
    create=extend_schema(
        description=(
            "Name the programme (``programme``) or give ``programme_name`` to make one. "
            "Fundings name a funder by ``funder_id`` or ``funder_name`` (found in any "
            "case, or added). Bad input answers 400 by field; nothing is saved."
        )
    ),
    update=extend_schema(
        responses={200: ProjectSerializer, 409: StaleProjectSerializer},
        description="Send the ``version`` you read; a newer version on file answers 409.",
    ),
    partial_update=extend_schema(
        responses={200: ProjectSerializer, 409: StaleProjectSerializer},
        description=(
            "Send the ``version`` you read; a newer version on file answers 409. "
            "``fundings`` and ``budget_lines``, when sent, are the full new lists."
        ),
    ),
)
class ProjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Projects of your teams with their fundings and budget lines."""

    serializer_class = ProjectSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        _readers_only(self.request)
        projects = Project.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("fundings", queryset=Funding.objects.select_related("funder")),
            "budget_lines",
            "facilities",
            "regions",
        )
        if self.action == "list":
            params = self.request.query_params
            for name in ("programme", "team"):
                if name in params:
                    projects = projects.filter(**{f"{name}_id": _id_param(self.request, name)})
            if params.get("status") in ProjectStatus.values:
                projects = projects.filter(status=params["status"])
        return projects

    @staticmethod
    def _rows(data: dict) -> dict:
        fields = dict(data)
        if "fundings" in fields:
            fields["fundings"] = [
                {
                    "funder": row.get("funder"),
                    "funder_name": row.get("funder_name", ""),
                    "amount": row["amount"],
                }
                for row in fields["fundings"]
            ]
        if "budget_lines" in fields:
            fields["budget_lines"] = [dict(row) for row in fields["budget_lines"]]
        fields.pop("version", None)
        return fields

    def create(self, request, *args, **kwargs):
        _readers_only(request)
        if not can_plan(request.user):
            raise PermissionDenied
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        with action_errors():
            project = actions_projects.create_project(
                self.request.user, **self._rows(serializer.validated_data)
            )
        serializer.instance = self.get_queryset().get(pk=project.pk)

    def update(self, request, *args, **kwargs):
        project = self.get_object()
        if not can_edit_project(request.user, project):
            raise PermissionDenied
        serializer = self.get_serializer(
            project, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        fields = self._rows(serializer.validated_data)
        try:
            with action_errors():
                actions_projects.update_project(
                    request.user, project, version=serializer.validated_data["version"], **fields
                )
        except actions_projects.StaleEdit as stale:
            current = self.get_queryset().get(pk=stale.current.pk)
            return Response(
                {
                    "detail": _("This project was changed by someone else; read it again."),
                    "current": self.get_serializer(current).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=project.pk)).data)


# --- Indicators -------------------------------------------------------------------------


def _parameter_errors(errors: dict) -> dict:
    """A kind's settings' errors go under ``parameters``, by setting name."""
    names = {p.name for kind in indicators.KINDS.values() for p in kind.parameters}
    nested = {name: errors.pop(name) for name in list(errors) if name in names}
    if "parameters" in errors:
        nested[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop("parameters")
    if nested:
        errors["parameters"] = nested
    return errors


class MoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["up", "down"])


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("project", OpenApiTypes.INT, description="Only this one's")],
        description=(
            "Each indicator with its live ``actual`` and ``percent`` of the target, counted "
            "from held sessions and their attendance (people once per indicator)."
        ),
    ),
    retrieve=extend_schema(
        description="With the ``breakdown`` of the actual by facility and by month."
    ),
    create=extend_schema(
        description=(
            "``kind``: how the actual is counted; ``parameters``: that kind's settings "
            "(errors come back under ``parameters`` by setting name). Manual kinds take "
            "``manual_actual``; upload their evidence with the ``evidence`` endpoint."
        )
    ),
)
class IndicatorViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """KPI indicators of the projects you can see, with targets and live actuals."""

    serializer_class = IndicatorSerializer
    parser_classes = [JSONParser]

    def get_serializer_context(self):
        return super().get_serializer_context() | {"breakdown": self.action != "list"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Indicator.objects.none()
        _readers_only(self.request)
        found = Indicator.objects.filter(
            project__in=Project.objects.visible_to(self.request.user)
        ).select_related("project")
        if self.action == "list" and "project" in self.request.query_params:
            found = found.filter(project_id=_id_param(self.request, "project"))
        return found

    def _editable(self) -> Indicator:
        indicator = self.get_object()
        if not can_edit_project(self.request.user, indicator.project):
            raise PermissionDenied
        return indicator

    def create(self, request, *args, **kwargs):
        _readers_only(request)
        if not can_plan(request.user):
            raise PermissionDenied
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = data.pop("project")
        with action_errors(_parameter_errors):
            serializer.instance = actions_indicators.create_indicator(
                self.request.user, project, **data
            )

    def update(self, request, *args, **kwargs):
        self._editable()
        return super().update(request, *args, **kwargs)

    def perform_update(self, serializer):
        with action_errors(_parameter_errors):
            serializer.instance = actions_indicators.update_indicator(
                self.request.user, serializer.instance, **serializer.validated_data
            )

    def destroy(self, request, *args, **kwargs):
        indicator = self._editable()
        with action_errors():
            actions_indicators.delete_indicator(request.user, indicator)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MoveSerializer, responses=IndicatorSerializer(many=True))
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the indicator one place up or down in its project's KPI table; answers
        the project's indicators in their new order."""
        indicator = self._editable()
        form = MoveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        offset = -1 if form.validated_data["direction"] == "up" else 1
        with action_errors():
            actions_indicators.move_indicator(request.user, indicator, offset)
        siblings = self.get_queryset().filter(project_id=indicator.project_id)
        context = self.get_serializer_context() | {"breakdown": False}
        return Response(IndicatorSerializer(siblings, many=True, context=context).data)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(description="No such indicator, or it has no evidence"),
        },
        description="Download the evidence file, as an attachment. Every download is audited.",
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses=IndicatorSerializer,
        description="Manual indicators: upload (or replace) the evidence file, multipart.",
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser])
    def evidence(self, request, pk=None):
        if request.method == "GET":
            indicator = self.get_object()
            response = evidence_response(indicator)
            record_read(request.user, indicator, file="evidence")
            return response
        indicator = self._editable()
        form = EvidenceUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        fields = {"evidence": form.validated_data["evidence"]}
        if "evidence_note" in form.validated_data:
            fields["evidence_note"] = form.validated_data["evidence_note"]
        with action_errors():
            indicator = actions_indicators.update_indicator(request.user, indicator, **fields)
        return Response(IndicatorSerializer(indicator, context=self.get_serializer_context()).data)


# (prefix, viewset, basename) registered on the /api/v1/ router.
ROUTES: list = [
    ("programmes", ProgrammeViewSet, "programme"),
    ("funders", FunderViewSet, "funder"),
    ("projects", ProjectViewSet, "project"),
    ("indicators", IndicatorViewSet, "indicator"),
]
# Extra paths under /api/v1/ (django.urls.path objects, named).
PATHS: list = []
