"""Casework API: tasks. ``ROUTES`` (prefix, viewset, basename) go to the router,
``PATHS`` (plain views) under /api/v1/; kinbridge/api/urls.py collects both.

The same access as the pages: a task is seen by its assignee and by whoever sees
its case; roles without casework get 403. The list shows your own tasks unless
you ask for a case's (``case``) or every task you see (``whose=all``).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kinbridge.api.errors import action_errors
from kinbridge.api.idempotency import IDEMPOTENCY_PARAMETER, IdempotentCreateMixin
from kinbridge.api.pagination import KeysetPagination
from kinbridge.api.permissions import IsVerifiedUser
from kinbridge.casework import task_actions
from kinbridge.casework.access import does_casework, get_task_for_user
from kinbridge.casework.api.conflicts import stale_answer
from kinbridge.casework.locking import StaleEdit
from kinbridge.casework.models import Task, TaskStatus
from kinbridge.casework.serializers_tasks import (
    StaleTaskSerializer,
    TaskChangeSerializer,
    TaskCreateSerializer,
    TaskSerializer,
    TaskUpdateSerializer,
)


class DoesCasework(IsVerifiedUser):
    """Casework roles; facilitators, coordinators, volunteers and analysts get 403."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and does_casework(request.user)


class TaskPagination(KeysetPagination):
    ordering = ("due_on", "id")


TASK_FILTERS = [
    OpenApiParameter("case", OpenApiTypes.INT, description="The tasks of this case (anyone's)"),
    OpenApiParameter(
        "whose",
        OpenApiTypes.STR,
        enum=["mine", "all"],
        description="Without ``case``: your tasks (default) or every task you may see",
    ),
    OpenApiParameter("status", OpenApiTypes.STR, enum=TaskStatus.values),
    OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Open and due before today"),
]


CHANGE_RESPONSES = {200: TaskSerializer, 409: StaleTaskSerializer}


def _stale(stale: StaleEdit) -> Response:
    detail = _("This task was changed by someone else; read it again.")
    return stale_answer(stale, TaskSerializer(stale.current).data, detail)


class CreateTask:
    """``create`` through task_actions (IdempotentCreateMixin wraps it)."""

    def create(self, request, *args, **kwargs):
        form = TaskCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        with action_errors():
            task = task_actions.create_task(request.user, **form.validated_data)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(parameters=TASK_FILTERS),
    create=extend_schema(
        request=TaskCreateSerializer,
        responses={201: TaskSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    ),
    partial_update=extend_schema(
        request=TaskUpdateSerializer,
        responses={200: TaskSerializer, 409: StaleTaskSerializer},
        description="Send the ``version`` you read; a newer version on file answers 409.",
    ),
)
class TaskViewSet(
    IdempotentCreateMixin,
    CreateTask,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Tasks: due date, assignee, case. Earliest due first."""

    serializer_class = TaskSerializer
    permission_classes = [DoesCasework]
    pagination_class = TaskPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Task.objects.none()
        user = self.request.user
        params = self.request.query_params
        tasks = Task.objects.visible_to(user).select_related("case", "assignee")
        case = params.get("case", "")
        if case.isdigit():
            tasks = tasks.filter(case_id=int(case))
        elif params.get("whose") != "all":
            tasks = tasks.filter(assignee=user)
        if params.get("status") in TaskStatus.values:
            tasks = tasks.filter(status=params["status"])
        if params.get("overdue") in ("true", "1"):
            tasks = tasks.open().filter(due_on__lt=timezone.localdate())
        return tasks

    def get_object(self):
        return get_task_for_user(self.request, self.kwargs["pk"])

    def partial_update(self, request, *args, **kwargs):
        task = self.get_object()
        form = TaskUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        fields = dict(form.validated_data)
        version = fields.pop("version")
        try:
            with action_errors():
                task = task_actions.update_task(request.user, task, version=version, **fields)
        except StaleEdit as stale:
            return _stale(stale)
        return Response(TaskSerializer(task).data)

    def _change(self, request, change):
        task = self.get_object()
        form = TaskChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            with action_errors():
                task = change(request.user, task, version=form.validated_data["version"])
        except StaleEdit as stale:
            return _stale(stale)
        return Response(TaskSerializer(task).data)

    @extend_schema(request=TaskChangeSerializer, responses=CHANGE_RESPONSES)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Mark the task done (400 if it is not open)."""
        return self._change(request, task_actions.complete_task)

    @extend_schema(request=TaskChangeSerializer, responses=CHANGE_RESPONSES)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel the task (400 if it is not open)."""
        return self._change(request, task_actions.cancel_task)

    @extend_schema(request=TaskChangeSerializer, responses=CHANGE_RESPONSES)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Open a done or cancelled task again (400 if it is open or its case closed)."""
        return self._change(request, task_actions.reopen_task)


ROUTES: list = [("tasks", TaskViewSet, "task")]
PATHS: list = []
