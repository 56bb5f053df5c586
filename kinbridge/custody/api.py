"""Custody episodes, children's stays and the planning lists under /api/v1/.

Scoped as the pages are: records of people the user may see; other records
answer 404; roles that see no names (volunteers, analysts) get 403.
Creating goes through the same actions as the forms.
"""

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from kinbridge.api.errors import action_errors
from kinbridge.api.permissions import IsVerifiedUser
from kinbridge.audit.actions import record_read
from kinbridge.custody import actions
from kinbridge.custody.models import ChildResidence, CustodyEpisode
from kinbridge.custody.planning import parse_days, planning_lists
from kinbridge.custody.serializers import (
    ChildResidenceSerializer,
    CustodyEpisodeSerializer,
    EndStaySerializer,
    PlanningSerializer,
    ReleaseSerializer,
    TransferSerializer,
)
from kinbridge.people.access import get_person_for_user
from kinbridge.people.models import ROLES_SEEING_PEOPLE

PERSON_FILTER = OpenApiParameter(
    "person", OpenApiTypes.INT, description="Only the records of this person (id)"
)


class SeesPeople(IsVerifiedUser):
    """Roles that see names; volunteers and analysts are refused (403)."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_role(*ROLES_SEEING_PEOPLE)


def _run(action):
    """Call an action, turning Django's refusals into DRF's."""
    with action_errors():
        return action()


def _person_filter(request) -> int | None:
    value = request.query_params.get("person", "")
    return int(value) if value.isdigit() else None


class AuditedRetrieveMixin(mixins.RetrieveModelMixin):
    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        record_read(request.user, record)
        return Response(self.get_serializer(record).data)


@extend_schema_view(list=extend_schema(parameters=[PERSON_FILTER]))
class CustodyEpisodeViewSet(
    mixins.ListModelMixin,
    AuditedRetrieveMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Custody episodes of the people you may see. A transfer links the next episode
    to the previous one (``previous``)."""

    serializer_class = CustodyEpisodeSerializer
    permission_classes = [SeesPeople]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no real user
            return CustodyEpisode.objects.none()
        episodes = CustodyEpisode.objects.visible_to(self.request.user).select_related("facility")
        person = _person_filter(self.request)
        if self.action == "list" and person is not None:
            episodes = episodes.filter(person_id=person)
        return episodes

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        person = get_person_for_user(self.request, data.pop("person_id"), audit_read=False)
        serializer.instance = _run(
            lambda: actions.record_episode(self.request.user, person, **data)
        )

    @extend_schema(request=TransferSerializer, responses={201: CustodyEpisodeSerializer})
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        """Close this open episode on ``date`` and open the next one at ``facility``."""
        episode = self.get_object()
        form = TransferSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        following = _run(lambda: actions.transfer(request.user, episode, **form.validated_data))
        return Response(self.get_serializer(following).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReleaseSerializer, responses=CustodyEpisodeSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        """Record the release; refused while a child lives with her there, unless
        ``children_leave_with_her``."""
        episode = self.get_object()
        form = ReleaseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        closed = _run(lambda: actions.release(request.user, episode, **form.validated_data))
        return Response(self.get_serializer(closed).data)


@extend_schema_view(list=extend_schema(parameters=[PERSON_FILTER]))
class ChildResidenceViewSet(
    mixins.ListModelMixin,
    AuditedRetrieveMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Children living with their mothers in a facility (the ``person`` filter matches
    the child or the mother). ``stay_limit`` applies the facility's age limit and
    extension rule."""

    serializer_class = ChildResidenceSerializer
    permission_classes = [SeesPeople]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ChildResidence.objects.none()
        stays = (
            ChildResidence.objects.visible_to(self.request.user)
            .with_mother_release()
            .select_related("child", "facility")
        )
        person = _person_filter(self.request)
        if self.action == "list" and person is not None:
            stays = stays.filter(Q(child_id=person) | Q(mother_id=person))
        return stays

    def perform_create(self, serializer):
        data = serializer.validated_data
        child = get_person_for_user(self.request, data["child_id"], audit_read=False)
        mother = get_person_for_user(self.request, data["mother_id"], audit_read=False)
        serializer.instance = _run(
            lambda: actions.place_child(
                self.request.user,
                child=child,
                mother=mother,
                start=data["start"],
                facility=data.get("facility"),
            )
        )

    @extend_schema(request=EndStaySerializer, responses=ChildResidenceSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """The child leaves the facility on ``date``, for ``next_place``."""
        stay = self.get_object()
        form = EndStaySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        carer_id = data.pop("carer_id", None)
        carer = get_person_for_user(request, carer_id, audit_read=False) if carer_id else None
        ended = _run(lambda: actions.end_stay(request.user, stay, carer=carer, **data))
        return Response(self.get_serializer(self.get_queryset().get(pk=ended.pk)).data)


class PlanningView(APIView):
    """The planning lists: children within ``days`` of their stay limit, prisoners
    within ``days`` of expected release, and children who reach the age limit before
    the mother's release."""

    permission_classes = [SeesPeople]

    @extend_schema(
        parameters=[
            OpenApiParameter("days", OpenApiTypes.INT, description="Horizon in days (90)"),
            OpenApiParameter("order", OpenApiTypes.STR, enum=["soonest", "latest"]),
        ],
        responses=PlanningSerializer,
    )
    def get(self, request):
        plan = planning_lists(
            request.user,
            today=timezone.localdate(),
            days=parse_days(request.query_params.get("days")),
            latest_first=request.query_params.get("order") == "latest",
        )
        return Response(PlanningSerializer(plan).data)
