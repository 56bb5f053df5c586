"""Casework API: notes of the cases you see, and their earlier versions.

Confidential notes exist, for this API, only for the case's own workers and
administrators: others do not find them in lists and get 404 on their detail.
Every confidential note (or earlier version) sent is an audited read. An edit
sends the version it was made on; a stale one answers 409 and keeps nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from kinbridge.api.idempotency import IDEMPOTENCY_PARAMETER, IdempotentCreateMixin
from kinbridge.audit.actions import record_reads
from kinbridge.casework import access, note_actions
from kinbridge.casework.api.case_records import (
    CASE_FILTER,
    CaseRecordCreateMixin,
    CaseRecordViewSet,
    run,
    stale_answer,
)
from kinbridge.casework.locking import StaleEdit
from kinbridge.casework.models import Note, NoteVersion
from kinbridge.casework.serializers_notes import (
    NoteCreateSerializer,
    NoteSerializer,
    NoteUpdateSerializer,
    NoteVersionSerializer,
)


@extend_schema_view(
    list=extend_schema(parameters=[CASE_FILTER]),
    create=extend_schema(
        request=NoteCreateSerializer,
        responses={201: NoteSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    ),
    partial_update=extend_schema(
        request=NoteUpdateSerializer, responses={200: NoteSerializer, 409: None}
    ),
)
class NoteViewSet(IdempotentCreateMixin, CaseRecordCreateMixin, CaseRecordViewSet):
    """Notes of the cases you see, newest first; confidential ones only of the cases
    you work on (lead or other worker), or of every case for administrators."""

    model = Note
    serializer_class = NoteSerializer
    create_serializer_class = NoteCreateSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def records(self):
        return access.notes_visible_to(self.request.user)

    def get_object(self):
        return access.get_note_by_id_for_user(self.request, self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        access.audit_note_reads(request.user, page)
        return self.get_paginated_response(NoteSerializer(page, many=True).data)

    def create_record(self, case, fields):
        return note_actions.create_note(self.request.user, case, **fields)

    def partial_update(self, request, *args, **kwargs):
        note = self.get_object()
        form = NoteUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            note = run(lambda: note_actions.update_note(request.user, note, **form.validated_data))
        except StaleEdit as stale:
            detail = _("This note was changed by someone else; nothing was saved.")
            return stale_answer(stale, NoteSerializer, detail)
        return Response(NoteSerializer(note).data)

    @extend_schema(responses=NoteVersionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request, pk=None):
        """The note's earlier texts, newest first (earlier confidential ones only for
        those who may read them); each one sent is an audited read."""
        note = self.get_object()
        versions = NoteVersion.objects.filter(note=note)
        if not access.can_read_confidential(request.user, note.case):
            versions = versions.filter(confidential=False)
        versions = list(versions)
        record_reads(request.user, versions)
        return Response(NoteVersionSerializer(versions, many=True).data)


ROUTES = [("notes", NoteViewSet, "note")]
PATHS: list = []
