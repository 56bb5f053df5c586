from rest_framework import serializers
from rest_framework.reverse import reverse

from kinbridge.consents.models import Consent
from kinbridge.partners.models import Partner
from kinbridge.people.models import Person


class ConsentSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    given_by = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(), required=False, allow_null=True
    )
    purpose_display = serializers.SerializerMethodField()
    evidence = serializers.FileField(
        write_only=True, required=False, help_text="PDF, JPEG or PNG (multipart requests only)."
    )
    evidence_url = serializers.SerializerMethodField()
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "person",
            "purpose",
            "purpose_display",
            "partner",
            "given_by",
            "given_on",
            "method",
            "evidence",
            "evidence_url",
            "recorded_at",
            "is_current",
            "withdrawn_on",
            "withdrawal_reason",
        ]
        read_only_fields = ["id", "recorded_at", "withdrawn_on", "withdrawal_reason"]
        validators = []  # the action checks the one-current-consent rule, with a clear message

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            # Only people the user may see can be named: others do "not exist".
            visible = Person.objects.visible_to(request.user)
            self.fields["person"].queryset = visible
            self.fields["given_by"].queryset = visible

    def get_purpose_display(self, consent) -> str:
        return consent.purpose_display

    def get_evidence_url(self, consent) -> str | None:
        """Where to download the evidence (audited); it is never inline."""
        if not consent.evidence:
            return None
        return reverse(
            "api:consent-evidence", args=[consent.pk], request=self.context.get("request")
        )


class WithdrawSerializer(serializers.Serializer):
    withdrawn_on = serializers.DateField(required=False, help_text="Default: today.")
    reason = serializers.CharField(max_length=500)
