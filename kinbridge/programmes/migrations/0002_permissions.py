from django.db import migrations

from kinbridge.accounts.roles import Role, grant

PLANNING = [
    f"programmes.{action}_{model}"
    for model in (
        "programme",
        "funder",
        "project",
        "funding",
        "budgetline",
        "indicator",
        "session",
        "sessionseries",
        "course",
    )
    for action in ("add", "change", "delete", "view")
]
ROSTERS = [
    f"programmes.{action}_{model}"
    for model in ("enrolment", "attendance", "handout", "handoutreceipt", "registersheet")
    for action in ("add", "change", "view")
]
READ = [
    f"programmes.view_{model}"
    for model in ("programme", "funder", "project", "indicator", "session", "course")
]


def forwards(apps, schema_editor):
    # Managers plan; facilitators keep the rosters of their own sessions;
    # caseworkers enrol the people they refer; analysts read aggregates.
    grant(
        apps,
        {
            Role.ADMINISTRATOR.value: PLANNING + ROSTERS,
            Role.PROGRAMME_MANAGER.value: PLANNING + ROSTERS,
            Role.FACILITATOR.value: READ + ROSTERS,
            Role.CASEWORKER.value: READ + ["programmes.add_enrolment", "programmes.change_enrolment", "programmes.view_enrolment", "programmes.view_attendance"],
            Role.VOLUNTEER_COORDINATOR.value: READ,
            Role.ANALYST.value: READ,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
