"""Casework API: cases under /api/v1/cases/.

The same access as the pages: roles without casework get 403 on every endpoint, a
case of another team is 404, every detail read is audited. Writes go through
:mod:`kinbridge.casework.case_actions`; a stale ``version`` answers 409 with the
case as it is now and the differences; creates honour ``Idempotency-Key``.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from kinbridge.api.errors import action_errors
from kinbridge.api.idempotency import IDEMPOTENCY_PARAMETER, IdempotentCreateMixin
from kinbridge.api.pagination import KeysetPagination
from kinbridge.api.permissions import IsVerifiedUser
from kinbridge.casework import case_actions, timeline
from kinbridge.casework.access import can_edit_case, does_casework, get_case_for_user
from kinbridge.casework.api.conflicts import stale_answer
from kinbridge.casework.locking import StaleEdit
from kinbridge.casework.models import Case, CaseMember, CaseStatus, CaseType
from kinbridge.casework.serializers_cases import (
    CaseCreateSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    MemberInSerializer,
    MemberRemoveSerializer,
    ReopenSerializer,
    StaleCaseSerializer,
    TimelinePageSerializer,
    TransitionSerializer,
    WorkerRemoveSerializer,
    WorkerSerializer,
)
from kinbridge.casework.views.cases import filter_cases


class DoesCasework(IsVerifiedUser):
    """Administrators, programme managers and caseworkers; everyone else 403."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and does_casework(request.user)


CASE_FILTERS = [
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        enum=["open", "all", *CaseStatus.values],
        description="Default: all.",
    ),
    OpenApiParameter("type", OpenApiTypes.STR, enum=CaseType.values),
    OpenApiParameter("team", OpenApiTypes.INT),
    OpenApiParameter("lead", OpenApiTypes.INT, description="Lead worker (user id)"),
    OpenApiParameter("mine", OpenApiTypes.BOOL, description="Only cases you lead or work on"),
    OpenApiParameter("q", OpenApiTypes.STR, description="Case reference or client's name"),
]
STALE = {409: StaleCaseSerializer}


def _cases(cases=Case.objects):
    return cases.prefetch_related(
        "worker_links", Prefetch("members", queryset=CaseMember.objects.select_related("person"))
    ).select_related("client")


