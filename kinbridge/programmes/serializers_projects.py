"""Serializers of programmes, funders, projects (fundings and budget lines nested) and
KPI indicators with their live actuals."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kinbridge.accounts.models import Region, Team
from kinbridge.facilities.models import Facility
from kinbridge.programmes import indicators
from kinbridge.programmes.actions_projects import PROGRAMME_FIELDS, PROJECT_FIELDS
from kinbridge.programmes.models import (
    BudgetLine,
    Funder,
    Funding,
    Indicator,
    Programme,
    Project,
)
from kinbridge.programmes.projects_kpi import KpiRow, how_counted, kpi_row

MONEY = {"max_digits": 14, "decimal_places": 2}


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class ProgrammeSerializer(serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), help_text="Set once, when the programme is created."
    )

    class Meta:
        model = Programme
        fields = ["id", "team", *PROGRAMME_FIELDS]
        read_only_fields = ["id"]
        validators = []  # one name per team: checked by the action

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list):
            fields["team"].read_only = True
        return fields


class FunderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Funder
        fields = ["id", "name", "website"]
        read_only_fields = ["id"]
        extra_kwargs = {"name": {"validators": []}}  # uniqueness: checked by the action


class FundingSerializer(serializers.ModelSerializer):
    funder = FunderSerializer(read_only=True)
    funder_id = serializers.PrimaryKeyRelatedField(
        source="funder",
        queryset=Funder.objects.all(),
        write_only=True,
        required=False,
        allow_null=True,
        help_text="A funder on file; or give funder_name instead.",
    )
    funder_name = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="A funder's name: the one on file with this name (any case), or a new one.",
    )
    amount = serializers.DecimalField(**MONEY, help_text="The funder's contribution, above 0.")

    class Meta:
        model = Funding
        fields = ["funder", "funder_id", "funder_name", "amount"]


class BudgetLineSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(
        required=False, help_text="Give the id to change a line; leave it out to add one."
    )
    planned = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY, required=False, default=Decimal(0))
    remaining = serializers.SerializerMethodField()
    over_budget = serializers.SerializerMethodField()

    class Meta:
        model = BudgetLine
        fields = ["id", "name", "planned", "spent", "remaining", "over_budget"]
        validators = []  # unique names: checked by the action

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_remaining(self, line) -> str:
        return str(line.planned - line.spent)

    def get_over_budget(self, line) -> bool:
        return line.spent > line.planned


class ProjectSerializer(serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), help_text="Set once, when the project is created."
    )
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.none(),
        required=False,
        allow_null=True,
        help_text="A programme of the project's team; or give programme_name.",
    )
    programme_name = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="The team's programme with this name, made if there is none.",
    )
    total_budget = serializers.DecimalField(**MONEY)
    facilities = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Facility.objects.all(), required=False
    )
    regions = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Region.objects.all(), required=False
    )
    fundings = FundingSerializer(
        many=True,
        required=False,
        help_text="Every funder's contribution; together at most the total budget. "
        "Left out on update: unchanged.",
    )
    budget_lines = BudgetLineSerializer(
        many=True, required=False, help_text="Every budget line. Left out on update: unchanged."
    )
    version = serializers.IntegerField(
        required=False,
        help_text="Read it, send it back on update: a newer version on file answers 409.",
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "team",
            *PROJECT_FIELDS,
            "programme_name",
            "facilities",
            "regions",
            "fundings",
            "budget_lines",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user is not None and user.is_authenticated:
            fields["programme"].queryset = Programme.objects.visible_to(user)
        if self.instance is not None and not isinstance(self.instance, list):
            fields["team"].read_only = True
            fields["version"].required = True
        return fields


class BreakdownRowSerializer(serializers.Serializer):
    facility_id = serializers.IntegerField(allow_null=True)
    facility = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)


class MonthRowSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month.")
    value = serializers.DecimalField(max_digits=14, decimal_places=2)


class BreakdownSerializer(serializers.Serializer):
    by_facility = BreakdownRowSerializer(many=True)
    by_month = MonthRowSerializer(many=True)


TARGET_ERRORS = {
    "invalid": "The target must be a number, such as 90.",
    "required": "Enter the target, such as 90.",
    "null": "Enter the target, such as 90.",
}


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator with its live actual. ``parameters``: the kind's settings by name."""

    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.none(), help_text="Set once, when the indicator is created."
    )
    kind = serializers.ChoiceField(choices=(), help_text="How the actual is counted.")
    parameters = serializers.DictField(
        required=False,
        help_text='The kind\'s settings, e.g. {"characteristic": "children", "age_years": 3}.',
    )
    target = serializers.DecimalField(max_digits=12, decimal_places=2, error_messages=TARGET_ERRORS)
    manual_actual = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="Manual kinds only: the value achieved.",
    )
    how_counted = serializers.SerializerMethodField()
    has_evidence = serializers.SerializerMethodField()
    actual = serializers.SerializerMethodField()
    percent = serializers.SerializerMethodField()
    breakdown = serializers.SerializerMethodField(
        help_text="By facility and by month: on retrieve and after a change; null in lists."
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "project",
            "name",
            "kind",
            "parameters",
            "target",
            "position",
            "manual_actual",
            "evidence_note",
            "has_evidence",
            "how_counted",
            "actual",
            "percent",
            "breakdown",
        ]
        read_only_fields = ["id", "position"]

    def get_fields(self):
        fields = super().get_fields()
        fields["kind"].choices = indicators.kind_choices()
        user = _user(self)
        if user is not None and user.is_authenticated:
            fields["project"].queryset = Project.objects.visible_to(user)
        if self.instance is not None and not isinstance(self.instance, list):
            fields["project"].read_only = True
        return fields

    def _row(self, indicator) -> KpiRow:
        rows = self.context.setdefault("kpi_rows", {})
        if indicator.pk not in rows:
            rows[indicator.pk] = kpi_row(indicator, breakdown=self.context.get("breakdown", False))
        return rows[indicator.pk]

    @extend_schema_field(BreakdownSerializer(allow_null=True))
    def get_breakdown(self, indicator):
        """By facility and by month: on retrieve and after a change; null in lists."""
        if not self.context.get("breakdown"):
            return None
        row = self._row(indicator)
        if row.actual is None:
            return None
        return {
            "by_facility": [
                {"facility_id": pk, "facility": name, "value": str(value)}
                for pk, name, value in row.by_facility
            ],
            "by_month": [
                {"month": month.isoformat(), "value": str(value)} for month, value in row.by_month
            ],
        }

    def get_how_counted(self, indicator) -> str:
        label, how = how_counted(indicator)
        return f"{label}: {how}" if how else label

    def get_has_evidence(self, indicator) -> bool:
        return bool(indicator.evidence)

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_actual(self, indicator) -> str | None:
        actual = self._row(indicator).actual
        return None if actual is None else str(actual)

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_percent(self, indicator) -> str | None:
        percent = self._row(indicator).percent
        return None if percent is None else str(percent)


class EvidenceUploadSerializer(serializers.Serializer):
    evidence = serializers.FileField(help_text="A PDF, JPEG or PNG file.")
    evidence_note = serializers.CharField(required=False, allow_blank=True, max_length=300)
