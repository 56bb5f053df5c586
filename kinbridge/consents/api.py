from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from kinbridge.api.errors import action_errors
from kinbridge.audit.actions import record_read
from kinbridge.consents import actions
from kinbridge.consents.models import Consent
from kinbridge.consents.serializers import ConsentSerializer, WithdrawSerializer
from kinbridge.consents.views import evidence_response
from kinbridge.people.actions import can_edit_people
from kinbridge.people.models import ROLES_SEEING_PEOPLE


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("person", OpenApiTypes.INT, description="Only this person's")]
    )
)
class ConsentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Consents of the people you can see. Create with JSON, or multipart to add evidence."""

    serializer_class = ConsentSerializer
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no real user
            return Consent.objects.none()
        if not self.request.user.has_role(*ROLES_SEEING_PEOPLE):
            raise PermissionDenied
        consents = Consent.objects.visible_to(self.request.user).select_related("partner")
        if self.action == "list":
            person = self.request.query_params.get("person", "")
            if person:
                valid = person.isdigit() and len(person) < 19  # fits a 64-bit id
                consents = consents.filter(person_id=int(person)) if valid else consents.none()
        return consents

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        record_read(request.user, self.get_object())
        return response

    def create(self, request, *args, **kwargs):
        if not can_edit_people(request.user):
            raise PermissionDenied
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        person = data.pop("person")
        with action_errors():
            serializer.instance = actions.record_consent(self.request.user, person, **data)

    @extend_schema(request=WithdrawSerializer, responses=ConsentSerializer)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def withdraw(self, request, pk=None):
        """Record that the consent was withdrawn (from today unless a date is given)."""
        consent = self.get_object()
        if not can_edit_people(request.user):
            raise PermissionDenied
        form = WithdrawSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with action_errors():
            consent = actions.withdraw_consent(request.user, consent, **form.validated_data)
        return Response(self.get_serializer(consent).data)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(description="No such consent, or it has no evidence"),
        }
    )
    @action(detail=True, methods=["get"])
    def evidence(self, request, pk=None):
        """Download the evidence file, as an attachment. Every download is audited."""
        consent = self.get_object()
        response = evidence_response(consent)
        record_read(request.user, consent, file="evidence")
        return response
