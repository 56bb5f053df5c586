"""API shapes of risk flags. Only those who may see a case's flags ever get one."""

from __future__ import annotations

from rest_framework import serializers

from kinbridge.casework.models import AbandonmentReason, RiskFlag, RiskKind


class RiskFlagSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="case_id", read_only=True)
    raised_by = serializers.IntegerField(source="raised_by_id", read_only=True)
    resolved_by = serializers.IntegerField(source="resolved_by_id", read_only=True)
    reasons = serializers.ListField(child=serializers.ChoiceField(AbandonmentReason.choices))

    class Meta:
        model = RiskFlag
        fields = [
            "id",
            "case",
            "kind",
            "reasons",
            "raised_on",
            "raised_by",
            "note",
            "resolved_on",
            "resolved_by",
            "resolution_note",
        ]
        read_only_fields = fields


class RiskFlagCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text="The case's id")
    kind = serializers.ChoiceField(RiskKind.choices)
    reasons = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="For child_abandonment only, one or more of: "
        + ", ".join(AbandonmentReason.values),
    )
    raised_on = serializers.DateField(required=False, allow_null=True, help_text="Default: today")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class RiskFlagResolveSerializer(serializers.Serializer):
    resolved_on = serializers.DateField(required=False, allow_null=True, help_text="Default: today")
    note = serializers.CharField(max_length=2000, help_text="How the risk was resolved")
