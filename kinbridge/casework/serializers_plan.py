"""API shapes of needs, goals and plan reviews (input shapes carry ``case`` by id)."""

from __future__ import annotations

from rest_framework import serializers

from kinbridge.casework.models import (
    CaseNeed,
    Goal,
    GoalStatus,
    NeedStatus,
    NeedType,
    PlanReview,
    Severity,
)
from kinbridge.casework.needs import need_label

VERSION_HELP = "The version you read; the change is refused (409) if it is no longer current."


class NeedTypeSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField(help_text="In the reader's language (built-ins).")

    class Meta:
        model = NeedType
        fields = ["id", "code", "name", "label", "is_active", "position"]
        read_only_fields = ["id", "code", "label"]

    def get_label(self, need_type) -> str:
        return need_label(need_type)


class NeedTypeUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    is_active = serializers.BooleanField(required=False)
    position = serializers.IntegerField(min_value=0, max_value=32000, required=False)


class CaseNeedSerializer(serializers.ModelSerializer):
    need_label = serializers.SerializerMethodField()

    class Meta:
        model = CaseNeed
        fields = [
            "id",
            "case",
            "need",
            "need_label",
            "severity",
            "status",
            "identified_on",
            "note",
            "updated_at",
        ]
        read_only_fields = fields

    def get_need_label(self, case_need) -> str:
        return need_label(case_need.need)


class CaseNeedCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    need = serializers.PrimaryKeyRelatedField(queryset=NeedType.objects.all())
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.MEDIUM)
    identified_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CaseNeedUpdateSerializer(serializers.Serializer):
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    status = serializers.ChoiceField(choices=NeedStatus.choices, required=False)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = [
            "id",
            "case",
            "need",
            "description",
            "target_date",
            "status",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class GoalCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    need = serializers.PrimaryKeyRelatedField(
        queryset=CaseNeed.objects.all(), required=False, allow_null=True, default=None
    )
    description = serializers.CharField(max_length=1000)
    target_date = serializers.DateField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(choices=GoalStatus.choices, default=GoalStatus.PLANNED)


class GoalUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    need = serializers.PrimaryKeyRelatedField(
        queryset=CaseNeed.objects.all(), required=False, allow_null=True
    )
    description = serializers.CharField(max_length=1000, required=False)
    target_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=GoalStatus.choices, required=False)


class PlanReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanReview
        fields = ["id", "case", "reviewed_on", "next_review_on", "note", "by"]
        read_only_fields = fields


class PlanReviewCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    reviewed_on = serializers.DateField(required=False, allow_null=True, default=None)
    next_review_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
