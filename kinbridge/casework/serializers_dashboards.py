"""API shapes of the caseload figures (for the schema; the views build plain dicts)."""

from __future__ import annotations

from rest_framework import serializers

from kinbridge.casework.models import CaseStatus, RiskKind


class StatusCountSerializer(serializers.Serializer):
    status = serializers.ChoiceField(CaseStatus.choices)
    label = serializers.CharField()
    count = serializers.IntegerField()


class CaseloadCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    reference = serializers.CharField()
    client = serializers.CharField(source="client.full_name")
    client_id = serializers.IntegerField()
    status = serializers.ChoiceField(CaseStatus.choices)
    opened_on = serializers.DateField()
    last_contact = serializers.DateField(allow_null=True, help_text="Date of the latest service")
    days_since = serializers.IntegerField(
        help_text="Days since the last service (since opening when none)"
    )
    open_tasks = serializers.IntegerField()
    overdue_tasks = serializers.IntegerField()
    next_review_on = serializers.DateField(allow_null=True)


class OverdueTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    due_on = serializers.DateField()
    case = serializers.IntegerField(source="case_id", allow_null=True)


class CaseloadSerializer(serializers.Serializer):
    today = serializers.DateField()
    days = serializers.IntegerField(help_text="N: a case without contact for N days is listed")
    active = CaseloadCaseSerializer(many=True)
    no_contact = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of active cases without contact for N days"
    )
    by_status = StatusCountSerializer(many=True)
    overdue_tasks = OverdueTaskSerializer(many=True)
    reviews_due = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Ids of active cases whose plan review is overdue or due within two weeks",
    )

    def to_representation(self, data):
        data = dict(data)
        data["no_contact"] = [case.pk for case in data["no_contact"]]
        data["reviews_due"] = [case.pk for case in data["reviews_due"]]
        return super().to_representation(data)


class WorkerRowSerializer(serializers.Serializer):
    worker = serializers.IntegerField(source="worker.pk")
    name = serializers.SerializerMethodField()
    active = serializers.IntegerField()
    overdue_tasks = serializers.IntegerField()
    no_contact = serializers.IntegerField()

    def get_name(self, row) -> str:
        return row["worker"].get_full_name() or row["worker"].username


class FlaggedCaseSerializer(serializers.Serializer):
    flag = serializers.IntegerField(source="pk")
    case = serializers.IntegerField(source="case_id")
    reference = serializers.CharField(source="case.reference")
    kind = serializers.ChoiceField(RiskKind.choices)
    reasons = serializers.ListField(child=serializers.CharField())
    raised_on = serializers.DateField()
    days_open = serializers.IntegerField()


class KindCountSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(RiskKind.choices)
    label = serializers.CharField()
    count = serializers.IntegerField()


class TeamCaseloadSerializer(serializers.Serializer):
    team = serializers.IntegerField(source="team.pk")
    name = serializers.CharField(source="team.name")
    active = serializers.IntegerField()
    no_contact = serializers.IntegerField()
    overdue_tasks = serializers.IntegerField()
    workers = WorkerRowSerializer(many=True)
    by_status = StatusCountSerializer(many=True)
    flags = FlaggedCaseSerializer(many=True, help_text="Open risk flags, oldest first")
    flags_by_kind = KindCountSerializer(many=True)


class TeamCaseloadsSerializer(serializers.Serializer):
    today = serializers.DateField()
    days = serializers.IntegerField()
    teams = TeamCaseloadSerializer(many=True)
