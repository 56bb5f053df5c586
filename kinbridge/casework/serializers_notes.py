"""API shapes of notes and their earlier versions."""

from __future__ import annotations

from rest_framework import serializers

from kinbridge.casework.models import Note, NoteVersion
from kinbridge.casework.serializers_plan import VERSION_HELP


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = [
            "id",
            "case",
            "confidential",
            "body",
            "author",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class NoteCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    body = serializers.CharField(max_length=20000)
    confidential = serializers.BooleanField(
        default=False, help_text="Only the case's own workers and administrators may set it."
    )


class NoteUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    body = serializers.CharField(max_length=20000)
    confidential = serializers.BooleanField(required=False)


class NoteVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoteVersion
        fields = ["version", "body", "confidential", "edited_by", "edited_at"]
        read_only_fields = fields
