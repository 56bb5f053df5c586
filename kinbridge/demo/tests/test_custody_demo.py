import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from kinbridge.accounts.models import User
from kinbridge.custody.models import ChildResidence, CustodyEpisode
from kinbridge.custody.planning import planning_lists


@pytest.mark.django_db
def test_demo_custody_fills_every_planning_list_and_loads_twice():
    call_command("load_demo", stdout=io.StringIO())
    counts = (CustodyEpisode.objects.count(), ChildResidence.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (CustodyEpisode.objects.count(), ChildResidence.objects.count()) == counts
    elena = CustodyEpisode.objects.get(person__given_name="Елена", end__isnull=True)
    assert (elena.facility.name, elena.previous.facility.name) == ("IK-15", "IK-18")
    artyom = ChildResidence.objects.get(child__given_name="Артём")
    assert (artyom.facility.name, artyom.mother.given_name, artyom.end) == ("IK-15", "Мария", None)
    plan = planning_lists(
        User.objects.get(username="caseworker2"), today=timezone.localdate(), days=90
    )
    assert plan.children_near_limit
    assert plan.prisoners_near_release
    assert plan.reaches_limit_before_release
    assert any(row.extended for row in plan.children_near_limit)
