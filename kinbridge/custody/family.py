"""Where people live now, for the family view: in a facility, or with whom.

Three queries whatever the number of people, so a family tab stays cheap.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from kinbridge.custody.models import ChildResidence, CustodyEpisode
from kinbridge.people.models import Person, Relationship


@dataclass
class Home:
    """One person's living situation now; empty when nothing is recorded."""

    stay: ChildResidence | None = None  # living with the mother in a facility
    stay_limit: dt.date | None = None  # the last day that stay may last, if known
    custody: CustodyEpisode | None = None  # in custody themselves
    lives_with: list[Relationship] = field(default_factory=list)  # relatives they live with

    @property
    def recorded(self) -> bool:
        return bool(self.stay or self.custody or self.lives_with)

    @property
    def days_left(self) -> int | None:
        if self.stay_limit is None:
            return None
        return (self.stay_limit - timezone.localdate()).days


def homes(user, people) -> dict[int, Home]:
    """``{person id: Home}`` for ``people``, showing only people ``user`` may see."""
    ids = [person.pk for person in people]
    found = defaultdict(Home)
    if not ids:
        return found
    visible = Person.objects.visible_to(user)
    stays = (
        ChildResidence.objects.visible_to(user)
        .current()
        .filter(child_id__in=ids)
        .with_mother_release()
        .select_related("child", "mother", "facility")
    )
    for stay in stays:
        found[stay.child_id].stay = stay
        found[stay.child_id].stay_limit = stay.stay_limit(stay.mother_release)
    for episode in (
        CustodyEpisode.objects.current().filter(person_id__in=ids).select_related("facility")
    ):
        found[episode.person_id].custody = episode
    for link in (
        Relationship.objects.filter(
            person_id__in=ids, lives_with=True, end__isnull=True, relative__in=visible
        )
        .select_related("relative")
        .order_by("kind", "id")
    ):
        home = found[link.person_id]
        if home.stay is None or link.relative_id != home.stay.mother_id:  # said already
            home.lives_with.append(link)
    return found
