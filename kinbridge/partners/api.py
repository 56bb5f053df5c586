from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied

from kinbridge.api.errors import action_errors
from kinbridge.partners import actions
from kinbridge.partners.filters import filter_partners
from kinbridge.partners.models import Partner, PartnerService, ServiceKind
from kinbridge.partners.serializers import PartnerSerializer

FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words of the name or description"),
    OpenApiParameter(
        "region", OpenApiTypes.INT, description="Working there, national, or a service there"
    ),
    OpenApiParameter("service", OpenApiTypes.STR, enum=ServiceKind.values),
    OpenApiParameter("public", OpenApiTypes.STR, enum=["yes", "no"]),
    OpenApiParameter(
        "active", OpenApiTypes.STR, enum=["yes", "no", "all"], description="Default: yes"
    ),
]


def _api_fields(errors: dict) -> dict:
    """The API names the region ``region_id``."""
    return {("region_id" if field == "region" else field): v for field, v in errors.items()}


@extend_schema_view(list=extend_schema(parameters=FILTERS))
class PartnerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Partner organisations and their services; every role reads them.

    Contact people appear only for roles that see people's names. Administrators
    and programme managers create and edit.
    """

    serializer_class = PartnerSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no real user
            return Partner.objects.none()
        user = self.request.user
        if not actions.can_view_partners(user):
            raise PermissionDenied
        partners = (
            Partner.objects.visible_to(user)
            .select_related("region")
            .prefetch_related(
                Prefetch(
                    "services",
                    queryset=PartnerService.objects.order_by("kind").prefetch_related("regions"),
                )
            )
        )
        if actions.can_see_contacts(user):
            partners = partners.prefetch_related("contacts")
        if self.action == "list":
            partners, _filters = filter_partners(partners, self.request.query_params)
        return partners

    def _run(self, action, *args, **kwargs):
        with action_errors(_api_fields):
            return action(self.request.user, *args, **kwargs)

    @staticmethod
    def _split(data: dict) -> dict:
        fields = dict(data)
        for name in ("services", "contacts"):
            if name in fields:
                fields[name] = [dict(row) for row in fields[name]]
        return fields

    def perform_create(self, serializer):
        serializer.instance = self._run(
            actions.create_partner, **self._split(serializer.validated_data)
        )

    def perform_update(self, serializer):
        partner = self._run(
            actions.update_partner, serializer.instance, **self._split(serializer.validated_data)
        )
        serializer.instance = self.get_queryset().get(pk=partner.pk)
