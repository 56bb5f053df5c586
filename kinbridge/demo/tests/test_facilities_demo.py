import datetime as dt
import io

import pytest
from django.core.management import call_command

from kinbridge.audit.models import AuditEvent
from kinbridge.facilities.models import Facility
from kinbridge.partners.models import Partner


@pytest.mark.django_db
def test_demo_facilities_and_partners_load_once():
    call_command("load_demo", stdout=io.StringIO())
    counts = (Facility.objects.count(), Partner.objects.count(), AuditEvent.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert counts == (
        Facility.objects.count(),
        Partner.objects.count(),
        AuditEvent.objects.count(),
    )
    # Other demo modules find facilities by these exact names and regions.
    ik5 = Facility.objects.get(name="IK-5", region__name="Moscow Region", region__country="RU")
    assert ik5.stay_limit(dt.date(2025, 1, 1), dt.date(2028, 6, 1)) == dt.date(2028, 6, 1)
    eastwood = Facility.objects.get(name="HMP Eastwood Park", region__name="Gloucestershire")
    assert eastwood.child_age_limit_months == 18
    assert eastwood.visiting_rules.booking_window_days == 28
    assert eastwood.visiting_rules.slots.filter(kind="family").exists()
    for name, region in [
        ("IK-18", "Rostov Region"),
        ("IK-15", "Samara Region"),
        ("Panevėžio pataisos namai", "Panevėžys County"),
        ("Marijampolės pataisos namai", "Marijampolė County"),
        ("Women's colony No. 2 (demo)", "Chüy Region"),
    ]:
        assert Facility.objects.filter(name=name, region__name=region).exists()
    assert Partner.objects.public().count() == 3
