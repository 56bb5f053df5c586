"""API for duplicates, merge and the data-subject rights, as actions on /api/v1/people/.

Same rules as the pages: a person the user cannot see answers 404 (also to
someone who may not use the action at all), then a user who may not use the
action gets 403.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from kinbridge.people import actions, duplicates, erasure, export, merge, retention
from kinbridge.people.access import get_person_for_user
from kinbridge.people.models import Person
from kinbridge.people.serializers import PersonSerializer


class DuplicateQuerySerializer(serializers.Serializer):
    given_name = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    patronymic = serializers.CharField(max_length=100, required=False, allow_blank=True)
    preferred_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1900, max_value=2100
    )


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.pk")
    reference = serializers.CharField(source="person.reference")
    given_name = serializers.CharField(source="person.given_name")
    family_name = serializers.CharField(source="person.family_name")
    patronymic = serializers.CharField(source="person.patronymic")
    birth_date = serializers.DateField(source="person.birth_date", allow_null=True)
    birth_year = serializers.IntegerField(source="person.birth_year", allow_null=True)
    score = serializers.IntegerField(source="likeness.score")
    reasons = serializers.ListField(child=serializers.CharField(), source="likeness.reasons")


class DuplicateCheckSerializer(serializers.Serializer):
    candidates = CandidateSerializer(many=True)
    similar_person_in_other_team = serializers.BooleanField(
        source="elsewhere",
        help_text="A strong match exists among people you cannot see; ask an administrator.",
    )


class DuplicateConflictSerializer(DuplicateCheckSerializer):
    detail = serializers.CharField()


class MergeSerializer(serializers.Serializer):
    drop = serializers.IntegerField(help_text="The id of the record merged into this one.")


class EraseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    confirmation = serializers.CharField(max_length=12, help_text="The person's reference.")


class RetentionRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    reference = serializers.CharField()
    full_name = serializers.CharField()
    last_activity = serializers.DateField()


class RetentionPagination(CursorPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = ("updated_at", "id")


def duplicate_conflict(check: duplicates.DuplicateCheck) -> Response:
    """409 with the likely duplicates, for a create without ``confirm_not_duplicate``."""
    data = DuplicateCheckSerializer(check).data
    data["detail"] = (
        "This person may already be registered. Check the candidates; to save anyway, "
        "send the request again with confirm_not_duplicate=true."
    )
    return Response(data, status=status.HTTP_409_CONFLICT)


def _validation_error(exc: DjangoValidationError) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError(exc.message_dict)
    return ValidationError({"detail": exc.messages})


class PersonRightsMixin:
    """Mixed into PersonViewSet: duplicates, merge, export, erasure, retention."""

    @extend_schema(request=DuplicateQuerySerializer, responses=DuplicateCheckSerializer)
    @action(detail=False, methods=["post"], url_path="check-duplicates")
    def check_duplicates(self, request):
        """Likely duplicates of a person about to be added (names in the body, not the URL)."""
        if not actions.can_edit_people(request.user):
            raise PermissionDenied
        query = DuplicateQuerySerializer(data=request.data)
        query.is_valid(raise_exception=True)
        check = duplicates.check_new_person(request.user, query.validated_data)
        return Response(DuplicateCheckSerializer(check).data)

    @extend_schema(request=MergeSerializer, responses=PersonSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge the record ``drop`` into this one (administrators). Cannot be undone."""
        keep = self.get_object()
        if not merge.can_merge(request.user):
            raise PermissionDenied
        body = MergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        drop = get_person_for_user(request, body.validated_data["drop"], audit_read=False)
        try:
            kept = merge.merge_people(request.user, keep, drop)
        except DjangoValidationError as exc:
            raise _validation_error(exc) from None
        return Response(PersonSerializer(Person.objects.get(pk=kept.pk)).data)

    @extend_schema(responses={200: {"type": "object", "additionalProperties": True}})
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        """Everything held about the person, with its audit events (administrators; audited)."""
        person = self.get_object()
        if not export.can_export(request.user):
            raise PermissionDenied
        return Response(export.export_person(request.user, person, format="api"))

    @extend_schema(request=EraseSerializer, responses=PersonSerializer)
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None):
        """Erase (anonymise) the person's identifying data (administrators). Cannot be undone."""
        person = self.get_object()
        if not erasure.can_erase(request.user):
            raise PermissionDenied
        body = EraseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            erased = erasure.erase_person(request.user, person, **body.validated_data)
        except DjangoValidationError as exc:
            raise _validation_error(exc) from None
        return Response(PersonSerializer(Person.objects.get(pk=erased.pk)).data)

    @extend_schema(responses=RetentionRowSerializer(many=True))
    @action(
        detail=False,
        methods=["get"],
        pagination_class=RetentionPagination,
        serializer_class=RetentionRowSerializer,
    )
    def retention(self, request):
        """People with no activity for KINBRIDGE_RETENTION_YEARS (administrators)."""
        if not retention.can_review(request.user):
            raise PermissionDenied
        people = retention.due_for_review(
            Person.objects.visible_to(request.user), retention.cutoff()
        )
        page = self.paginate_queryset(people)
        last = retention.last_activity(page)
        for person in page:
            person.last_activity = last[person.pk]
        return self.get_paginated_response(RetentionRowSerializer(page, many=True).data)
