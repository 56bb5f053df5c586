from django.db import migrations

from kinbridge.accounts.roles import Role, grant
from kinbridge.lib.keywords import keyword_key

VIEW = ["facilities.view_facility", "facilities.view_visitingrules", "facilities.view_visitslot"]
EDIT = [
    *VIEW,
    "facilities.add_facility",
    "facilities.change_facility",
    "facilities.add_visitingrules",
    "facilities.change_visitingrules",
    "facilities.add_visitslot",
    "facilities.change_visitslot",
    "facilities.delete_visitslot",
]


def forwards(apps, schema_editor):
    Facility = apps.get_model("facilities", "Facility")
    for facility in Facility.objects.all():
        facility.search_key = keyword_key(facility.name)[:400]
        facility.save(update_fields=["search_key"])
    # Reference data: every role reads it; administrators and programme managers keep it.
    grants = {role.value: VIEW for role in Role}
    grants[Role.ADMINISTRATOR.value] = EDIT
    grants[Role.PROGRAMME_MANAGER.value] = EDIT
    grant(apps, grants)


class Migration(migrations.Migration):
    dependencies = [("facilities", "0002_visiting_rules"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
