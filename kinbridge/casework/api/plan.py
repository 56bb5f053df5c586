"""Casework API: the list of needs, needs on cases, goals and plan reviews.

The same access as the pages: casework roles read the cases they see (others 403);
the list of needs is read by casework roles and changed by administrators. Goal
edits send the version they were made on; a stale one answers 409.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from kinbridge.api.idempotency import IDEMPOTENCY_PARAMETER, IdempotentCreateMixin
from kinbridge.api.permissions import IsAdministrator
from kinbridge.casework import plan_actions
from kinbridge.casework.api.case_records import (
    CASE_FILTER,
    CaseRecordCreateMixin,
    CaseRecordViewSet,
    DoesCasework,
    run,
    stale_answer,
)
from kinbridge.casework.locking import StaleEdit
from kinbridge.casework.models import CaseNeed, Goal, NeedType, PlanReview
from kinbridge.casework.serializers_plan import (
    CaseNeedCreateSerializer,
    CaseNeedSerializer,
    CaseNeedUpdateSerializer,
    GoalCreateSerializer,
    GoalSerializer,
    GoalUpdateSerializer,
    NeedTypeSerializer,
    NeedTypeUpdateSerializer,
    PlanReviewCreateSerializer,
    PlanReviewSerializer,
)


@extend_schema_view(
    create=extend_schema(parameters=[IDEMPOTENCY_PARAMETER]),
    partial_update=extend_schema(request=NeedTypeUpdateSerializer),
)
class NeedTypeViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The organisation's list of needs, in order. Administrators add their own needs,
    rename them, retire them (``is_active``) and reorder them (``position``)."""

    serializer_class = NeedTypeSerializer
    queryset = NeedType.objects.all()
    http_method_names = ["get", "post", "patch", "head", "options"]
    pagination_class = None

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [DoesCasework()]
        return [IsAdministrator()]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = run(
            lambda: plan_actions.create_need_type(
                self.request.user, name=data["name"], position=data.get("position")
            )
        )

    def partial_update(self, request, *args, **kwargs):
        need_type = self.get_object()
        form = NeedTypeUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        need_type = run(
            lambda: plan_actions.update_need_type(request.user, need_type, **form.validated_data)
        )
        return Response(NeedTypeSerializer(need_type).data)


@extend_schema_view(
    list=extend_schema(parameters=[CASE_FILTER]),
    create=extend_schema(
        request=CaseNeedCreateSerializer,
        responses={201: CaseNeedSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    ),
    partial_update=extend_schema(request=CaseNeedUpdateSerializer),
)
class CaseNeedViewSet(IdempotentCreateMixin, CaseRecordCreateMixin, CaseRecordViewSet):
    """Needs on the cases you see, most severe first. A need already on a case answers
    400; change its severity or status (open, met, no longer relevant) instead."""

    model = CaseNeed
    serializer_class = CaseNeedSerializer
    create_serializer_class = CaseNeedCreateSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def records(self):
        return super().records().select_related("need")

    def create_record(self, case, fields):
        return plan_actions.add_need(self.request.user, case, **fields)

    def partial_update(self, request, *args, **kwargs):
        case_need = self.get_object()
        form = CaseNeedUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        case_need = run(
            lambda: plan_actions.update_need(request.user, case_need, **form.validated_data)
        )
        return Response(CaseNeedSerializer(case_need).data)


@extend_schema_view(
    list=extend_schema(parameters=[CASE_FILTER]),
    create=extend_schema(
        request=GoalCreateSerializer,
        responses={201: GoalSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    ),
    partial_update=extend_schema(
        request=GoalUpdateSerializer, responses={200: GoalSerializer, 409: None}
    ),
)
class GoalViewSet(IdempotentCreateMixin, CaseRecordCreateMixin, CaseRecordViewSet):
    """Goals of the plans of the cases you see. An edit sends the ``version`` it was made
    on; if someone saved since, it answers 409 with the goal as it is now and the
    differences, and nothing is saved."""

    model = Goal
    serializer_class = GoalSerializer
    create_serializer_class = GoalCreateSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create_record(self, case, fields):
        return plan_actions.create_goal(self.request.user, case, **fields)

    def partial_update(self, request, *args, **kwargs):
        goal = self.get_object()
        form = GoalUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        fields = dict(form.validated_data)
        version = fields.pop("version")
        try:
            goal = run(
                lambda: plan_actions.update_goal(request.user, goal, version=version, **fields)
            )
        except StaleEdit as stale:
            detail = _("This goal was changed by someone else; nothing was saved.")
            return stale_answer(stale, GoalSerializer, detail)
        return Response(GoalSerializer(goal).data)


@extend_schema_view(
    list=extend_schema(parameters=[CASE_FILTER]),
    create=extend_schema(
        request=PlanReviewCreateSerializer,
        responses={201: PlanReviewSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    ),
)
class PlanReviewViewSet(IdempotentCreateMixin, CaseRecordCreateMixin, CaseRecordViewSet):
    """Plan reviews of the cases you see, latest first. Recording one sets the case's
    next review date and puts "Plan reviewed" on its timeline."""

    model = PlanReview
    serializer_class = PlanReviewSerializer
    create_serializer_class = PlanReviewCreateSerializer

    def create_record(self, case, fields):
        return plan_actions.review_plan(self.request.user, case, **fields)


ROUTES = [
    ("need-types", NeedTypeViewSet, "needtype"),
    ("case-needs", CaseNeedViewSet, "caseneed"),
    ("goals", GoalViewSet, "goal"),
    ("plan-reviews", PlanReviewViewSet, "planreview"),
]
PATHS: list = []
