from django.db import migrations

from kinbridge.accounts.roles import Role, grant
from kinbridge.lib.keywords import keyword_key

VIEW = ["partners.view_partner", "partners.view_partnerservice"]
EDIT = [
    *VIEW,
    "partners.add_partner",
    "partners.change_partner",
    "partners.add_partnerservice",
    "partners.change_partnerservice",
    "partners.delete_partnerservice",
    "partners.view_partnercontact",
    "partners.add_partnercontact",
    "partners.change_partnercontact",
    "partners.delete_partnercontact",
]
# Contact people are personal data: only roles that see people read them.
SEEING_PEOPLE = ["caseworker", "facilitator", "volunteer_coordinator"]


def forwards(apps, schema_editor):
    Partner = apps.get_model("partners", "Partner")
    for partner in Partner.objects.all():
        partner.search_key = keyword_key(partner.name, partner.description)[:2400]
        partner.save(update_fields=["search_key"])
    grants = {role.value: VIEW for role in Role}
    for role in SEEING_PEOPLE:
        grants[role] = [*VIEW, "partners.view_partnercontact"]
    grants[Role.ADMINISTRATOR.value] = EDIT
    grants[Role.PROGRAMME_MANAGER.value] = EDIT
    grant(apps, grants)


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_services_and_contacts"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
