"""The custody step of ``generate_registry``: episodes, transfers and children inside.

Rows go in with ``bulk_create`` like the rest of the synthetic registry, and keep
the rules the actions enforce: episodes of one person never overlap, at most one
is open, a transfer closes one episode the day the next opens, and a child lives
in a facility with a children's unit, under its stay limit and within its places.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from kinbridge.custody.models import ChildResidence, CustodyEpisode, CustodyStatus
from kinbridge.facilities.models import FacilityKind

DAY = dt.timedelta(days=1)
# Where a woman or a man is held, by preference.
WOMEN = (FacilityKind.WOMENS_COLONY, FacilityKind.MOTHER_AND_BABY_UNIT, FacilityKind.PRISON)
MEN = (FacilityKind.PRISON, FacilityKind.REMAND_CENTRE)


def generate_custody(run) -> None:
    """Custody for every generated prisoner, in a facility of the family's country."""
    if not run.facilities or not run.families:
        return
    rng, today = run.rng, run.today
    by_country = defaultdict(list)
    for facility in run.facilities:
        if facility.kind != FacilityKind.COMMUNITY_VENUE:
            by_country[facility.region.country].append(facility)
    occupied = Counter(
        ChildResidence.objects.filter(end__isnull=True).values_list("facility_id", flat=True)
    )
    episodes, stays = [], []
    for record in run.families:
        places = by_country.get(record.country)
        if not places:
            continue
        kinds = WOMEN if record.prisoner.gender == "female" else MEN
        candidates = [f for f in places if f.kind in kinds] or places
        units = [f for f in candidates if f.has_children_unit]
        home = rng.choice(units if record.children_inside and units else candidates)
        start = today - dt.timedelta(days=rng.randint(30, 5 * 365))
        history = []
        if rng.random() < 0.15 and len(candidates) > 1:  # transferred here from elsewhere
            earlier = rng.choice([f for f in candidates if f is not home])
            first = start - dt.timedelta(days=rng.randint(60, 700))
            history.append((earlier, first, start, CustodyStatus.TRANSFERRED))
        if record.released:
            end = min(today, start + dt.timedelta(days=rng.randint(90, 3 * 365)))
            history.append((home, start, end, CustodyStatus.RELEASED))
            release = end
        else:
            history.append((home, start, None, CustodyStatus.SENTENCED))
            release = today + dt.timedelta(days=rng.randint(20, 6 * 365))
        made = []
        for facility, begin, end, status in history:
            made.append(
                CustodyEpisode(
                    person=record.prisoner,
                    facility=facility,
                    status=status,
                    start=begin,
                    end=end,
                    expected_release=release if end is None else end,
                    parole_eligibility=begin + (release - begin) * 2 // 3
                    if end is None and rng.random() < 0.5
                    else None,
                )
            )
        episodes.append(made)
        if record.released or not home.has_children_unit:
            continue
        for child in record.children_inside:
            if child.birth_date is None:
                continue
            limit = home.stay_limit(child.birth_date, release)
            capacity = home.children_capacity or 0
            if limit is None or limit <= today or occupied[home.pk] >= capacity:
                continue
            occupied[home.pk] += 1
            stays.append(
                ChildResidence(
                    child=child,
                    mother=record.prisoner,
                    facility=home,
                    start=max(child.birth_date, start),
                )
            )
    # Transfers link to the episode they follow: write the earlier ones first.
    CustodyEpisode.objects.bulk_create([chain[0] for chain in episodes], batch_size=run.batch)
    followers = []
    for chain in episodes:
        if len(chain) == 2:
            chain[1].previous = chain[0]
            followers.append(chain[1])
    CustodyEpisode.objects.bulk_create(followers, batch_size=run.batch)
    ChildResidence.objects.bulk_create(stays, batch_size=run.batch)
    run.counts["custody episodes"] += sum(len(chain) for chain in episodes)
    run.counts["children living in a facility"] += len(stays)
