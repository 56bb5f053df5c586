from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError

from kinbridge.audit.actions import record_read
from kinbridge.people import actions
from kinbridge.people.models import ROLES_SEEING_PEOPLE, Person, PersonRole
from kinbridge.people.serializers import PersonSerializer


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="Name, reference or date")]
    )
)
class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """People of your teams. Searching with ``q`` crosses scripts (Иванова = Ivanova)."""

    serializer_class = PersonSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no real user
            return Person.objects.none()
        if not self.request.user.has_role(*ROLES_SEEING_PEOPLE):
            raise PermissionDenied
        people = Person.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("roles", queryset=PersonRole.objects.filter(end__isnull=True))
        )
        if self.action == "list":
            people = people.search(self.request.query_params.get("q", "")[:100])
        return people

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        record_read(request.user, self.get_object())
        return response

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        teams, roles = data.pop("teams"), data.pop("role_list", [])
        try:
            serializer.instance = actions.create_person(
                self.request.user, teams=teams, roles=roles, **data
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from None
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None
