"""API: attendance and paper registers under /api/v1/.

The rosters a user may read (``Attendance.objects.visible_to``): administrators
all; managers, caseworkers and coordinators their teams' sessions; facilitators
the sessions they run. Analysts and volunteers: 403. Writing goes through the
same actions as the pages (``can_record_attendance``); a batch is saved all or
nothing, and its problems come back by row.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from kinbridge.accounts.roles import Role
from kinbridge.api.errors import action_errors, drf_detail
from kinbridge.api.permissions import IsVerifiedUser
from kinbridge.audit.actions import record_read
from kinbridge.programmes import attendance_actions as actions
from kinbridge.programmes.access import can_record_attendance
from kinbridge.programmes.models import (
    TEAM_ROSTER_READERS,
    Attendance,
    RegisterSheet,
    Session,
)
from kinbridge.programmes.serializers_attendance import (
    AttendanceSerializer,
    AttendanceWriteSerializer,
    BulkResultSerializer,
    BulkSerializer,
    RegisterSheetCreateSerializer,
    RegisterSheetSerializer,
    RowErrorsSerializer,
    SheetEnteredSerializer,
    SheetEnterSerializer,
)

SESSION_FILTER = OpenApiParameter(
    "session", OpenApiTypes.INT, description="Only the rows of this session (id)"
)


class SeesRosters(IsVerifiedUser):
    """Roles that read rosters; analysts and volunteers are refused (403)."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_role(
            Role.ADMINISTRATOR, *TEAM_ROSTER_READERS, Role.FACILITATOR
        )


def _session_filter(request) -> int | None:
    value = request.query_params.get("session", "")
    return int(value) if value.isdigit() else None


def _roster_session(request, pk) -> Session:
    """A session whose roster the user may read and record; 400 unknown, 403 read-only."""
    session = Session.objects.with_rosters_for(request.user).filter(pk=pk).first()
    if session is None:
        raise ValidationError({"session": ["No session with this id among yours."]})
    if not can_record_attendance(request.user, session):
        raise PermissionDenied
    return session


def _row_errors(exc: actions.RowErrors) -> Response:
    body = {
        "detail": exc.messages[0],
        "rows": [{"index": index, "errors": errors} for index, errors in exc.rows.items()],
    }
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def _marks(request, session, rows) -> tuple[list, list[int], dict]:
    """Marks for the rows; rows naming no one the user may record are errors by index."""
    ids = {row["person"] for row in rows} | {
        row["with_adult"] for row in rows if row.get("with_adult")
    }
    people = actions.recordable_people(request.user, session, ids)
    marks, indexes, errors = [], [], {}
    for index, row in enumerate(rows):
        person = people.get(row["person"])
        adult = actions.KEEP
        if "with_adult" in row:
            adult = people.get(row["with_adult"]) if row["with_adult"] else None
        if person is None:
            errors[index] = {"person": ["No person with this id among those you may record."]}
            continue
        if row.get("with_adult") and adult is None:
            errors[index] = {"with_adult": ["No person with this id among those you may record."]}
            continue
        marks.append(
            actions.Mark(
                person=person, status=row["status"], with_adult=adult, reason=row.get("reason", "")
            )
        )
        indexes.append(index)
    return marks, indexes, errors


def _save_marks(request, session, rows, **extra):
    """Save every row or none; raises RowErrors by the rows' own indexes."""
    marks, indexes, errors = _marks(request, session, rows)
    with action_errors():
        try:
            if not errors:
                return actions.record_marks(request.user, session, marks, **extra)
            actions.check_marks(session, marks)
        except actions.RowErrors as exc:
            errors |= {indexes[index]: problems for index, problems in exc.rows.items()}
    raise actions.RowErrors(errors)


