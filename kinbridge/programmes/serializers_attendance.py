"""Serializers of the attendance API: rows of attendance, batches, paper registers."""

from __future__ import annotations

from rest_framework import serializers

from kinbridge.programmes.attendance_actions import MAX_BLANK_LINES, MAX_HEADCOUNT
from kinbridge.programmes.models import Attendance, AttendanceStatus, RegisterSheet

MAX_BATCH = 500


class AttendanceSerializer(serializers.ModelSerializer):
    person_reference = serializers.CharField(source="person.reference", read_only=True)
    with_adult_reference = serializers.CharField(
        source="with_adult.reference", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Attendance
        fields = [
            "id",
            "session",
            "person",
            "person_reference",
            "status",
            "with_adult",
            "with_adult_reference",
            "outside_audience_reason",
            "source",
            "recorded_at",
        ]
        read_only_fields = fields


class MarkSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text="The person's id.")
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    with_adult = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=(
            "For a child who came with a present adult: the adult's id. Null: came alone. "
            "Left out: unchanged."
        ),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="Why someone outside the session's audience attended (required for them).",
    )


class AttendanceWriteSerializer(MarkSerializer):
    session = serializers.IntegerField(help_text="The session's id.")


class BulkSerializer(serializers.Serializer):
    session = serializers.IntegerField(help_text="The session's id.")
    rows = MarkSerializer(many=True, max_length=MAX_BATCH)
    unnamed_headcount = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_HEADCOUNT,
        help_text="Participants counted without names (a public event).",
    )


class BulkResultSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    created = serializers.IntegerField(help_text="Rows new to the session.")
    updated = serializers.IntegerField(help_text="Rows that already existed (updated).")
    rows = AttendanceSerializer(many=True)


class RowErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The row's position in the request, from 0.")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class RowErrorsSerializer(serializers.Serializer):
    detail = serializers.CharField()
    rows = RowErrorSerializer(many=True)


class RegisterLineSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    person_reference = serializers.CharField(source="person.reference")


class RegisterSheetSerializer(serializers.ModelSerializer):
    lines = RegisterLineSerializer(many=True, read_only=True)

    class Meta:
        model = RegisterSheet
        fields = [
            "id",
            "code",
            "session",
            "show_names",
            "blank_lines",
            "printed_at",
            "entered_at",
            "lines",
        ]
        read_only_fields = fields


class RegisterSheetCreateSerializer(serializers.Serializer):
    session = serializers.IntegerField(help_text="The session's id.")
    show_names = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Print names; by default only reference codes inside a facility.",
    )
    blank_lines = serializers.IntegerField(
        required=False, default=0, min_value=0, max_value=MAX_BLANK_LINES
    )


class SheetMarkSerializer(serializers.Serializer):
    line = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    reference = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=12,
        help_text="A walk-in's reference (P-…), for a blank line or without a line.",
    )
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class SheetEnterSerializer(serializers.Serializer):
    marks = SheetMarkSerializer(many=True, min_length=1, max_length=MAX_BATCH)


class SheetEnteredSerializer(serializers.Serializer):
    saved = serializers.IntegerField()
    sheet = RegisterSheetSerializer()