@extend_schema_view(
    list=extend_schema(parameters=CASE_FILTERS),
    retrieve=extend_schema(description="The case; each read is audited."),
    create=extend_schema(
        request=CaseCreateSerializer,
        responses={201: CaseSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
        description=(
            "Open a case (status “referred”) for a person you can see, in one of your "
            "teams. Bad input answers 400 by field; nothing is saved."
        ),
    ),
    partial_update=extend_schema(
        request=CaseUpdateSerializer,
        responses={200: CaseSerializer, **STALE},
        description=(
            "Change the type, summary, project or next review. Send the ``version`` you "
            "read; a newer version on file answers 409 with ``current`` and ``differences``."
        ),
    ),
)
class CaseViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Cases you may see, latest first."""

    serializer_class = CaseSerializer
    permission_classes = [DoesCasework]
    pagination_class = KeysetPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        user = self.request.user
        cases = _cases(Case.objects.visible_to(user))
        if self.action == "list":
            params = self.request.query_params.copy()
            params.setdefault("status", "all")
            cases, _filters = filter_cases(cases, params, user)
        return cases

    def get_serializer_class(self):
        return CaseCreateSerializer if self.action == "create" else CaseSerializer

    def _case(self, pk, *, edit=False, audit=False) -> Case:
        case = get_case_for_user(self.request, pk, audit=audit)
        if edit and not can_edit_case(self.request.user, case):
            raise PermissionDenied
        return case

    def _answer(self, case, code=status.HTTP_200_OK):
        return Response(CaseSerializer(_cases().get(pk=case.pk)).data, status=code)

    def _stale(self, stale: StaleEdit):
        current = CaseSerializer(_cases().get(pk=stale.current.pk)).data
        return stale_answer(
            stale, current, _("This case was changed by someone else; nothing was saved.")
        )

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self._case(kwargs["pk"], audit=True))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["members"] = [(row["person"], row["role_in_case"]) for row in data["members"]]
        with action_errors():
            serializer.instance = case_actions.create_case(self.request.user, **data)

    def partial_update(self, request, *args, **kwargs):
        case = self._case(kwargs["pk"], edit=True)
        form = CaseUpdateSerializer(data=request.data, case=case)
        form.is_valid(raise_exception=True)
        fields = dict(form.validated_data)
        version = fields.pop("version")
        try:
            with action_errors():
                case = case_actions.update_case(request.user, case, version=version, **fields)
        except StaleEdit as stale:
            return self._stale(stale)
        return self._answer(case)

    @extend_schema(request=TransitionSerializer, responses={200: CaseSerializer, **STALE})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the case along the workflow (``to``). A step not allowed from the current
        status answers 400 naming the allowed ones; closing needs ``closure_reason`` and
        ``outcome``, and with open tasks ``open_tasks``."""
        case = self._case(pk, edit=True)
        form = TransitionSerializer(data=request.data, case=case)
        form.is_valid(raise_exception=True)
        fields = dict(form.validated_data)
        to = fields.pop("to")
        try:
            with action_errors():
                case = case_actions.change_status(request.user, case, to, **fields)
        except StaleEdit as stale:
            return self._stale(stale)
        return self._answer(case)

    @extend_schema(request=ReopenSerializer, responses={200: CaseSerializer, **STALE})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen a closed case (back to assessment); ``reason`` is required."""
        case = self._case(pk, edit=True)
        form = ReopenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            with action_errors():
                case = case_actions.reopen_case(request.user, case, **form.validated_data)
        except StaleEdit as stale:
            return self._stale(stale)
        return self._answer(case)

    @extend_schema(
        parameters=[OpenApiParameter("page", OpenApiTypes.INT, description="1 = newest")],
        responses=TimelinePageSerializer,
    )
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        """The case's timeline, newest first, 25 entries a page. Confidential notes appear
        only for the case's workers and administrators (each one shown is an audited
        read); risk flags only for those who may see them."""
        case = self._case(pk)
        number = timeline.page_number(request.query_params.get("page"))
        page = timeline.case_timeline(request.user, case, number)
        next_url = None
        if page.has_next:
            next_url = request.build_absolute_uri(f"{request.path}?page={page.next_number}")
        return Response(
            TimelinePageSerializer({"page": number, "next": next_url, "results": page.entries}).data
        )

    @extend_schema(request=WorkerSerializer, responses={201: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="workers", url_name="add-worker")
    def add_worker(self, request, pk=None):
        """Add a worker (a caseworker or manager of the case's team)."""
        case = self._case(pk, edit=True)
        form = WorkerSerializer(data=request.data, case=case)
        form.is_valid(raise_exception=True)
        with action_errors():
            case_actions.add_worker(request.user, case, form.validated_data["user"])
        return self._answer(case, status.HTTP_201_CREATED)

    @extend_schema(request=WorkerRemoveSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="workers/remove", url_name="remove-worker")
    def remove_worker(self, request, pk=None):
        case = self._case(pk, edit=True)
        form = WorkerRemoveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        link = case.worker_links.filter(user_id=form.validated_data["user"]).first()
        if link is None:
            return Response(
                {"user": [_("This user does not work on the case.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        with action_errors():
            case_actions.remove_worker(request.user, link)
        return self._answer(case)

    @extend_schema(request=MemberInSerializer, responses={201: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="members", url_name="add-member")
    def add_member(self, request, pk=None):
        """Link a family member (a person you can see) to the case."""
        case = self._case(pk, edit=True)
        form = MemberInSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        with action_errors():
            case_actions.add_member(request.user, case, **form.validated_data)
        return self._answer(case, status.HTTP_201_CREATED)

    @extend_schema(request=MemberRemoveSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="members/remove", url_name="remove-member")
    def remove_member(self, request, pk=None):
        """Unlink a family member (refused if services were given to them in the case)."""
        case = self._case(pk, edit=True)
        form = MemberRemoveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        member = case.members.filter(person_id=form.validated_data["person"]).first()
        if member is None:
            return Response(
                {"person": [_("This person is not linked to the case.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        with action_errors():
            case_actions.remove_member(request.user, member)
        return self._answer(case)


ROUTES: list = [("cases", CaseViewSet, "case")]
PATHS: list = []
