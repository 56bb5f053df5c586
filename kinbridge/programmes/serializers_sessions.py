"""API shapes of sessions, series, courses, enrolments and handouts.

Serializers convert; the actions check every rule (``validators = []``).
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kinbridge.accounts.models import Team, User
from kinbridge.facilities.models import Facility
from kinbridge.partners.models import Partner
from kinbridge.people.models import Person
from kinbridge.programmes.models import (
    Audience,
    Course,
    Enrolment,
    Handout,
    Project,
    Session,
    SessionSeries,
)

SESSION_WRITE_FIELDS = [
    "team",
    "project",
    "course",
    "kind",
    "topic",
    "module",
    "status",
    "place_kind",
    "facility",
    "venue",
    "online_link",
    "start",
    "end",
    "facilitators",
    "external_facilitators",
    "audience",
    "capacity",
    "unnamed_headcount",
    "notes",
]


class SessionSerializer(serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), required=False, allow_null=True
    )
    course = serializers.PrimaryKeyRelatedField(
        queryset=Course.objects.all(), required=False, allow_null=True
    )
    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.all(), required=False, allow_null=True
    )
    facilitators = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        many=True,
        required=False,
        allow_null=True,
        help_text="User ids; null in answers to those who may not see names (analysts).",
    )
    external_facilitators = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        many=True,
        required=False,
        allow_null=True,
        help_text="Person ids of external specialists; null for those who may not see names.",
    )
    audience = serializers.ListField(
        child=serializers.ChoiceField(choices=Audience.choices), required=False
    )
    unnamed_headcount = serializers.IntegerField(min_value=0, required=False)

    class Meta:
        model = Session
        fields = [
            "id",
            *SESSION_WRITE_FIELDS,
            "series",
            "start_date",
            "day_count",
        ]
        read_only_fields = ["id", "series", "start_date", "day_count"]
        validators = []

    def to_representation(self, session):
        data = super().to_representation(session)
        if session.pk not in self.context.get("roster_ids", ()):
            data["facilitators"] = None
            data["external_facilitators"] = None
            data["online_link"] = ""
        return data


class SessionCancelSerializer(serializers.Serializer):
    following = serializers.BooleanField(
        default=False, help_text="Also cancel the later planned sessions of its series."
    )


class SessionUpdateSerializer(SessionSerializer):
    following = serializers.BooleanField(
        default=False,
        write_only=True,
        help_text="Apply the changes to the later planned sessions of the series too.",
    )

    class Meta(SessionSerializer.Meta):
        fields = [*SessionSerializer.Meta.fields, "following"]


class SeriesSerializer(serializers.ModelSerializer):
    sessions = serializers.SerializerMethodField()

    class Meta:
        model = SessionSeries
        fields = ["id", "team", "title", "every_weeks", "occurrences", "sessions"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_sessions(self, series) -> list[int]:
        return [session.pk for session in series.sessions.all()]


class SeriesCreateSerializer(SessionSerializer):
    """The first session's fields, plus how often and how many times."""

    every_weeks = serializers.IntegerField(help_text="1 to 52")
    occurrences = serializers.IntegerField(help_text="1 to 200")
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)

    class Meta(SessionSerializer.Meta):
        fields = [*SESSION_WRITE_FIELDS, "every_weeks", "occurrences", "title"]


class CourseSerializer(serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), required=False, allow_null=True
    )
    referring_partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(), required=False, allow_null=True
    )
    enrolled = serializers.IntegerField(read_only=True, default=None)
    waitlisted = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Course
        fields = [
            "id",
            "team",
            "project",
            "title",
            "description",
            "planned_sessions",
            "capacity",
            "completion_percent",
            "referring_partner",
            "parcels",
            "enrolled",
            "waitlisted",
        ]
        read_only_fields = ["id", "enrolled", "waitlisted"]
        validators = []


class ProgressSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["completed", "in_progress", "not_completed"])
    attended = serializers.IntegerField(help_text="Present at this many held course sessions")
    held = serializers.IntegerField(help_text="Course sessions held so far")


class EnrolmentSerializer(serializers.ModelSerializer):
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all())
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    referred_by = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(), required=False, allow_null=True
    )
    completion = serializers.SerializerMethodField(
        help_text="Given when the list is filtered by course, and for one enrolment."
    )

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "course",
            "person",
            "person_name",
            "status",
            "waitlist_position",
            "enrolled_on",
            "referred_by",
            "withdrawn_on",
            "withdrawal_reason",
            "parcel_sent_on",
            "completion",
        ]
        read_only_fields = [
            "id",
            "status",
            "waitlist_position",
            "enrolled_on",
            "withdrawn_on",
            "withdrawal_reason",
            "parcel_sent_on",
        ]
        validators = []

    @extend_schema_field(ProgressSerializer(allow_null=True))
    def get_completion(self, enrolment):
        progress = self.context.get("progress", {}).get(enrolment.pk)
        if progress is None:
            return None
        return {"state": progress.state, "attended": progress.attended, "held": progress.held}


class EnrolmentWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True)
    on = serializers.DateField(required=False, allow_null=True, help_text="Today if omitted")


class ParcelSerializer(serializers.Serializer):
    parcel_sent_on = serializers.DateField(allow_null=True, help_text="null clears it")


class HandoutSerializer(serializers.ModelSerializer):
    session = serializers.PrimaryKeyRelatedField(queryset=Session.objects.all())
    file = serializers.FileField(write_only=True, required=False)
    download = serializers.SerializerMethodField()
    received = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Handout
        fields = ["id", "session", "title", "file", "download", "received"]
        read_only_fields = ["id", "download", "received"]
        validators = []

    @extend_schema_field(OpenApiTypes.URI)
    def get_download(self, handout) -> str | None:
        if not handout.file:
            return None
        return reverse("api:handout-file", args=[handout.pk])


class ReceiptSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField(source="person.full_name")
    received_on = serializers.DateField()


class ReceiptsUpdateSerializer(serializers.Serializer):
    people = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Exactly the people who received it (person ids).",
    )
    all_present = serializers.BooleanField(
        default=False, help_text="Add everyone present at the session (keeps the others)."
    )
    received_on = serializers.DateField(required=False, allow_null=True)
