"""API: sessions, series, courses, enrolments and handouts under /api/v1/.

The same access as the pages: volunteers get 403; facilitators see only the
sessions they run (and the courses of those sessions); analysts see sessions
and courses without any names (facilitators null) and get 403 on rosters
(enrolments, handout receipts and files). Writes go through the same actions
as the forms, which check who may plan, enrol or record.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from kinbridge.accounts.roles import Role
from kinbridge.api.errors import action_errors
from kinbridge.api.pagination import KeysetPagination
from kinbridge.api.permissions import IsVerifiedUser
from kinbridge.audit.actions import record_read
from kinbridge.people.access import get_person_for_user
from kinbridge.programmes import sessions_actions
from kinbridge.programmes import sessions_course_actions as course_actions
from kinbridge.programmes.access import (
    can_manage_enrolment,
    can_see_course_roster,
    can_see_roster,
    courses_visible_to,
    courses_with_rosters_for,
    get_course_for_user,
    get_session_for_user,
)
from kinbridge.programmes.models import (
    PROGRAMME_READERS,
    TEAM_ROSTER_READERS,
    Enrolment,
    EnrolmentStatus,
    Handout,
    Session,
    SessionSeries,
)
from kinbridge.programmes.serializers_sessions import (
    CourseSerializer,
    EnrolmentSerializer,
    EnrolmentWithdrawSerializer,
    HandoutSerializer,
    ParcelSerializer,
    ReceiptSerializer,
    ReceiptsUpdateSerializer,
    SeriesCreateSerializer,
    SeriesSerializer,
    SessionCancelSerializer,
    SessionSerializer,
    SessionUpdateSerializer,
)


class ReadsProgrammes(IsVerifiedUser):
    """Programme roles; volunteers are refused (403)."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_role(*PROGRAMME_READERS)


class ReadsRosters(IsVerifiedUser):
    """Roles that may read names on rosters; volunteers and analysts are refused (403)."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_role(
            Role.ADMINISTRATOR, *TEAM_ROSTER_READERS, Role.FACILITATOR
        )


def _run(call):
    with action_errors():
        return call()


def _int(params, name) -> int | None:
    value = params.get(name, "")
    return int(value) if value.isdigit() else None


SESSION_FILTERS = [
    OpenApiParameter("project", OpenApiTypes.INT),
    OpenApiParameter("course", OpenApiTypes.INT),
    OpenApiParameter("facility", OpenApiTypes.INT),
    OpenApiParameter("kind", OpenApiTypes.STR),
    OpenApiParameter("status", OpenApiTypes.STR, enum=["planned", "held", "cancelled"]),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Starting on or after (local date)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Starting on or before (local date)"),
    OpenApiParameter("when", OpenApiTypes.STR, enum=["upcoming", "past"]),
    OpenApiParameter("mine", OpenApiTypes.BOOL, description="Only the sessions you run"),
]


def _session_fields(data: dict) -> dict:
    fields = dict(data)
    fields["facilitators"] = list(fields.get("facilitators") or [])
    fields["external_facilitators"] = list(fields.get("external_facilitators") or [])
    return fields


@extend_schema_view(list=extend_schema(parameters=SESSION_FILTERS))
class SessionViewSet(viewsets.ModelViewSet):
    """Sessions you may see, latest first. ``facilitators`` and ``external_facilitators``
    are null for those who may not see names (analysts)."""

    serializer_class = SessionSerializer
    permission_classes = [ReadsProgrammes]
    pagination_class = KeysetPagination
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Session.objects.none()
        sessions = Session.objects.visible_to(self.request.user).prefetch_related(
            "facilitators", "external_facilitators"
        )
        if self.action == "list":
            sessions, _filters = sessions_actions.filter_sessions(
                sessions, self.request.query_params, self.request.user
            )
        return sessions

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return SessionUpdateSerializer
        return SessionSerializer

    def get_object(self):
        return get_session_for_user(self.request, self.kwargs["pk"])

    def _answer(self, session, code=status.HTTP_200_OK):
        roster = {session.pk} if can_see_roster(self.request.user, session) else set()
        session = Session.objects.prefetch_related("facilitators", "external_facilitators").get(
            pk=session.pk
        )
        data = SessionSerializer(session, context={"roster_ids": roster}).data
        return Response(data, status=code)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        ids = [session.pk for session in page]
        roster = set(
            Session.objects.with_rosters_for(request.user)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        data = SessionSerializer(page, many=True, context={"roster_ids": roster}).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    def create(self, request, *args, **kwargs):
        form = SessionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        fields = _session_fields(form.validated_data)
        session = _run(lambda: sessions_actions.create_session(request.user, **fields))
        return self._answer(session, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        session = self.get_object()
        partial = kwargs.pop("partial", False)
        form = SessionUpdateSerializer(session, data=request.data, partial=partial)
        form.is_valid(raise_exception=True)
        fields = dict(form.validated_data)
        following = fields.pop("following", False)
        for name in ("facilitators", "external_facilitators"):
            if name in fields:
                fields[name] = list(fields[name] or [])
        _run(
            lambda: sessions_actions.update_session(
                request.user, session, following=following, **fields
            )
        )
        return self._answer(session)

    def destroy(self, request, *args, **kwargs):
        session = self.get_object()
        _run(lambda: sessions_actions.delete_session(request.user, session))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=SessionCancelSerializer, responses=SessionSerializer(many=True))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel the session (``following``: and the later planned ones of its series)."""
        session = self.get_object()
        form = SessionCancelSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        cancelled = _run(
            lambda: sessions_actions.cancel_session(
                request.user, session, following=form.validated_data["following"]
            )
        )
        roster = {s.pk for s in cancelled if can_see_roster(request.user, s)}
        return Response(
            SessionSerializer(cancelled, many=True, context={"roster_ids": roster}).data
        )


class SeriesViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Recurring series. Creating one generates its sessions from the first one's
    fields, every ``every_weeks`` weeks, ``occurrences`` times."""

    serializer_class = SeriesSerializer
    permission_classes = [ReadsProgrammes]
    pagination_class = KeysetPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SessionSeries.objects.none()
        user = self.request.user
        return SessionSeries.objects.filter(
            pk__in=Session.objects.visible_to(user).values("series_id")
        ).prefetch_related("sessions")

    @extend_schema(request=SeriesCreateSerializer, responses={201: SeriesSerializer})
    def create(self, request, *args, **kwargs):
        form = SeriesCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        fields = _session_fields(form.validated_data)
        series = _run(lambda: sessions_actions.create_series(request.user, **fields))
        return Response(SeriesSerializer(series).data, status=status.HTTP_201_CREATED)


def _course_counts(courses):
    return courses.annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)),
        waitlisted=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)),
    )


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("project", OpenApiTypes.INT)]))
class CourseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Courses you may see, with the number enrolled and waitlisted."""

    serializer_class = CourseSerializer
    permission_classes = [ReadsProgrammes]
    pagination_class = KeysetPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return course_actions.Course.objects.none()
        courses = courses_visible_to(self.request.user)
        project = _int(self.request.query_params, "project")
        if self.action == "list" and project is not None:
            courses = courses.filter(project_id=project)
        return _course_counts(courses)

    def get_object(self):
        course = get_course_for_user(self.request, self.kwargs["pk"])
        return _course_counts(course_actions.Course.objects.filter(pk=course.pk)).get()

    def perform_create(self, serializer):
        data = serializer.validated_data
        course = _run(lambda: course_actions.create_course(self.request.user, **data))
        serializer.instance = _course_counts(
            course_actions.Course.objects.filter(pk=course.pk)
        ).get()

    def perform_update(self, serializer):
        course = serializer.instance
        data = serializer.validated_data
        _run(lambda: course_actions.update_course(self.request.user, course, **data))
        serializer.instance = _course_counts(
            course_actions.Course.objects.filter(pk=course.pk)
        ).get()


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("course", OpenApiTypes.INT),
            OpenApiParameter("status", OpenApiTypes.STR, enum=EnrolmentStatus.values),
        ]
    )
)
class EnrolmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Who is enrolled, waitlisted or withdrew (names: roster readers only; reads are
    audited). Creating enrols, or puts the person on the waitlist when the course is full."""

    serializer_class = EnrolmentSerializer
    permission_classes = [ReadsRosters]
    pagination_class = KeysetPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Enrolment.objects.none()
        courses = courses_with_rosters_for(self.request.user)
        enrolments = Enrolment.objects.filter(course__in=courses).select_related("person", "course")
        params = self.request.query_params
        if self.action == "list":
            course = _int(params, "course")
            if course is not None:
                enrolments = enrolments.filter(course_id=course)
            if params.get("status") in EnrolmentStatus.values:
                enrolments = enrolments.filter(status=params["status"])
        return enrolments

    def _course(self, course_id):
        course = get_course_for_user(self.request, course_id)
        if not can_see_course_roster(self.request.user, course):
            raise PermissionDenied
        return course

    def get_object(self):
        enrolment = super().get_object()
        self._course(enrolment.course_id)
        return enrolment

    def _managed(self):
        """The enrolment, if the user may change enrolments of its course (else 403)."""
        enrolment = self.get_object()
        if not can_manage_enrolment(self.request.user, enrolment.course):
            raise PermissionDenied
        return enrolment

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        context = self.get_serializer_context()
        course_id = _int(request.query_params, "course")
        if course_id is not None:
            course = self._course(course_id)
            context["progress"] = course_actions.course_progress(course, page)
            record_read(request.user, course, roster="enrolments")
        data = EnrolmentSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        enrolment = self.get_object()
        record_read(request.user, enrolment)
        return self._answer(enrolment)

    def _answer(self, enrolment, code=status.HTTP_200_OK):
        enrolment = Enrolment.objects.select_related("person", "course").get(pk=enrolment.pk)
        progress = course_actions.course_progress(enrolment.course, [enrolment])
        data = EnrolmentSerializer(enrolment, context={"progress": progress}).data
        return Response(data, status=code)

    def create(self, request, *args, **kwargs):
        form = EnrolmentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        course = self._course(data["course"].pk)
        person = get_person_for_user(request, data["person_id"], audit_read=False)
        enrolment = _run(
            lambda: course_actions.enrol(
                request.user, course, person, referred_by=data.get("referred_by")
            )
        )
        return self._answer(enrolment, status.HTTP_201_CREATED)

    @extend_schema(request=EnrolmentWithdrawSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw with a reason; the first on the waitlist takes the place."""
        enrolment = self._managed()
        form = EnrolmentWithdrawSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        _run(
            lambda: course_actions.withdraw(
                request.user, enrolment, reason=data["reason"], on=data.get("on")
            )
        )
        return self._answer(enrolment)

    @extend_schema(request=ParcelSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def parcel(self, request, pk=None):
        """Record the day the participant's parcel was sent (null clears it)."""
        enrolment = self._managed()
        form = ParcelSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        _run(
            lambda: course_actions.set_parcel_sent(
                request.user, enrolment, form.validated_data["parcel_sent_on"]
            )
        )
        return self._answer(enrolment)


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("session", OpenApiTypes.INT)]))
class HandoutViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Handouts of the sessions you may see; the file and who received it are for those
    who may see the session's roster. Create with multipart/form-data to attach a file."""

    serializer_class = HandoutSerializer
    permission_classes = [ReadsProgrammes]
    pagination_class = KeysetPagination
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Handout.objects.none()
        handouts = Handout.objects.filter(
            session__in=Session.objects.visible_to(self.request.user)
        ).annotate(received=Count("receipts"))
        session = _int(self.request.query_params, "session")
        if self.action == "list" and session is not None:
            handouts = handouts.filter(session_id=session)
        return handouts.select_related("session")

    def perform_create(self, serializer):
        data = serializer.validated_data
        session = get_session_for_user(self.request, data["session"].pk)
        handout = _run(
            lambda: course_actions.add_handout(
                self.request.user, session, title=data["title"], file=data.get("file")
            )
        )
        serializer.instance = self.get_queryset().get(pk=handout.pk)

    def perform_destroy(self, instance):
        _run(lambda: course_actions.delete_handout(self.request.user, instance))

    def _roster(self, handout):
        if not can_see_roster(self.request.user, handout.session):
            raise PermissionDenied

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        """The handout's file, as a download; audited."""
        handout = self.get_object()
        self._roster(handout)
        if not handout.file:
            raise Http404
        try:
            stream = handout.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        record_read(request.user, handout, file="file")
        return FileResponse(
            stream, as_attachment=True, filename=handout.file.name.rsplit("/", 1)[-1]
        )

    @extend_schema(methods=["GET"], request=None, responses=ReceiptSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ReceiptsUpdateSerializer, responses=ReceiptSerializer(many=True)
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[JSONParser])
    def receipts(self, request, pk=None):
        """Who received the handout. POST ``people`` to set exactly who did, or
        ``all_present`` to add everyone present at the session."""
        handout = self.get_object()
        self._roster(handout)
        if request.method == "POST":
            form = ReceiptsUpdateSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            data = form.validated_data
            day = data.get("received_on")
            if data["all_present"]:
                _run(
                    lambda: course_actions.everyone_present_received(
                        request.user, handout, received_on=day
                    )
                )
            else:
                _run(
                    lambda: course_actions.set_handout_receipts(
                        request.user, handout, data.get("people", []), received_on=day
                    )
                )
        else:
            record_read(request.user, handout, roster="receipts")
        receipts = handout.receipts.select_related("person").order_by("person_id")
        return Response(ReceiptSerializer(receipts, many=True).data)


ROUTES: list = [
    ("sessions", SessionViewSet, "session"),
    ("series", SeriesViewSet, "sessionseries"),
    ("courses", CourseViewSet, "course"),
    ("enrolments", EnrolmentViewSet, "enrolment"),
    ("handouts", HandoutViewSet, "handout"),
]
PATHS: list = []
