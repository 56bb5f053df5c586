import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from kinbridge.consents.checks import has_consent
from kinbridge.consents.models import Consent
from kinbridge.demo import people as demo_people
from kinbridge.partners.models import Partner


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 6, 15, tzinfo=dt.UTC), tick=False)
def test_demo_consents():
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    assert Consent.objects.count() == 15
    demo = demo_people.load()  # idempotent: the hand-written demo people, by key
    artyom = demo["artyom"]
    child = Consent.objects.get(person=artyom, purpose="casework")
    assert child.given_by.given_name == "Мария"  # his mother, with parental responsibility
    elena = demo["elena"]
    assert not has_consent(elena, "evaluation") and has_consent(elena, "casework")
    pact = Partner.objects.get(name="Pact (Prison Advice and Care Trust)")
    assert has_consent(demo["maria"], "sharing", partner=pact)
