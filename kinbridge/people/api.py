from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from kinbridge.accounts.access import is_administrator
from kinbridge.api.errors import action_errors
from kinbridge.audit.actions import record_read
from kinbridge.people import actions, duplicates
from kinbridge.people.models import ROLES_SEEING_PEOPLE, Person, PersonRole, Relationship
from kinbridge.people.rights_api import (
    DuplicateConflictSerializer,
    PersonRightsMixin,
    duplicate_conflict,
)
from kinbridge.people.serializers import (
    EndSerializer,
    PersonRoleSerializer,
    PersonSerializer,
    PersonUpdateSerializer,
    RelationshipSerializer,
    ShareSerializer,
)

PERSON_FILTER = OpenApiParameter("person", OpenApiTypes.INT, description="Only this person's")


def _people_for(request):
    """The people the caller may see; 403 for roles that see no names."""
    if not request.user.has_role(*ROLES_SEEING_PEOPLE):
        raise PermissionDenied
    return Person.objects.visible_to(request.user)


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="Name, reference or date")]
    ),
    partial_update=extend_schema(
        request=PersonUpdateSerializer,
        description="Send the ``version`` you read; a newer version on file answers 409.",
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
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """People of your teams. Searching with ``q`` crosses scripts (Иванова = Ivanova)."""

    serializer_class = PersonSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action == "partial_update":
            return PersonUpdateSerializer
        return PersonSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no real user
            return Person.objects.none()
        people = _people_for(self.request).prefetch_related(
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
        with action_errors():
            serializer.instance = actions.create_person(
                self.request.user,
                teams=teams,
                roles=roles,
                not_duplicate_of=[c.person.pk for c in shown.candidates]
                + (["another team"] if shown.elsewhere else []),
                **data,
            )

    def partial_update(self, request, *args, **kwargs):
        person = self.get_object()
        serializer = PersonUpdateSerializer(person, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        version = fields.pop("version")
        try:
            with action_errors():
                person = actions.update_person(request.user, person, version=version, **fields)
        except actions.StaleEdit as stale:
            return Response(
                {
                    "detail": _("This person was changed by someone else; read it again."),
                    "current": PersonSerializer(stale.current).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        person = self.get_queryset().get(pk=person.pk)
        return Response(PersonSerializer(person).data)

    @extend_schema(request=ShareSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        """Administrators: let another team see this person, or stop sharing (``stop``)."""
        person = self.get_object()
        if not is_administrator(request.user):
            raise PermissionDenied
        form = ShareSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        team, stop = form.validated_data["team"], form.validated_data["stop"]
        with action_errors():
            if stop:
                actions.unshare_person(request.user, person, team)
            else:
                actions.share_person(request.user, person, team)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(list=extend_schema(parameters=[PERSON_FILTER]))
class PersonRoleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Roles people hold over time (prisoner, child, relative…). End one with ``end``."""

    serializer_class = PersonRoleSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PersonRole.objects.none()
        facets = PersonRole.objects.filter(person__in=_people_for(self.request))
        person = self.request.query_params.get("person", "")
        if self.action == "list" and person.isdigit():
            facets = facets.filter(person_id=int(person))
        return facets.order_by("id")

    def perform_create(self, serializer):
        data = serializer.validated_data  # person: one the caller sees (the serializer)
        with action_errors():
            serializer.instance = actions.add_role(
                self.request.user, data["person"], data["role"], start=data.get("start")
            )

    @extend_schema(request=EndSerializer, responses=PersonRoleSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        facet = self.get_object()
        serializer = EndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with action_errors():
            actions.end_role(request.user, facet, end=serializer.validated_data.get("end"))
        return Response(PersonRoleSerializer(facet).data)


@extend_schema_view(list=extend_schema(parameters=[PERSON_FILTER]))
class RelationshipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """``relative`` is the ``kind`` of ``person``. Both must be people you can see."""

    serializer_class = RelationshipSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Relationship.objects.none()
        visible = _people_for(self.request)
        links = Relationship.objects.filter(person__in=visible, relative__in=visible)
        person = self.request.query_params.get("person", "")
        if self.action == "list" and person.isdigit():
            links = links.filter(Q(person_id=int(person)) | Q(relative_id=int(person)))
        return links.order_by("id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)  # both people the caller sees (the serializer)
        person, relative = data.pop("person"), data.pop("relative")
        with action_errors():
            serializer.instance = actions.add_relationship(
                self.request.user, person, relative, data.pop("kind"), **data
            )

    @extend_schema(request=EndSerializer, responses=RelationshipSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        link = self.get_object()
        serializer = EndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with action_errors():
            actions.end_relationship(request.user, link, end=serializer.validated_data.get("end"))
        return Response(RelationshipSerializer(link).data)
