"""Planning lists: separations and releases to prepare, and facility occupancy.

The stay limit depends on the facility's age limit and extension rule and on
the mother's expected release (month arithmetic, ``Facility.stay_limit``), so
it is computed in Python over the children living in facilities now: a
bounded set (a unit has tens of places), fetched in one query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q

from kinbridge.custody.models import ChildResidence, CustodyEpisode

DEFAULT_DAYS = 90
MAX_DAYS = 3660
ROW_LIMIT = 200  # per list; more than a person can act on in one sitting


def parse_days(value, default: int = DEFAULT_DAYS) -> int:
    """``?days=`` as a whole number of days from 0 to ten years; else the default."""
    try:
        days = int(value)
    except (TypeError, ValueError):
        return default
    return days if 0 <= days <= MAX_DAYS else default


@dataclass(frozen=True)
class ChildRow:
    stay: ChildResidence  # with child, mother, facility and ``mother_release``
    age_limit: dt.date  # the day the child reaches the facility's age limit
    stay_limit: dt.date  # the last day the child may stay (with any extension)
    days_left: int

    @property
    def extended(self) -> bool:
        return self.stay_limit > self.age_limit

    @property
    def mother_release(self) -> dt.date | None:
        return self.stay.mother_release


@dataclass(frozen=True)
class ReleaseRow:
    episode: CustodyEpisode  # with person and facility
    days_left: int


@dataclass(frozen=True)
class Planning:
    days: int
    today: dt.date
    children_near_limit: list[ChildRow]
    prisoners_near_release: list[ReleaseRow]
    reaches_limit_before_release: list[ChildRow]


def children_living_now(user):
    """The current stays the user may see, with the mother's expected release."""
    return (
        ChildResidence.objects.visible_to(user)
        .current()
        .with_mother_release()
        .select_related("child", "mother", "facility")
    )


def _child_rows(user, today: dt.date) -> list[ChildRow]:
    rows = []
    for stay in children_living_now(user):
        limit = stay.stay_limit(stay.mother_release)
        if limit is None:  # date of birth removed since: nothing to compute
            continue
        rows.append(
            ChildRow(
                stay=stay,
                age_limit=stay.facility.age_limit_date(stay.child.birth_date),
                stay_limit=limit,
                days_left=(limit - today).days,
            )
        )
    return rows


def planning_lists(user, *, today: dt.date, days: int, latest_first: bool = False) -> Planning:
    """The three planning lists for what ``user`` may see, sorted by their date."""
    children = _child_rows(user, today)
    near_limit = [row for row in children if row.days_left <= days]
    before_release = [
        row for row in children if row.mother_release and row.stay_limit < row.mother_release
    ]
    near_limit.sort(key=lambda row: (row.stay_limit, row.stay.pk), reverse=latest_first)
    before_release.sort(key=lambda row: (row.stay_limit, row.stay.pk), reverse=latest_first)
    order = ("-expected_release", "-id") if latest_first else ("expected_release", "id")
    episodes = (
        CustodyEpisode.objects.visible_to(user)
        .current()
        .filter(expected_release__lte=today + dt.timedelta(days=days))
        .select_related("person", "facility")
        .order_by(*order)[:ROW_LIMIT]
    )
    return Planning(
        days=days,
        today=today,
        children_near_limit=near_limit[:ROW_LIMIT],
        prisoners_near_release=[
            ReleaseRow(episode, (episode.expected_release - today).days) for episode in episodes
        ],
        reaches_limit_before_release=before_release[:ROW_LIMIT],
    )


def occupancy(facilities):
    """The facilities with a children's unit, annotated with how full it is now.

    ``children_living``: children living there now; ``places_left``: capacity
    minus that (None when no capacity is recorded). Counts, never names.
    """
    return facilities.filter(child_age_limit_months__isnull=False).annotate(
        children_living=Count("child_residences", filter=Q(child_residences__end__isnull=True)),
        places_left=ExpressionWrapper(
            F("children_capacity") - F("children_living"), output_field=IntegerField()
        ),
    )
