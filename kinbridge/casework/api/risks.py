"""API: risk flags under /api/v1/risk-flags/.

Listed only to those who may see a case's flags (its workers, the team's
supervisors, administrators): others get an empty list, never a flag's
content; roles without casework get 403. ``?case=<id>`` lists one case's flags.
Creates take an ``Idempotency-Key``; ``resolve`` is an action of its own.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kinbridge.api.errors import action_errors
from kinbridge.api.idempotency import IDEMPOTENCY_PARAMETER, IdempotentCreateMixin
from kinbridge.api.pagination import KeysetPagination
from kinbridge.api.permissions import IsVerifiedUser
from kinbridge.casework import risk_actions
from kinbridge.casework.access import (
    does_casework,
    get_case_for_user,
    get_risk_flag_for_user,
    risk_flags_visible_to,
)
from kinbridge.casework.models import RiskFlag
from kinbridge.casework.serializers_risks import (
    RiskFlagCreateSerializer,
    RiskFlagResolveSerializer,
    RiskFlagSerializer,
)


class DoesCasework(IsVerifiedUser):
    """Casework roles; facilitators, volunteers and analysts are refused (403)."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and does_casework(request.user)


class _RiskFlagBase(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = RiskFlagSerializer
    permission_classes = [DoesCasework]
    pagination_class = KeysetPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RiskFlag.objects.none()
        flags = risk_flags_visible_to(self.request.user)
        case = self.request.query_params.get("case", "")
        if case:
            flags = flags.filter(case_id=int(case) if case.isdigit() else 0)
        return flags

    def create(self, request, *args, **kwargs):
        form = RiskFlagCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        fields = dict(form.validated_data)
        case = get_case_for_user(request, fields.pop("case"), audit=False)
        with action_errors():
            flag = risk_actions.raise_flag(request.user, case, **fields)
        return Response(RiskFlagSerializer(flag).data, status=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[OpenApiParameter("case", OpenApiTypes.INT, description="Only this case's flags")]
)
class RiskFlagViewSet(IdempotentCreateMixin, _RiskFlagBase):
    """Risk flags you may see, newest first: of the cases you work on and the teams you
    supervise. Others who see a case get no flag from here (the case page says only
    that a restricted flag is recorded)."""

    @extend_schema(
        request=RiskFlagCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: RiskFlagSerializer,
            400: OpenApiResponse(description="Bad input: errors by field"),
            403: OpenApiResponse(description="You may not see this case's risk flags"),
            404: OpenApiResponse(description="No such case for you"),
        },
    )
    def create(self, request, *args, **kwargs):
        """Raise a flag. A risk of child abandonment names one or more reasons."""
        return super().create(request, *args, **kwargs)

    @extend_schema(responses={200: RiskFlagSerializer, 403: None, 404: None})
    def retrieve(self, request, pk=None):
        flag = get_risk_flag_for_user(request, pk)
        return Response(RiskFlagSerializer(flag).data)

    @extend_schema(
        request=RiskFlagResolveSerializer,
        responses={
            200: RiskFlagSerializer,
            400: OpenApiResponse(description="Bad input, or already resolved: errors by field"),
        },
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Resolve the flag, saying how (once; not before it was raised, not in the future)."""
        flag = get_risk_flag_for_user(request, pk)
        form = RiskFlagResolveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with action_errors():
            flag = risk_actions.resolve_flag(request.user, flag, **form.validated_data)
        return Response(RiskFlagSerializer(flag).data)


ROUTES: list = [("risk-flags", RiskFlagViewSet, "riskflag")]
PATHS: list = []
