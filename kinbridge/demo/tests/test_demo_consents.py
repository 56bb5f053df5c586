import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from kinbridge.consents.checks import has_consent
from kinbridge.consents.models import Consent
from kinbridge.partners.models import Partner
from kinbridge.people.models import Person


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 6, 15, tzinfo=dt.UTC), tick=False)
def test_demo_consents():
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    assert Consent.objects.count() == 15
    artyom = Person.objects.get(given_name="Артём")
    child = Consent.objects.get(person=artyom, purpose="casework")
    assert child.given_by.given_name == "Мария"  # his mother, with parental responsibility
    elena = Person.objects.get(given_name="Елена")
    assert not has_consent(elena, "evaluation") and has_consent(elena, "casework")
    pact = Partner.objects.get(name="Pact (Prison Advice and Care Trust)")
    assert has_consent(Person.objects.get(given_name="Мария"), "sharing", partner=pact)
