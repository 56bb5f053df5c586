"""The KPI engine's one-pass count of people gives the row-by-row numbers, edge cases
included (birthdays and roles that start or end during the project)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from kinbridge.people.models import PersonRole
from kinbridge.programmes import indicators
from kinbridge.programmes.models import Indicator
from kinbridge.programmes.tests import projects_factories
from kinbridge.programmes.tests.projects_factories import (
    attend,
    make_person,
    make_session,
)

pytestmark = pytest.mark.django_db

colonies = projects_factories.colonies
project_b = projects_factories.project_b

PARAMETERS = [
    {"characteristic": "anyone"},
    {"characteristic": "women"},
    {"characteristic": "women", "session_kinds": ["training"], "min_days": 2},
    {"characteristic": "children", "age_years": 3},
    {"characteristic": "children"},
    {"characteristic": "pregnant"},
    {"characteristic": "childrens_home_staff", "session_kinds": ["family_day", "training"]},
    {"characteristic": "professionals"},
    {"characteristic": "relatives"},
    {"characteristic": "prisoners"},
    {"characteristic": "prison_staff"},
]


@pytest.fixture
def crowd(project_b, colonies, team_b):
    """Sessions over a year in three places; people whose birthdays and roles fall
    inside the project's period, and some whose age is unknown."""
    rng = random.Random(4)
    sessions = []
    for number in range(24):
        day = dt.date(2026, 1, 5) + dt.timedelta(days=15 * number)
        sessions.append(
            make_session(
                project_b,
                rng.choice([*colonies, None]),
                day=day,
                days=rng.choice([1, 2]),
                kind=rng.choice(["training", "family_day", "class"]),
                status=rng.choice(["held", "held", "held", "planned"]),
            )
        )
    people = [
        # Turns 18 on 1 June 2026, halfway through.
        make_person(team_b, "Almost", birth_date=dt.date(2008, 6, 1)),
        # Turns 3 on 1 May 2026.
        make_person(team_b, "Toddler", gender="male", birth_date=dt.date(2023, 5, 1)),
        # Only the year is known: counted as born on 1 July.
        make_person(team_b, "Estimated", birth_date=None),
        make_person(team_b, "Unknown", gender="unknown"),
    ]
    people[2].birth_date, people[2].birth_year = None, 2023
    people[2].save()
    people[3].birth_date = None
    people[3].save()
    for number in range(20):
        people.append(
            make_person(
                team_b,
                f"Person {number}",
                gender=rng.choice(["female", "male", "unknown"]),
                birth_date=dt.date(rng.randint(1960, 2025), rng.randint(1, 12), 1),
            )
        )
    kinds = ["pregnant", "childrens_home_staff", "relative", "prisoner", "specialist"]
    for person in people[4:]:
        for role in rng.sample(kinds, 2):
            start = rng.choice([None, dt.date(2026, rng.randint(1, 12), 1)])
            end = rng.choice([None, dt.date(2026, rng.randint(1, 12), 28)])
            if start and end and end < start:
                start, end = end, start
            PersonRole.objects.create(person=person, role=role, start=start, end=end)
    for session in sessions:
        for person in rng.sample(people, 9):
            attend(session, person, status=rng.choice(["present", "present", "absent"]))
    return [
        Indicator.objects.create(
            project=project_b, name=f"I{number}", kind="participants", parameters=p, target=10
        )
        for number, p in enumerate(PARAMETERS)
    ]


@pytest.mark.parametrize(
    "period",
    [indicators.ALL_TIME, indicators.Period(dt.date(2026, 4, 1), dt.date(2026, 9, 30))],
)
def test_one_pass_counts_match_row_by_row_counts(crowd, period):
    kind = indicators.KINDS["participants"]
    together = kind.compute_many(crowd, period, breakdown=True)
    for indicator, result in zip(crowd, together, strict=True):
        expected = kind.compute_rows(indicator, period, breakdown=True)
        assert result.indicator is indicator
        assert result.actual == expected.actual, indicator.parameters
        assert result.breakdown.by_facility == expected.breakdown.by_facility, indicator.parameters
        assert result.breakdown.by_month == expected.breakdown.by_month, indicator.parameters
    assert any(result.actual for result in together)


def test_project_results_keep_the_tables_order_across_kinds(crowd, project_b):
    Indicator.objects.filter(pk__in=[i.pk for i in crowd]).update(position=1)
    manual = Indicator.objects.create(
        project=project_b, name="Brochure", kind="manual", target=1, manual_actual=1, position=0
    )
    results = indicators.project_results(project_b)
    assert [r.indicator.pk for r in results] == [manual.pk, *[i.pk for i in crowd]]
    single = [indicators.compute(i).actual for i in crowd]
    assert [r.actual for r in results[1:]] == single


def test_no_one_came_counts_zero(project_b):
    women = Indicator.objects.create(
        project=project_b,
        name="W",
        kind="participants",
        parameters={"characteristic": "women"},
        target=1,
    )
    result = indicators.compute(women, breakdown=True)
    assert result.actual == 0
    assert result.breakdown.by_facility == {} and result.breakdown.by_month == {}
