"""API shapes of tasks. Writes go through task_actions, which check every rule."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from kinbridge.accounts.models import User
from kinbridge.casework.models import Case, Task


class TaskSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True, default=None)
    assignee_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "case",
            "case_reference",
            "title",
            "details",
            "due_on",
            "assignee",
            "assignee_name",
            "status",
            "overdue",
            "completed_at",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    def get_assignee_name(self, task) -> str:
        return task.assignee.get_full_name() or task.assignee.username

    def get_overdue(self, task) -> bool:
        return task.status == "open" and task.due_on < timezone.localdate()


class TaskCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    details = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    due_on = serializers.DateField(help_text="YYYY-MM-DD")
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        help_text="A casework user who sees the case.",
    )
    case = serializers.PrimaryKeyRelatedField(
        queryset=Case.objects.none(), required=False, allow_null=True, default=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Cases the caller does not see read as "does not exist".
            self.fields["case"].queryset = Case.objects.visible_to(request.user)


class TaskUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    details = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    due_on = serializers.DateField(required=False, help_text="YYYY-MM-DD")
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False
    )
    version = serializers.IntegerField(
        help_text="The version you read; the change is refused (409) if it is no longer current."
    )


class TaskChangeSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The version you read (optional): 409 if the task changed since.",
    )


class StaleTaskSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = TaskSerializer()
    differences = serializers.ListField(child=serializers.DictField())
