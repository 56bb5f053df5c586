from rest_framework import serializers

from kinbridge.accounts.models import Region
from kinbridge.accounts.serializers import RegionSerializer
from kinbridge.partners.actions import (
    CONTACT_FIELDS,
    PARTNER_FIELDS,
    SERVICE_FIELDS,
    can_see_contacts,
    normalise_languages,
)
from kinbridge.partners.models import Partner, PartnerContact, PartnerService


class PartnerServiceSerializer(serializers.ModelSerializer):
    regions = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Region.objects.all(),
        required=False,
        help_text="Region ids; empty: wherever the partner works.",
    )

    class Meta:
        model = PartnerService
        fields = [*SERVICE_FIELDS, "regions"]
        validators = []  # one row per kind: checked by the action

    def validate_languages(self, value):
        codes = normalise_languages(value)
        if codes is None:
            raise serializers.ValidationError(
                "Use language codes separated by commas, e.g. ru, lt."
            )
        return codes


class PartnerContactSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(
        required=False, help_text="Give the id to change a contact; leave it out to add one."
    )

    class Meta:
        model = PartnerContact
        fields = ["id", *CONTACT_FIELDS]


class PartnerSerializer(serializers.ModelSerializer):
    region = RegionSerializer(read_only=True)
    region_id = serializers.PrimaryKeyRelatedField(
        source="region",
        queryset=Region.objects.all(),
        write_only=True,
        required=False,
        allow_null=True,
        help_text="Empty: works everywhere (national or online).",
    )
    services = PartnerServiceSerializer(
        many=True, required=False, help_text="Every service. Left out on update: unchanged."
    )
    contacts = PartnerContactSerializer(
        many=True,
        required=False,
        help_text=(
            "Contact people: personal data, present only for roles that see people's names. "
            "Left out on update: unchanged."
        ),
    )

    class Meta:
        model = Partner
        fields = [
            "id",
            *[name for name in PARTNER_FIELDS if name != "region"],
            "region",
            "region_id",
            "services",
            "contacts",
            "updated_at",
        ]
        read_only_fields = ["id", "updated_at"]
        extra_kwargs = {"name": {"validators": []}}  # uniqueness: checked by the action

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not can_see_contacts(user):
            del fields["contacts"]  # neither read nor written, nor even loaded
        return fields