@extend_schema_view(
    list=extend_schema(parameters=[SESSION_FILTER]),
    create=extend_schema(
        request=AttendanceWriteSerializer,
        responses={200: AttendanceSerializer, 201: AttendanceSerializer},
        description=(
            "Record one person's attendance. Idempotent: the row of this session and person "
            "is created (201) or updated (200). Someone outside the session's audience needs "
            "a ``reason`` to be recorded present."
        ),
    ),
)
class AttendanceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Attendance on the rosters you may read: one row per session and person."""

    serializer_class = AttendanceSerializer
    permission_classes = [SeesRosters]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Attendance.objects.none()
        rows = Attendance.objects.visible_to(self.request.user).select_related(
            "person", "with_adult"
        )
        session = _session_filter(self.request)
        if self.action == "list" and session is not None:
            rows = rows.filter(session_id=session)
        return rows

    def list(self, request, *args, **kwargs):
        session = _session_filter(request)
        if session is not None:
            roster = Session.objects.with_rosters_for(request.user).filter(pk=session).first()
            if roster is not None:
                record_read(request.user, roster)
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        row = self.get_object()
        record_read(request.user, row)
        return Response(self.get_serializer(row).data)

    def create(self, request, *args, **kwargs):
        form = AttendanceWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        session = _roster_session(request, data.pop("session"))
        try:
            [(row, created)] = _save_marks(request, session, [data])
        except actions.RowErrors as exc:
            raise ValidationError(exc.rows[0]) from None
        return Response(
            self.get_serializer(row).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        request=BulkSerializer,
        responses={200: BulkResultSerializer, 400: RowErrorsSerializer},
        description=(
            "Record a session's attendance in one batch, all or nothing: if any row has a "
            "problem nothing is saved and the problems come back by row index."
        ),
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        form = BulkSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        session = _roster_session(request, data["session"])
        try:
            saved = _save_marks(
                request, session, data["rows"], headcount=data.get("unnamed_headcount")
            )
        except actions.RowErrors as exc:
            return _row_errors(exc)
        created = sum(1 for _row, new in saved if new)
        body = {
            "session": session.pk,
            "created": created,
            "updated": len(saved) - created,
            "rows": AttendanceSerializer([row for row, _new in saved], many=True).data,
        }
        return Response(body)


@extend_schema_view(
    create=extend_schema(
        request=RegisterSheetCreateSerializer,
        responses={201: RegisterSheetSerializer},
        description=(
            "Print a new paper register for a session: its code and its numbered lines "
            "(everyone enrolled or already recorded)."
        ),
    ),
    list=extend_schema(parameters=[SESSION_FILTER]),
)
class RegisterSheetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Paper registers of the sessions whose rosters you may read, with their lines."""

    serializer_class = RegisterSheetSerializer
    permission_classes = [SeesRosters]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RegisterSheet.objects.none()
        sheets = RegisterSheet.objects.filter(
            session__in=Session.objects.with_rosters_for(self.request.user)
        ).prefetch_related("lines__person")
        session = _session_filter(self.request)
        if self.action == "list" and session is not None:
            sheets = sheets.filter(session_id=session)
        return sheets

    def retrieve(self, request, *args, **kwargs):
        sheet = self.get_object()
        record_read(request.user, sheet)
        return Response(self.get_serializer(sheet).data)

    def create(self, request, *args, **kwargs):
        form = RegisterSheetCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        session = _roster_session(request, data.pop("session"))
        with action_errors():
            sheet = actions.print_register(request.user, session, **data)
        sheet = self.get_queryset().get(pk=sheet.pk)
        return Response(self.get_serializer(sheet).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=SheetEnterSerializer,
        responses={200: SheetEnteredSerializer, 400: RowErrorsSerializer},
        description=(
            "Enter the marks of a paper register by line number (or a walk-in's reference), "
            "all or nothing; problems come back by the index of the mark."
        ),
    )
    @action(detail=True, methods=["post"])
    def enter(self, request, pk=None):
        sheet = self.get_object()
        if not can_record_attendance(request.user, sheet.session):
            raise PermissionDenied
        form = SheetEnterSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        entries = [
            actions.SheetEntry(
                status=mark["status"],
                line=mark.get("line"),
                reference=mark.get("reference", ""),
                reason=mark.get("reason", ""),
            )
            for mark in form.validated_data["marks"]
        ]
        try:
            saved = actions.enter_register(request.user, sheet, entries)
        except actions.RowErrors as exc:
            return _row_errors(exc)
        except DjangoPermissionDenied:
            raise PermissionDenied from None
        except DjangoValidationError as exc:
            raise ValidationError(drf_detail(exc)) from None
        sheet = self.get_queryset().get(pk=sheet.pk)
        return Response({"saved": saved, "sheet": self.get_serializer(sheet).data})


# (prefix, viewset, basename) registered on the /api/v1/ router.
ROUTES: list = [
    ("attendance", AttendanceViewSet, "attendance"),
    ("register-sheets", RegisterSheetViewSet, "registersheet"),
]
# Extra paths under /api/v1/ (django.urls.path objects, named).
PATHS: list = []
