"""What the needs, plan, services and notes endpoints share: who may call them, the
``?case=`` filter over the cases the user sees, and the 409 answer to a stale edit."""

from __future__ import annotations

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from kinbridge.api.errors import action_errors
from kinbridge.api.pagination import KeysetPagination
from kinbridge.api.permissions import IsVerifiedUser
from kinbridge.casework import access
from kinbridge.casework.api import conflicts
from kinbridge.casework.locking import StaleEdit
from kinbridge.casework.models import Case

CASE_FILTER = OpenApiParameter(
    "case", OpenApiTypes.INT, description="Only the records of this case."
)


class DoesCasework(IsVerifiedUser):
    """Administrators, caseworkers and programme managers; every other role gets 403."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and access.does_casework(request.user)


def run(call):
    """Run an action: its PermissionDenied answers 403, its ValidationError 400 by field."""
    with action_errors():
        return call()


def visible_case(request, pk) -> Case:
    """The case named in a create, if the user sees it (400 at ``case`` otherwise)."""
    case = (
        Case.objects.visible_to(request.user).select_related("client", "team").filter(pk=pk).first()
    )
    if case is None:
        raise ValidationError({"case": ["No such case."]})
    return case


def stale_answer(stale: StaleEdit, serializer_class, detail: str) -> Response:
    """409: the record as it is now, and each field where it differs from what was sent."""
    return conflicts.stale_answer(stale, serializer_class(stale.current).data, detail)


class CaseRecordViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Records of the cases the user sees, newest first, optionally of one case."""

    model: type[models.Model]
    permission_classes = [DoesCasework]
    pagination_class = KeysetPagination

    def records(self):
        return self.model.objects.filter(case__in=Case.objects.visible_to(self.request.user))

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        records = self.records()
        case = self.request.query_params.get("case", "")
        if case:
            records = records.filter(case_id=case) if case.isdigit() else records.none()
        return records

    def get_object(self):
        return access.get_case_record_for_user(self.request, self.model, self.kwargs["pk"])

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)


class CaseRecordCreateMixin:
    """``create``: ``create_serializer_class`` reads the input (with ``case`` by id), the
    subclass's ``create_record(case, fields)`` calls the action. Put
    ``IdempotentCreateMixin`` before this one, so retries create one record."""

    create_serializer_class: type

    def create(self, request, *args, **kwargs):
        form = self.create_serializer_class(data=request.data)
        form.is_valid(raise_exception=True)
        fields = dict(form.validated_data)
        case = visible_case(request, fields.pop("case"))
        record = run(lambda: self.create_record(case, fields))
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)
