"""The KPI engine: actuals counted from sessions and attendance, on both databases."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kinbridge.facilities.models import Facility
from kinbridge.people.models import Person, PersonRole, PersonTeam
from kinbridge.programmes import indicators
from kinbridge.programmes.indicators import Period, compute
from kinbridge.programmes.models import (
    Attendance,
    Indicator,
    Programme,
    Project,
    Session,
)

_codes = itertools.count(1)


def person(team, *, gender="female", born=None, born_year=None, roles=()):
    number = next(_codes)
    someone = Person.objects.create(
        reference=f"P-KPI{number:03d}",
        given_name=f"Name{number}",
        family_name="Test",
        gender=gender,
        birth_date=born,
        birth_year=born_year,
    )
    PersonTeam.objects.create(person=someone, team=team)
    for role, start, end in roles:
        PersonRole.objects.create(person=someone, role=role, start=start, end=end)
    return someone


def colony(name, region):
    return Facility.objects.create(name=name, kind="womens_colony", region=region)


@pytest.fixture
def project(team_b):
    programme = Programme.objects.create(team=team_b, name="Mom Behind Bars")
    return Project.objects.create(
        team=team_b,
        programme=programme,
        title="Mom Behind Bars 2025",
        start=dt.date(2025, 3, 1),
        end=dt.date(2026, 2, 28),
        currency="RUB",
        total_budget=Decimal("2827613"),
    )


def session(
    project, day: dt.date, *, kind="training", days=1, facility=None, status="held", **extra
):
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=days - 1), dt.time(16)))
    return Session.objects.create(
        team=project.team,
        project=project,
        kind=kind,
        topic=f"{kind} {day}",
        place_kind="facility" if facility else "community",
        facility=facility,
        start=start,
        end=end,
        status=status,
        **extra,
    )


def attend(session, *people, status="present"):
    for someone in people:
        Attendance.objects.create(session=session, person=someone, status=status)


def indicator(project, kind, target=10, **parameters):
    return Indicator.objects.create(
        project=project, name=kind, kind=kind, parameters=parameters, target=target
    )


@pytest.mark.django_db
def test_a_woman_attending_many_sessions_counts_once(project, team_b):
    anna, olga = person(team_b, born_year=1995), person(team_b, born_year=1990)
    for day in (dt.date(2025, 4, 1), dt.date(2025, 5, 1), dt.date(2025, 6, 1)):
        attend(session(project, day), anna, olga)
    women = indicator(project, "participants", target=90, characteristic="women")

    result = compute(women)

    assert result.actual == 2
    assert result.percent == Decimal("2")


@pytest.mark.django_db
def test_children_count_by_their_age_on_the_day_they_attended(project, team_b):
    day = dt.date(2025, 6, 10)
    turns_three_that_day = person(team_b, born=dt.date(2022, 6, 10))
    turns_three_next_day = person(team_b, born=dt.date(2022, 6, 11))
    estimated_2023 = person(team_b, born_year=2023)
    four_years_old = person(team_b, born=dt.date(2021, 1, 1))
    age_unknown = person(team_b)
    training = session(project, day)
    attend(
        training,
        turns_three_that_day,
        turns_three_next_day,
        estimated_2023,
        four_years_old,
        age_unknown,
    )
    children = indicator(project, "participants", characteristic="children", age_years=3)

    assert compute(children).actual == 2  # the one still 2 and the one born in 2023


@pytest.mark.django_db
def test_women_are_adult_women_and_absences_do_not_count(project, team_b):
    training = session(project, dt.date(2025, 4, 1))
    attend(training, person(team_b, born=dt.date(1990, 1, 1)))
    attend(training, person(team_b, born=dt.date(2023, 1, 1)))  # a baby girl
    attend(training, person(team_b, gender="male", born=dt.date(1990, 1, 1)))
    attend(training, person(team_b, born=dt.date(1992, 1, 1)), status="absent")
    attend(training, person(team_b, born=dt.date(1993, 1, 1)), status="excused")

    assert compute(indicator(project, "participants", characteristic="women")).actual == 1


@pytest.mark.django_db
def test_roles_count_only_while_they_were_held(project, team_b):
    staff_now = person(team_b, roles=[("childrens_home_staff", dt.date(2024, 1, 1), None)])
    left_before = person(
        team_b, roles=[("childrens_home_staff", dt.date(2020, 1, 1), dt.date(2025, 1, 1))]
    )
    pregnant_then = person(team_b, roles=[("pregnant", dt.date(2025, 2, 1), dt.date(2025, 9, 1))])
    pregnant_later = person(team_b, roles=[("pregnant", dt.date(2025, 7, 1), None)])
    burnout = session(project, dt.date(2025, 5, 5), kind="burnout_counselling")
    attend(burnout, staff_now, left_before, pregnant_then, pregnant_later)

    assert (
        compute(indicator(project, "participants", characteristic="childrens_home_staff")).actual
        == 1
    )
    assert compute(indicator(project, "participants", characteristic="pregnant")).actual == 1


@pytest.mark.django_db
def test_two_day_trainings_held_are_counted_by_facility_and_month(project, team_b, regions):
    ik5, ik18 = colony("IK-5", regions["b"]), colony("IK-18", regions["b"])
    session(project, dt.date(2025, 4, 1), days=2, facility=ik5)
    session(project, dt.date(2025, 4, 20), days=2, facility=ik18)
    session(project, dt.date(2025, 5, 3), days=2, facility=ik18)
    session(project, dt.date(2025, 5, 9), days=1, facility=ik18)  # one day only
    session(project, dt.date(2025, 6, 1), days=2, facility=ik5, status="cancelled")
    session(project, dt.date(2025, 6, 9), days=2, facility=ik5, kind="class")
    trainings = indicator(project, "sessions", target=9, session_kinds=["training"], min_days=2)

    result = compute(trainings, breakdown=True)

    assert result.actual == 3
    assert result.breakdown.by_facility == {(ik5.pk, "IK-5"): 1, (ik18.pk, "IK-18"): 2}
    assert result.breakdown.by_month == {dt.date(2025, 4, 1): 2, dt.date(2025, 5, 1): 1}


@pytest.mark.django_db
def test_a_person_counts_once_in_total_but_in_each_month_of_the_breakdown(project, team_b):
    anna = person(team_b, born_year=1990)
    attend(session(project, dt.date(2025, 4, 1)), anna)
    attend(session(project, dt.date(2025, 5, 1)), anna)

    result = compute(indicator(project, "participants", characteristic="anyone"), breakdown=True)

    assert result.actual == 1
    assert result.breakdown.by_month == {dt.date(2025, 4, 1): 1, dt.date(2025, 5, 1): 1}


@pytest.mark.django_db
def test_event_participants_add_unnamed_headcounts_to_named_people(project, team_b):
    meeting = session(project, dt.date(2025, 4, 1), kind="community_meeting", unnamed_headcount=14)
    other = session(project, dt.date(2025, 5, 1), kind="community_meeting", unnamed_headcount=10)
    anna = person(team_b)
    attend(meeting, anna, person(team_b))
    attend(other, anna)

    result = compute(
        indicator(project, "event_participants", session_kinds=["community_meeting"]),
        breakdown=True,
    )

    assert result.actual == 26
    assert result.breakdown.by_month == {dt.date(2025, 4, 1): 16, dt.date(2025, 5, 1): 11}


@pytest.mark.django_db
def test_a_period_limits_the_sessions_counted(project, team_b):
    anna, olga = person(team_b), person(team_b)
    attend(session(project, dt.date(2025, 4, 1)), anna)
    attend(session(project, dt.date(2025, 9, 1)), olga)
    anyone = indicator(project, "participants", characteristic="anyone")

    assert compute(anyone, Period(dt.date(2025, 8, 1), dt.date(2025, 12, 31))).actual == 1
    assert compute(anyone, Period(end=dt.date(2025, 4, 1))).actual == 1
    assert compute(anyone).actual == 2


@pytest.mark.django_db
def test_other_projects_sessions_do_not_count(project, team_b):
    other = Project.objects.create(
        team=team_b,
        programme=project.programme,
        title="Another",
        start=project.start,
        end=project.end,
        total_budget=0,
    )
    attend(session(other, dt.date(2025, 4, 1)), person(team_b))

    assert compute(indicator(project, "participants", characteristic="anyone")).actual == 0


@pytest.mark.django_db
def test_a_manual_indicator_reports_what_was_entered(project):
    brochure = indicator(project, "manual", target=1)
    brochure.manual_actual = 1
    brochure.save()

    result = compute(brochure)

    assert (result.actual, result.percent) == (1, 100)


def test_settings_are_checked_field_by_field():
    participants = indicators.KINDS["participants"]
    with pytest.raises(ValidationError) as error:
        participants.clean_parameters(
            {"characteristic": "martians", "age_years": "three", "session_kinds": ["party"]}
        )
    assert set(error.value.message_dict) == {"characteristic", "age_years", "session_kinds"}
    with pytest.raises(ValidationError) as error:
        participants.clean_parameters({})
    assert "characteristic" in error.value.message_dict
    assert participants.clean_parameters(
        {"characteristic": "children", "age_years": "3", "session_kinds": ["training", "training"]}
    ) == {"characteristic": "children", "age_years": 3, "session_kinds": ["training"]}


@pytest.mark.django_db
def test_another_app_can_register_a_kind(project):
    class Brochures(indicators.IndicatorKind):
        code = "test_constant"
        label = "Seven"

        def compute(self, indicator, period=indicators.ALL_TIME, breakdown=False):
            return indicators.Result(indicator, Decimal(7))

    indicators.register(Brochures())
    try:
        assert compute(indicator(project, "test_constant")).actual == 7
        assert ("test_constant", "Seven") in indicators.kind_choices()
    finally:
        del indicators.KINDS["test_constant"]


@pytest.mark.django_db
def test_project_results_take_the_same_queries_however_many_records(
    project, team_b, regions, assert_constant_queries
):
    ik15 = colony("IK-15", regions["b"])
    indicator(project, "sessions", session_kinds=["training"], min_days=2)
    indicator(project, "participants", characteristic="children", age_years=3)
    indicator(project, "participants", characteristic="pregnant")
    indicator(project, "event_participants")
    indicator(project, "manual")
    attend(session(project, dt.date(2025, 4, 1), days=2, facility=ik15), person(team_b))

    def grow():
        for month in range(5, 10):
            held = session(project, dt.date(2025, month, 2), days=2, facility=ik15)
            attend(
                held,
                person(team_b, born=dt.date(2024, 1, 1)),
                person(team_b, roles=[("pregnant", dt.date(2025, 1, 1), None)]),
            )

    assert_constant_queries(lambda: indicators.project_results(project, breakdown=True), grow)
