from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from kinbridge.audit.actions import record_read
from kinbridge.people import actions, duplicates
from kinbridge.people.models import ROLES_SEEING_PEOPLE, Person, PersonRole
from kinbridge.people.rights_api import (
    DuplicateConflictSerializer,
    PersonRightsMixin,
    duplicate_conflict,
)
from kinbridge.people.serializers import PersonSerializer


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="Name, reference or date")]
    ),
    create=extend_schema(
        responses={201: PersonSerializer, 409: DuplicateConflictSerializer},
        description=(
            "Likely duplicates (similar names in any script and a matching birth) answer 409 "
            "with the candidates; send confirm_not_duplicate=true to save anyway."
        ),
    ),
)
class PersonViewSet(
    PersonRightsMixin,
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

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not actions.can_edit_people(request.user):
            raise PermissionDenied
        check = duplicates.check_new_person(request.user, serializer.validated_data)
        if check.found and not serializer.validated_data.get("confirm_not_duplicate"):
            return duplicate_conflict(check)
        self.perform_create(serializer, shown=check)
        return Response(serializer.data, status=status.HTTP_201_CREATED)

    def perform_create(self, serializer, shown=None):
        data = dict(serializer.validated_data)
        teams, roles = data.pop("teams"), data.pop("role_list", [])
        data.pop("confirm_not_duplicate", None)
        shown = shown or duplicates.DuplicateCheck()
        try:
            serializer.instance = actions.create_person(
                self.request.user,
                teams=teams,
                roles=roles,
                not_duplicate_of=[c.person.pk for c in shown.candidates]
                + (["another team"] if shown.elsewhere else []),
                **data,
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from None
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None
