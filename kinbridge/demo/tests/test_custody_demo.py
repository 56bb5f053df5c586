import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from kinbridge.accounts.models import User
from kinbridge.custody.models import ChildResidence, CustodyEpisode
from kinbridge.custody.planning import planning_lists
from kinbridge.demo import people as demo_people


@pytest.mark.django_db
def test_demo_custody_fills_every_planning_list_and_loads_twice():
    call_command("load_demo", stdout=io.StringIO())
    counts = (CustodyEpisode.objects.count(), ChildResidence.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (CustodyEpisode.objects.count(), ChildResidence.objects.count()) == counts
    demo = demo_people.load()  # idempotent: the hand-written demo people, by key
    elena = CustodyEpisode.objects.get(person=demo["elena"], end__isnull=True)
    assert (elena.facility.name, elena.previous.facility.name) == ("IK-15", "IK-18")
    artyom = ChildResidence.objects.get(child=demo["artyom"])
    assert (artyom.facility.name, artyom.mother.given_name, artyom.end) == ("IK-15", "Мария", None)
    plan = planning_lists(
        User.objects.get(username="caseworker2"), today=timezone.localdate(), days=90
    )
    assert plan.children_near_limit
    assert plan.prisoners_near_release
    assert plan.reaches_limit_before_release
    assert any(row.extended for row in plan.children_near_limit)
