"""The synthetic registry's custody keeps every rule the custody actions keep."""

from collections import Counter, defaultdict
from itertools import pairwise

import pytest

from kinbridge.custody.models import ChildResidence, CustodyEpisode, CustodyStatus
from kinbridge.demo.generator import generate_registry

pytestmark = pytest.mark.django_db


def test_generated_custody_is_consistent(regions):
    run = generate_registry(people=1500, seed=7, team_count=3)
    episodes = list(CustodyEpisode.objects.select_related("previous"))
    assert run.counts["custody episodes"] == len(episodes) > 100
    by_person = defaultdict(list)
    for episode in episodes:
        by_person[episode.person_id].append(episode)
    for chain in by_person.values():
        chain.sort(key=lambda episode: episode.start)
        assert sum(episode.end is None for episode in chain) <= 1
        for earlier, later in pairwise(chain):
            assert earlier.end is not None and earlier.end <= later.start  # no overlap
            assert earlier.status == CustodyStatus.TRANSFERRED
            assert later.previous_id == earlier.pk
    assert any(len(chain) == 2 for chain in by_person.values())  # some transfers

    stays = list(ChildResidence.objects.select_related("facility", "child"))
    assert stays, "some children live with their mothers"
    open_episode = {e.person_id: e for e in episodes if e.end is None}
    per_facility = Counter(stay.facility_id for stay in stays)
    for stay in stays:
        mother = open_episode[stay.mother_id]
        assert mother.facility_id == stay.facility_id
        limit = stay.facility.stay_limit(stay.child.birth_date, mother.expected_release)
        assert limit >= run.today and stay.start >= stay.child.birth_date
        assert per_facility[stay.facility_id] <= stay.facility.children_capacity
