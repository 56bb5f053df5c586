from rest_framework import serializers

from kinbridge.accounts.models import Region
from kinbridge.accounts.serializers import RegionSerializer
from kinbridge.facilities.actions import FACILITY_FIELDS, RULES_FIELDS, SLOT_FIELDS, slot_errors
from kinbridge.facilities.models import Facility, VisitingRules, VisitKind, VisitSlot


class VisitSlotSerializer(serializers.ModelSerializer):
    class Meta:
        model = VisitSlot
        fields = list(SLOT_FIELDS)
        validators = []  # the action checks duplicates, with a translated message

    def validate(self, attrs):
        # A slot is always given whole (a PATCH replaces the list): fill in the defaults.
        attrs = {"kind": VisitKind.SHORT, "days": 1} | attrs
        errors = slot_errors(attrs)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class VisitingRulesSerializer(serializers.ModelSerializer):
    slots = VisitSlotSerializer(
        many=True,
        required=False,
        help_text="Every weekly slot. Left out on update: the slots stay as they are.",
    )
    banned_item_list = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="banned_items, one per line"
    )

    class Meta:
        model = VisitingRules
        fields = [*RULES_FIELDS, "banned_item_list", "slots"]


class FacilitySerializer(serializers.ModelSerializer):
    region = RegionSerializer(read_only=True)
    region_id = serializers.PrimaryKeyRelatedField(
        source="region", queryset=Region.objects.all(), write_only=True
    )
    visiting_rules = VisitingRulesSerializer(
        required=False,
        allow_null=True,
        help_text="Null: no visiting rules. Left out on update: unchanged.",
    )
    has_children_unit = serializers.BooleanField(read_only=True)

    class Meta:
        model = Facility
        fields = [
            "id",
            *[name for name in FACILITY_FIELDS if name != "region"],
            "region",
            "region_id",
            "has_children_unit",
            "visiting_rules",
            "updated_at",
        ]
        read_only_fields = ["id", "updated_at"]
        validators = []  # uniqueness per region is checked by the action, with a clear message
