"""Casework API: services given on the cases you see.

Creates, corrections and removals go through the same actions as the pages: a
date in the future or before the case opened, a duration outside one minute to
24 hours, a worker outside the case's team, a recipient outside the case, or a
closed case answer 400 at the field and save nothing.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from kinbridge.api.idempotency import IDEMPOTENCY_PARAMETER, IdempotentCreateMixin
from kinbridge.casework import access, service_actions
from kinbridge.casework.api.case_records import (
    CASE_FILTER,
    CaseRecordCreateMixin,
    CaseRecordViewSet,
    run,
)
from kinbridge.casework.models import Service
from kinbridge.casework.serializers_services import (
    ServiceCreateSerializer,
    ServiceSerializer,
    ServiceWriteSerializer,
)


@extend_schema_view(
    list=extend_schema(parameters=[CASE_FILTER]),
    create=extend_schema(
        request=ServiceCreateSerializer,
        responses={201: ServiceSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    ),
    partial_update=extend_schema(request=ServiceWriteSerializer),
    destroy=extend_schema(responses={204: None}),
)
class ServiceViewSet(IdempotentCreateMixin, CaseRecordCreateMixin, CaseRecordViewSet):
    """Services of the cases you see, latest first. Its worker or whoever may edit the
    case corrects (PATCH) or removes (DELETE) a service; both are audited."""

    model = Service
    serializer_class = ServiceSerializer
    create_serializer_class = ServiceCreateSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def create_record(self, case, fields):
        return service_actions.log_service(self.request.user, case, **fields)

    def _for_change(self) -> Service:
        service = self.get_object()
        if not access.can_edit_service(self.request.user, service):
            raise PermissionDenied
        return service

    def partial_update(self, request, *args, **kwargs):
        service = self._for_change()
        form = ServiceWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        service = run(
            lambda: service_actions.update_service(request.user, service, **form.validated_data)
        )
        return Response(ServiceSerializer(service).data)

    def destroy(self, request, *args, **kwargs):
        service = self._for_change()
        run(lambda: service_actions.delete_service(request.user, service))
        return Response(status=status.HTTP_204_NO_CONTENT)


ROUTES = [("services", ServiceViewSet, "service")]
PATHS: list = []
