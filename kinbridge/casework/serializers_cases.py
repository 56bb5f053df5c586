"""Serializers of the cases API: the case, its create and update bodies, the workflow
steps, workers and family members, and timeline entries."""

from __future__ import annotations

from rest_framework import serializers

from kinbridge.accounts.models import Team
from kinbridge.casework.access import case_staff
from kinbridge.casework.case_actions import OpenTasks
from kinbridge.casework.models import (
    Case,
    CaseMember,
    CaseOutcome,
    CaseStatus,
    CaseType,
    ClosureReason,
)
from kinbridge.people.models import Person
from kinbridge.programmes.models import Project


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class CaseMemberSerializer(serializers.ModelSerializer):
    person_reference = serializers.CharField(source="person.reference", read_only=True)
    name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = CaseMember
        fields = ["person", "person_reference", "name", "role_in_case", "added_on"]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    client_reference = serializers.CharField(source="client.reference", read_only=True)
    client_name = serializers.CharField(source="client.full_name", read_only=True)
    workers = serializers.SerializerMethodField(help_text="Other workers (user ids).")
    members = CaseMemberSerializer(many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField(
        help_text="The statuses the case may move to now (a closed case: reopen instead)."
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "client",
            "client_reference",
            "client_name",
            "case_type",
            "team",
            "project",
            "lead_worker",
            "workers",
            "members",
            "status",
            "allowed_transitions",
            "summary",
            "opened_on",
            "closed_on",
            "closure_reason",
            "outcome",
            "outcome_note",
            "next_review_on",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_workers(self, case) -> list[int]:
        return sorted(link.user_id for link in case.worker_links.all())

    def get_allowed_transitions(self, case) -> list[str]:
        return [] if case.status == CaseStatus.CLOSED else list(case.allowed_transitions())


class MemberInSerializer(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    role_in_case = serializers.CharField(max_length=100, required=False, default="")

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user is not None:
            fields["person"].queryset = Person.objects.visible_to(user)
        return fields


class CaseCreateSerializer(serializers.Serializer):
    client = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(), help_text="A person you can see."
    )
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.none())
    case_type = serializers.ChoiceField(choices=CaseType.choices)
    lead_worker = serializers.PrimaryKeyRelatedField(
        queryset=case_staff([]), required=False, allow_null=True, default=None
    )
    workers = serializers.PrimaryKeyRelatedField(
        queryset=case_staff([]), many=True, required=False, default=list
    )
    members = MemberInSerializer(many=True, required=False, default=list)
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.none(), required=False, allow_null=True, default=None
    )
    summary = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    opened_on = serializers.DateField(required=False, default=None, help_text="Default: today.")
    next_review_on = serializers.DateField(required=False, allow_null=True, default=None)

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user is not None and user.is_authenticated:
            teams = Team.objects.visible_to(user).active()
            team_ids = list(teams.values_list("pk", flat=True))
            fields["client"].queryset = Person.objects.visible_to(user)
            fields["team"].queryset = teams
            fields["lead_worker"].queryset = case_staff(team_ids)
            fields["workers"].child_relation.queryset = case_staff(team_ids)
            fields["project"].queryset = Project.objects.filter(team_id__in=team_ids)
        return fields

    def to_representation(self, instance):
        return CaseSerializer(instance, context=self.context).data


class CaseUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        help_text="The version you read; a newer one on file answers 409 with the differences."
    )
    case_type = serializers.ChoiceField(choices=CaseType.choices, required=False)
    summary = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.none(), required=False, allow_null=True
    )
    next_review_on = serializers.DateField(required=False, allow_null=True)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["project"].queryset = Project.objects.filter(team_id=case.team_id)


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=CaseStatus.choices)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    lead_worker = serializers.PrimaryKeyRelatedField(
        queryset=case_staff([]),
        required=False,
        allow_null=True,
        default=None,
        help_text="Needed when the case moves on from “referred” without a lead worker.",
    )
    closure_reason = serializers.ChoiceField(
        choices=ClosureReason.choices, required=False, allow_blank=True, default=""
    )
    outcome = serializers.ChoiceField(
        choices=CaseOutcome.choices, required=False, allow_blank=True, default=""
    )
    outcome_note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    closed_on = serializers.DateField(required=False, allow_null=True, default=None)
    open_tasks = serializers.ChoiceField(
        choices=[OpenTasks.CANCEL, OpenTasks.CARRY],
        required=False,
        allow_blank=True,
        default="",
        help_text="Closing with open tasks: ``cancel`` them or ``carry`` them on without "
        "the case; left out, the close is refused listing them.",
    )

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["lead_worker"].queryset = case_staff([case.team_id])


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class WorkerSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=case_staff([]))

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["user"].queryset = case_staff([case.team_id])


class MemberRemoveSerializer(serializers.Serializer):
    person = serializers.IntegerField()


class WorkerRemoveSerializer(serializers.Serializer):
    user = serializers.IntegerField()


class DifferenceSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    theirs = serializers.JSONField()
    yours = serializers.JSONField()


class StaleCaseSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = CaseSerializer()
    differences = DifferenceSerializer(many=True)


# What each kind of timeline entry says about its record.
ENTRY_FIELDS = {
    "service": (
        "service_type",
        "mode",
        "date",
        "duration_minutes",
        "worker_id",
        "recipient_id",
        "note",
    ),
    "note": ("confidential", "body", "author_id", "created_at"),
    "event": ("kind", "from_status", "to_status", "reason", "by_id"),
    "task": ("title", "due_on", "assignee_id", "status"),
    "task_settled": ("title", "status", "completed_at", "completed_by_id"),
    "referral_in": ("reference", "source", "partner_id", "received_on"),
    "referral_out": ("partner_id", "reason", "sent_on", "status", "answered_on"),
    "risk": ("kind", "raised_on", "raised_by_id", "resolved_on"),
}


class TimelineEntrySerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=", ".join(ENTRY_FIELDS))
    id = serializers.IntegerField(source="record.pk")
    day = serializers.DateField()
    at = serializers.DateTimeField(allow_null=True)
    summary = serializers.SerializerMethodField(
        help_text="The record's main fields; which depends on the kind."
    )

    def get_summary(self, entry) -> dict:
        return {
            name.removesuffix("_id"): getattr(entry.record, name)
            for name in ENTRY_FIELDS.get(entry.kind, ())
        }


class TimelinePageSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    results = TimelineEntrySerializer(many=True)
