"""API shapes of services (input carries ``case``, ``worker`` and ``recipient`` by id)."""

from __future__ import annotations

from rest_framework import serializers

from kinbridge.accounts.models import User
from kinbridge.casework.models import MAX_SERVICE_MINUTES, Service, ServiceMode, ServiceType
from kinbridge.people.models import Person


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = [
            "id",
            "case",
            "service_type",
            "mode",
            "date",
            "duration_minutes",
            "worker",
            "recipient",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class ServiceWriteSerializer(serializers.Serializer):
    """The fields of a service; ``worker`` defaults to you, ``recipient`` to the client.
    Dates, durations, workers and recipients are checked against the case (400 by field)."""

    service_type = serializers.ChoiceField(choices=ServiceType.choices)
    mode = serializers.ChoiceField(choices=ServiceMode.choices)
    date = serializers.DateField()
    duration_minutes = serializers.IntegerField(help_text=f"1 to {MAX_SERVICE_MINUTES} (24 hours).")
    worker = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    recipient = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ServiceCreateSerializer(ServiceWriteSerializer):
    case = serializers.IntegerField()
