from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kinbridge.accounts.models import Region, Team, User
from kinbridge.accounts.roles import Role


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "country"]


class TeamSerializer(serializers.ModelSerializer):
    region = RegionSerializer(read_only=True)
    region_id = serializers.PrimaryKeyRelatedField(
        source="region", queryset=Region.objects.all(), write_only=True
    )

    class Meta:
        model = Team
        fields = ["id", "name", "region", "region_id", "description", "is_active"]
        read_only_fields = ["is_active"]

    def validate_name(self, value):
        value = value.strip()
        taken = Team.objects.filter(name__iexact=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError(_("A team with this name already exists."))
        return value


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    teams = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "language",
            "is_active",
            "roles",
            "teams",
            "last_login",
        ]
        read_only_fields = fields

    def get_roles(self, user) -> list[str]:
        return sorted(group.name for group in user.groups.all() if group.name in Role.values)

    def get_teams(self, user) -> list[int]:
        return sorted(membership.team_id for membership in user.memberships.all())


class MeSerializer(UserSerializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES)

    class Meta(UserSerializer.Meta):
        read_only_fields = [name for name in UserSerializer.Meta.fields if name != "language"]
