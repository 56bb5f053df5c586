from django.db import migrations

from kinbridge.accounts.roles import Role, grant

EDIT = ["people.add_person", "people.change_person", "people.view_person"]


def forwards(apps, schema_editor):
    grant(
        apps,
        {
            Role.ADMINISTRATOR.value: EDIT,
            Role.PROGRAMME_MANAGER.value: EDIT,
            Role.CASEWORKER.value: EDIT,
            Role.FACILITATOR.value: EDIT,
            Role.VOLUNTEER_COORDINATOR.value: EDIT,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
