from rest_framework import serializers

from kinbridge.accounts.models import Team
from kinbridge.people.models import Person, PersonRoleKind


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
