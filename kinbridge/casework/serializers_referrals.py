"""API shapes of referrals in (the intake queue, triage) and referrals out."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from kinbridge.accounts.models import Region, Team, User
from kinbridge.casework.access import can_edit_case
from kinbridge.casework.intake import STAFF_SOURCES
from kinbridge.casework.models import (
    Case,
    CaseType,
    ContactSafety,
    Referral,
    ReferralOut,
    SharedItem,
)
from kinbridge.casework.referral_actions import ANSWERS, NEW_PERSON_ROLES
from kinbridge.casework.serializers_cases import DifferenceSerializer
from kinbridge.facilities.models import Facility
from kinbridge.partners.models import Partner
from kinbridge.people.models import Person
from kinbridge.people.rights_api import DuplicateCheckSerializer


class ReferralSerializer(serializers.ModelSerializer):
    """A referral in. Creating one files it in the intake queue (status ``new``)."""

    source = serializers.ChoiceField(choices=[(s, s) for s in STAFF_SOURCES])
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(), required=False, allow_null=True
    )
    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.all(), required=False, allow_null=True
    )
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), required=False, allow_null=True
    )
    received_on = serializers.DateField(required=False, help_text="Default: today.")
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False, allow_blank=True)
    contact_safety = serializers.ChoiceField(
        choices=ContactSafety.choices, required=False, default=ContactSafety.NOT_KNOWN
    )
    case_type = serializers.ChoiceField(choices=CaseType.choices, required=False, allow_blank=True)
    needs = serializers.ListField(
        child=serializers.SlugField(max_length=40),
        required=False,
        help_text="Codes of needs (see the needs list).",
    )
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "status",
            "source",
            "team",
            "partner",
            "facility",
            "referrer_name",
            "referrer_contact",
            "received_on",
            "given_name",
            "family_name",
            "birth_date",
            "phone",
            "email",
            "contact_safety",
            "safe_contact_note",
            "region",
            "language",
            "case_type",
            "needs",
            "description",
            "consent_to_contact",
            "person",
            "case",
            "decided_at",
            "decided_by",
            "decline_reason",
            "created_at",
            "version",
        ]
        read_only_fields = [
            "id",
            "reference",
            "status",
            "person",
            "case",
            "decided_at",
            "decided_by",
            "decline_reason",
            "created_at",
            "version",
        ]
        # The rules themselves are the intake's (one place for forms, API and public form).
        extra_kwargs = {"given_name": {"required": False, "allow_blank": True}}


class AcceptSerializer(serializers.Serializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    case_type = serializers.ChoiceField(choices=CaseType.choices)
    lead_worker = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text="An existing person to link; leave out to create one from the referral.",
    )
    role = serializers.ChoiceField(
        choices=NEW_PERSON_ROLES, required=False, default=NEW_PERSON_ROLES[0]
    )
    confirm_not_duplicate = serializers.BooleanField(required=False, default=False)
    seen_duplicates = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The ``seen_duplicates`` token of the 409 answer listing the candidates.",
    )
    version = serializers.IntegerField(required=False, help_text="The version you read.")


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1600)
    signposted_to = serializers.CharField(max_length=300, required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, help_text="The version you read.")


class DuplicatesFoundSerializer(DuplicateCheckSerializer):
    detail = serializers.CharField(required=False)  # the answer adds the message
    seen_duplicates = serializers.CharField(source="token")


class ReferralConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = ReferralSerializer()


class VisibleCaseField(serializers.PrimaryKeyRelatedField):
    """A case the caller may add to (others: "invalid pk", as if absent)."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Case.objects.none()
        return Case.objects.visible_to(request.user)

    def to_internal_value(self, data):
        case = super().to_internal_value(data)
        if not can_edit_case(self.context["request"].user, case):
            self.fail("does_not_exist", pk_value=data)
        return case


class ReferralOutSerializer(serializers.ModelSerializer):
    """A referral of the client to a partner, under the client's consent to share with it."""

    case = VisibleCaseField()
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    shared_items = serializers.ListField(
        child=serializers.ChoiceField(choices=SharedItem.choices), required=False
    )
    sent_on = serializers.DateField(required=False, help_text="Default: today.")

    class Meta:
        model = ReferralOut
        fields = [
            "id",
            "case",
            "partner",
            "consent",
            "reason",
            "shared_items",
            "shared_note",
            "sent_on",
            "status",
            "answered_on",
            "answer_note",
            "created_at",
            "version",
        ]
        read_only_fields = [
            "id",
            "consent",
            "status",
            "answered_on",
            "answer_note",
            "created_at",
            "version",
        ]


class AnswerSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ANSWERS)
    answered_on = serializers.DateField()
    answer_note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    version = serializers.IntegerField(help_text="The version you read; a newer one answers 409.")


class ReferralOutConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = ReferralOutSerializer()
    differences = DifferenceSerializer(many=True)
