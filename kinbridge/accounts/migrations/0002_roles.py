"""Create the seven roles, their permissions and their two-factor policy."""

from django.db import migrations

from kinbridge.accounts.roles import TWO_FACTOR_BY_DEFAULT, Role, grant

ADMINISTRATOR_PERMISSIONS = [
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_user",
    "accounts.add_team",
    "accounts.change_team",
    "accounts.view_team",
    "accounts.add_region",
    "accounts.change_region",
    "accounts.view_region",
    "accounts.change_rolepolicy",
    "accounts.view_rolepolicy",
]
EVERY_ROLE = ["accounts.view_team", "accounts.view_region"]


def forwards(apps, schema_editor):
    grants = {role.value: list(EVERY_ROLE) for role in Role}
    grants[Role.ADMINISTRATOR.value] += ADMINISTRATOR_PERMISSIONS
    grant(apps, grants)
    RolePolicy = apps.get_model("accounts", "RolePolicy")
    for role in Role:
        RolePolicy.objects.get_or_create(
            role=role.value, defaults={"require_two_factor": role in TWO_FACTOR_BY_DEFAULT}
        )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=Role.values).delete()
    apps.get_model("accounts", "RolePolicy").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
