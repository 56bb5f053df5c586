"""The "series" KPI kind: groups (a self-help group, a weekly class) with a session held."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kinbridge.programmes.indicators import Period, compute
from kinbridge.programmes.models import (
    Indicator,
    PlaceKind,
    Programme,
    Project,
    Session,
    SessionSeries,
    SessionStatus,
)

pytestmark = pytest.mark.django_db


def test_counts_each_group_once_if_it_met(team_b):
    programme = Programme.objects.create(team=team_b, name="Relatives")
    project = Project.objects.create(
        team=team_b,
        programme=programme,
        title="Help network",
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        total_budget=Decimal(1000),
    )

    def group(title, statuses, kind="self_help_group"):
        series = SessionSeries.objects.create(
            team=team_b, title=title, every_weeks=2, occurrences=len(statuses)
        )
        for number, status in enumerate(statuses):
            start = dt.datetime(2025, 3, 4, 18, tzinfo=dt.UTC) + dt.timedelta(weeks=2 * number)
            Session.objects.create(
                team=team_b,
                project=project,
                series=series,
                kind=kind,
                topic=title,
                status=status,
                place_kind=PlaceKind.COMMUNITY,
                start=start,
                end=start + dt.timedelta(hours=1),
            )

    held, planned = SessionStatus.HELD, SessionStatus.PLANNED
    group("Vilnius", [held, held, held])
    group("Kaunas", [held, planned])
    group("Alytus", [planned, planned])  # has not met yet
    group("Craft club", [held], kind="class")  # not a self-help group
    Session.objects.create(  # a meeting outside any series
        team=team_b,
        project=project,
        kind="self_help_group",
        topic="One-off",
        status=held,
        place_kind=PlaceKind.COMMUNITY,
        start=timezone.now(),
        end=timezone.now() + dt.timedelta(hours=1),
    )
    indicator = Indicator.objects.create(
        project=project,
        name="Self-help groups",
        kind="series",
        parameters={"session_kinds": ["self_help_group"]},
        target=3,
    )
    result = compute(indicator, breakdown=True)
    assert result.actual == 2
    assert result.breakdown.by_month == {dt.date(2025, 3, 1): 2, dt.date(2025, 4, 1): 1}
    assert compute(indicator, Period(end=dt.date(2025, 3, 10))).actual == 2
