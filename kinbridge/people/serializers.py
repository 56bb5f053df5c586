from rest_framework import serializers

from kinbridge.accounts.models import Team
from kinbridge.people.models import Person, PersonRole, PersonRoleKind, Relationship


class PersonSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    teams = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Team.objects.all(), write_only=True
    )
    role_list = serializers.ListField(
        child=serializers.ChoiceField(choices=PersonRoleKind.choices),
        write_only=True,
        required=False,
    )
    confirm_not_duplicate = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Save even though likely duplicates exist (after checking them).",
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "reference",
            "name_latin",
            *Person.EDITABLE_FIELDS,
            "roles",
            "teams",
            "role_list",
            "confirm_not_duplicate",
            "version",
        ]
        read_only_fields = ["id", "reference", "name_latin", "version"]

    def get_roles(self, person) -> list[str]:
        return sorted(facet.role for facet in person.roles.all() if facet.end is None)


class PersonUpdateSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(
        help_text="The version you read; the change is refused (409) if it is no longer current."
    )

    class Meta:
        model = Person
        fields = [*Person.EDITABLE_FIELDS, "version"]


class VisiblePeopleMixin:
    """Person fields accept only people the caller sees: others read as 'does not exist'."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        for name in ("person", "relative"):
            if name in self.fields and request is not None:
                self.fields[name].queryset = Person.objects.visible_to(request.user)


class PersonRoleSerializer(VisiblePeopleMixin, serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())

    class Meta:
        model = PersonRole
        fields = ["id", "person", "role", "start", "end"]
        read_only_fields = ["id", "end"]


class RelationshipSerializer(VisiblePeopleMixin, serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    relative = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())

    class Meta:
        model = Relationship
        fields = [
            "id",
            "person",
            "relative",
            "kind",
            "parental_responsibility",
            "lives_with",
            "start",
            "end",
        ]
        read_only_fields = ["id", "end"]


class EndSerializer(serializers.Serializer):
    end = serializers.DateField(required=False, help_text="Today when left out.")


class ShareSerializer(serializers.Serializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    stop = serializers.BooleanField(
        default=False, help_text="True: stop sharing with this team (only a shared team)."
    )
