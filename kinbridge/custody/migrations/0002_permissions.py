from django.db import migrations

from kinbridge.accounts.roles import Role, grant

EDIT = [
    "custody.add_custodyepisode",
    "custody.change_custodyepisode",
    "custody.view_custodyepisode",
    "custody.add_childresidence",
    "custody.change_childresidence",
    "custody.view_childresidence",
]


def forwards(apps, schema_editor):
    # The roles that edit people edit their custody too.
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
    dependencies = [("custody", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
