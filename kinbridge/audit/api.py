from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from kinbridge.api.permissions import IsAdministrator
from kinbridge.audit.forms import EventFilterForm
from kinbridge.audit.models import AuditEvent
from kinbridge.audit.serializers import AuditEventSerializer

FILTERS = [
    OpenApiParameter("actor", OpenApiTypes.INT, description="User id"),
    OpenApiParameter("action", OpenApiTypes.STR),
    OpenApiParameter("object_type", OpenApiTypes.STR, description="e.g. accounts.user"),
    OpenApiParameter("object_id", OpenApiTypes.STR),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
]


@extend_schema_view(list=extend_schema(parameters=FILTERS))
class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail, read-only, for administrators."""

    serializer_class = AuditEventSerializer
    permission_classes = [IsAdministrator]

    def get_queryset(self):
        events = AuditEvent.objects.visible_to(self.request.user)
        if self.action == "list":
            form = EventFilterForm(self.request.query_params or None)
            if form.is_bound:
                if not form.is_valid():
                    raise ValidationError(form.errors)
                events = form.filter(events)
        return events
