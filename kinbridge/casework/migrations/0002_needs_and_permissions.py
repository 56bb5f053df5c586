from django.db import migrations

from kinbridge.accounts.roles import Role, grant

# The built-in needs, in the order the intake form lists them (labels: casework/needs.py).
NEEDS = [
    ("emotional_support", "Emotional support"),
    ("justice_information", "Information about the justice process"),
    ("contact_visits", "Contact and visits"),
    ("talking_to_children", "Talking to children about the imprisonment"),
    ("financial", "Financial"),
    ("housing", "Housing"),
    ("legal", "Legal"),
    ("release", "Preparing for release"),
    ("schooling", "Child's schooling"),
    ("stigma_isolation", "Stigma and isolation"),
    ("domestic_abuse", "Domestic abuse"),
    ("abandonment_risk", "Child abandonment risk"),
]

CASEWORK = [
    f"casework.{action}_{model}"
    for model in (
        "case",
        "caseworker",
        "casemember",
        "referral",
        "referralout",
        "caseneed",
        "goal",
        "planreview",
        "service",
        "note",
        "task",
        "riskflag",
    )
    for action in ("add", "change", "view")
]


def forwards(apps, schema_editor):
    NeedType = apps.get_model("casework", "NeedType")
    for position, (code, name) in enumerate(NEEDS, start=1):
        NeedType.objects.get_or_create(code=code, defaults={"name": name, "position": position * 10})
    grant(
        apps,
        {
            Role.ADMINISTRATOR.value: CASEWORK
            + [f"casework.{a}_needtype" for a in ("add", "change", "view")],
            Role.PROGRAMME_MANAGER.value: CASEWORK + ["casework.view_needtype"],
            Role.CASEWORKER.value: CASEWORK + ["casework.view_needtype"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
