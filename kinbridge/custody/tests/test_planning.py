"""The planning lists on a frozen day (2026-06-01)."""

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from kinbridge.custody.tests.conftest import mother_with_baby
from kinbridge.facilities.models import Facility

pytestmark = pytest.mark.django_db


@pytest.fixture
def mothers(today, team_a, team_b, places):
    """Five mothers of team B and one of team A, each with a baby (see each comment)."""

    def pair(name, facility, born, release, team=team_b, start=None):
        _mother, _baby, stay = mother_with_baby(
            team, places[facility], born, release, name=name, start=start
        )
        return stay

    return {
        # Three on 2026-07-15 (44 days); release far later: no extension.
        "anna": pair("Анна", "ik15", dt.date(2023, 7, 15), dt.date(2028, 1, 1)),
        # Three on 2026-06-20, release 2026-12-01 within 12 months: stays until then.
        "bella": pair("Белла", "ik15", dt.date(2023, 6, 20), dt.date(2026, 12, 1)),
        # UK unit: 18 months on 2026-07-10 (39 days); release 2026-09-01 (92 days).
        "chloe": pair("Chloe", "mbu", dt.date(2025, 1, 10), dt.date(2026, 9, 1)),
        # A young baby; the mother is released on 2026-08-01 (61 days).
        "dina": pair("Дина", "ik18", dt.date(2026, 1, 1), dt.date(2026, 8, 1)),
        # Past the limit (three on 2026-05-01) and still recorded there.
        "eva": pair(
            "Ева", "ik18", dt.date(2023, 5, 1), dt.date(2027, 12, 1), start=dt.date(2024, 1, 1)
        ),
        # Team A: caseworker_b must not see her.
        "hidden": pair("Скрытая", "ik18", dt.date(2023, 7, 1), dt.date(2028, 1, 1), team=team_a),
    }


def names(rows):
    return [row.stay.mother.given_name for row in rows]


def test_planning_lists_on_a_frozen_day(client, personas, mothers):
    client.force_login(personas["caseworker_b"])
    plan = client.get(reverse("custody:planning")).context["plan"]
    assert plan.days == 90
    assert names(plan.children_near_limit) == ["Ева", "Chloe", "Анна"]
    assert [row.days_left for row in plan.children_near_limit] == [-31, 39, 44]
    assert [row.episode.person.given_name for row in plan.prisoners_near_release] == ["Дина"]
    assert [row.days_left for row in plan.prisoners_near_release] == [61]
    assert names(plan.reaches_limit_before_release) == ["Ева", "Chloe", "Анна"]
    # The extension rule: Bella's son turns three on 2026-06-20 but stays until her
    # release on 2026-12-01, so he is neither near his limit nor on the warning list.
    plan = client.get(reverse("custody:planning"), {"days": "183"}).context["plan"]
    bella = next(row for row in plan.children_near_limit if row.stay.mother.given_name == "Белла")
    assert (bella.age_limit, bella.stay_limit, bella.extended, bella.days_left) == (
        dt.date(2026, 6, 20),
        dt.date(2026, 12, 1),
        True,
        183,
    )
    assert [row.episode.person.given_name for row in plan.prisoners_near_release] == [
        "Дина",
        "Chloe",
        "Белла",
    ]


def test_the_horizon_is_inclusive_and_the_order_can_be_reversed(client, personas, mothers):
    client.force_login(personas["caseworker_b"])
    at_92 = client.get(reverse("custody:planning"), {"days": "92"}).context["plan"]
    at_91 = client.get(reverse("custody:planning"), {"days": "91"}).context["plan"]
    assert "Chloe" in [row.episode.person.given_name for row in at_92.prisoners_near_release]
    assert "Chloe" not in [row.episode.person.given_name for row in at_91.prisoners_near_release]
    latest = client.get(reverse("custody:planning"), {"order": "latest"}).context["plan"]
    assert names(latest.children_near_limit) == ["Анна", "Chloe", "Ева"]
    bad = client.get(reverse("custody:planning"), {"days": "-5"}).context["plan"]
    assert bad.days == 90


def test_planning_is_scoped_to_visible_people(client, personas, mothers):
    client.force_login(personas["administrator"])
    plan = client.get(reverse("custody:planning")).context["plan"]
    assert "Скрытая" in names(plan.children_near_limit)
    client.force_login(personas["caseworker_b"])
    page = client.get(reverse("custody:planning"))
    assert "Скрытая" not in page.content.decode()
    client.force_login(personas["caseworker"])  # team A
    plan = client.get(reverse("custody:planning")).context["plan"]
    assert names(plan.children_near_limit) == ["Скрытая"]
    for persona in ("volunteer", "analyst"):
        client.force_login(personas[persona])
        assert client.get(reverse("custody:planning")).status_code == 403
        assert client.get("/api/v1/planning/").status_code == 403


def test_the_page_shows_rows_and_occupancy(client, personas, mothers):
    client.force_login(personas["caseworker_b"])
    page = client.get(reverse("custody:planning"))
    html = page.content.decode()
    assert "Анна Петрова" in html and "past the limit" in html
    occupancy = {f.name: (f.children_living, f.places_left) for f in page.context["facilities"]}
    assert occupancy == {
        "HMP Eastwood Park": (1, 11),
        "IK-15": (2, 1),
        "IK-18": (3, 0),
    }
    assert "full" in html


def test_the_planning_api(client, personas, mothers):
    client.force_login(personas["caseworker_b"])
    data = client.get("/api/v1/planning/", {"days": "60"}).json()
    assert data["days"] == 60 and data["today"] == "2026-06-01"
    assert [row["mother"]["name"] for row in data["children_near_limit"]] == [
        "Ева Петрова",
        "Chloe Петрова",
        "Анна Петрова",
    ]
    assert data["children_near_limit"][1] | {"child": None, "mother": None} == {
        "residence": mothers["chloe"].pk,
        "child": None,
        "birth_date": "2025-01-10",
        "mother": None,
        "facility": {"id": mothers["chloe"].facility_id, "name": "HMP Eastwood Park"},
        "age_limit": "2026-07-10",
        "stay_limit": "2026-07-10",
        "extended": False,
        "mother_release": "2026-09-01",
        "days_left": 39,
    }
    assert data["prisoners_near_release"] == []
    assert len(data["reaches_limit_before_release"]) == 3


def test_planning_queries_stay_constant(
    client, personas, today, team_b, places, assert_constant_queries
):
    for facility in Facility.objects.all():
        facility.children_capacity = None
        facility.save()
    numbers = itertools.count()
    client.force_login(personas["caseworker_b"])

    def grow():
        for facility in ("ik15", "mbu"):
            n = next(numbers)
            mother_with_baby(
                team_b,
                places[facility],
                dt.date(2025, 1, 1) + dt.timedelta(days=n),
                dt.date(2026, 8, 1),
                name=f"Мать{n}",
            )

    grow()
    assert_constant_queries(lambda: client.get(reverse("custody:planning")), grow)
    assert_constant_queries(lambda: client.get("/api/v1/planning/"), grow)
