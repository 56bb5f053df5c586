from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied

from kinbridge.api.errors import action_errors
from kinbridge.facilities import actions
from kinbridge.facilities.filters import filter_facilities
from kinbridge.facilities.models import Facility, FacilityKind
from kinbridge.facilities.serializers import FacilitySerializer

FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words starting words of the name"),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=FacilityKind.values),
    OpenApiParameter("country", OpenApiTypes.STR, description="Two-letter code, e.g. LT"),
    OpenApiParameter("region", OpenApiTypes.INT, description="Region id"),
    OpenApiParameter(
        "children", OpenApiTypes.STR, enum=["yes", "no"], description="Has a children's unit"
    ),
    OpenApiParameter(
        "active", OpenApiTypes.STR, enum=["yes", "no", "all"], description="Default: yes"
    ),
]


def api_errors(by_field: dict) -> dict:
    """An action's errors, shaped like the serializer: rules fields nest under visiting_rules."""
    errors: dict = {}
    rules = {}
    for field, problems in by_field.items():
        if field in actions.RULES_FIELDS or field == "slots":
            rules[field] = problems
        else:
            errors["region_id" if field == "region" else field] = problems
    if rules:
        errors["visiting_rules"] = rules
    return errors


@extend_schema_view(list=extend_schema(parameters=FILTERS))
class FacilityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Prisons, colonies, mother-and-baby units and venues, with their visiting rules.

    Every role reads them; administrators and programme managers create and edit.
    """

    serializer_class = FacilitySerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no real user
            return Facility.objects.none()
        if not actions.can_view_facilities(self.request.user):
            raise PermissionDenied
        facilities = (
            Facility.objects.visible_to(self.request.user)
            .select_related("region", "visiting_rules")
            .prefetch_related("visiting_rules__slots")
        )
        if self.action == "list":
            facilities, _filters = filter_facilities(facilities, self.request.query_params)
        return facilities

    def _run(self, action, *args, **kwargs):
        with action_errors(api_errors):
            return action(self.request.user, *args, **kwargs)

    @staticmethod
    def _split(data: dict) -> tuple[dict, dict]:
        fields = dict(data)
        rules = {}
        if "visiting_rules" in fields:
            value = fields.pop("visiting_rules")
            rules["rules"] = None if value is None else dict(value)
            if value is not None and "slots" in rules["rules"]:
                rules["slots"] = [dict(slot) for slot in rules["rules"].pop("slots")]
        return fields, rules

    def perform_create(self, serializer):
        fields, rules = self._split(serializer.validated_data)
        serializer.instance = self._run(actions.create_facility, **rules, **fields)

    def perform_update(self, serializer):
        fields, rules = self._split(serializer.validated_data)
        serializer.instance = self._run(
            actions.update_facility, serializer.instance, **rules, **fields
        )
        # Serialise what was saved, not the prefetched state.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)
