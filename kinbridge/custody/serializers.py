import datetime as dt

from rest_framework import serializers

from kinbridge.custody.models import ChildResidence, CustodyEpisode
from kinbridge.facilities.models import Facility


class CustodyEpisodeSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id")
    facility = serializers.PrimaryKeyRelatedField(queryset=Facility.objects.all())
    facility_name = serializers.CharField(source="facility.name", read_only=True)

    class Meta:
        model = CustodyEpisode
        fields = [
            "id",
            "person",
            "facility",
            "facility_name",
            "status",
            "start",
            "expected_release",
            "parole_eligibility",
            "end",
            "previous",
            "notes",
        ]
        read_only_fields = ["id", "previous"]
        validators = []  # the action checks every rule, with clearer messages


class ChildResidenceSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="child_id")
    mother = serializers.IntegerField(source="mother_id")
    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.all(),
        required=False,
        help_text="Where the mother is in custody now; optional when creating.",
    )
    facility_name = serializers.CharField(source="facility.name", read_only=True)
    stay_limit = serializers.SerializerMethodField(
        help_text="The last day the child may stay (current stays only)."
    )

    class Meta:
        model = ChildResidence
        fields = [
            "id",
            "child",
            "mother",
            "facility",
            "facility_name",
            "start",
            "end",
            "next_place",
            "carer",
            "stay_limit",
        ]
        read_only_fields = ["id", "end", "next_place", "carer"]
        validators = []

    def get_stay_limit(self, stay) -> dt.date | None:
        if stay.end is not None:
            return None
        return stay.stay_limit(getattr(stay, "mother_release", None))


class PersonBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    name = serializers.CharField(source="full_name")


class FacilityBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PlanningChildSerializer(serializers.Serializer):
    residence = serializers.IntegerField(source="stay.pk")
    child = PersonBriefSerializer(source="stay.child")
    birth_date = serializers.DateField(source="stay.child.birth_date")
    mother = PersonBriefSerializer(source="stay.mother")
    facility = FacilityBriefSerializer(source="stay.facility")
    age_limit = serializers.DateField()
    stay_limit = serializers.DateField()
    extended = serializers.BooleanField()
    mother_release = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField()


class PlanningReleaseSerializer(serializers.Serializer):
    episode = serializers.IntegerField(source="episode.pk")
    person = PersonBriefSerializer(source="episode.person")
    facility = FacilityBriefSerializer(source="episode.facility")
    status = serializers.CharField(source="episode.status")
    expected_release = serializers.DateField(source="episode.expected_release")
    parole_eligibility = serializers.DateField(source="episode.parole_eligibility", allow_null=True)
    days_left = serializers.IntegerField()


class PlanningSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    today = serializers.DateField()
    children_near_limit = PlanningChildSerializer(many=True)
    prisoners_near_release = PlanningReleaseSerializer(many=True)
    reaches_limit_before_release = PlanningChildSerializer(many=True)


class TransferSerializer(serializers.Serializer):
    facility = serializers.PrimaryKeyRelatedField(queryset=Facility.objects.filter(is_active=True))
    date = serializers.DateField()
    expected_release = serializers.DateField(required=False, allow_null=True)
    children_move_with_her = serializers.BooleanField(default=False)


class ReleaseSerializer(serializers.Serializer):
    date = serializers.DateField()
    children_leave_with_her = serializers.BooleanField(default=False)


class EndStaySerializer(serializers.Serializer):
    date = serializers.DateField()
    next_place = serializers.CharField(max_length=200)
    carer_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="Who cares for the child now (a person id)"
    )
