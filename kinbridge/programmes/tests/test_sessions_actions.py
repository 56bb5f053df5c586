"""Sessions and series through the actions: rules, permissions, audit."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.programmes import sessions_actions as actions
from kinbridge.programmes.models import Session, SessionSeries
from kinbridge.programmes.tests import sessions_setup
from kinbridge.programmes.tests.sessions_setup import at, session_fields

world = sessions_setup.world

pytestmark = pytest.mark.django_db


def test_a_two_day_training_is_saved_with_its_days_and_audited(world):
    session = actions.create_session(
        world["manager"], **session_fields(world, external_facilitators=[world["specialist"]])
    )
    assert session.day_count == 2
    assert list(session.facilitators.all()) == [world["facilitator"]]
    assert list(session.external_facilitators.all()) == [world["specialist"]]
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="programmes.session")
    assert event.changes["facilitators"] == [None, [world["facilitator"].pk]]


def test_a_session_ending_before_it_starts_is_refused_at_the_end_field(world):
    with pytest.raises(ValidationError) as refused:
        actions.create_session(world["manager"], **session_fields(world, end=at(3, 9)))
    assert "end" in refused.value.message_dict
    assert not Session.objects.exists()


def test_the_database_refuses_a_session_ending_before_it_starts(world):
    session = actions.create_session(world["manager"], **session_fields(world))
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(end=session.start - dt.timedelta(hours=1))


@pytest.mark.parametrize(
    ("place", "extra", "field"),
    [
        ("facility", {"facility": None}, "facility"),
        ("online", {"facility": None, "online_link": ""}, "online_link"),
        ("community", {"facility": None, "venue": ""}, "venue"),
    ],
)
def test_each_place_needs_its_own_detail(world, place, extra, field):
    with pytest.raises(ValidationError) as refused:
        actions.create_session(world["manager"], **session_fields(world, place_kind=place, **extra))
    assert field in refused.value.message_dict


def test_a_community_session_takes_a_venue_on_file_and_drops_a_stale_link(world):
    session = actions.create_session(
        world["manager"],
        **session_fields(
            world, place_kind="community", facility=world["venue"], online_link="https://x.org"
        ),
    )
    assert session.facility == world["venue"]
    assert session.online_link == ""
    with pytest.raises(ValidationError) as refused:
        actions.create_session(world["manager"], **session_fields(world, place_kind="community"))
    assert "facility" in refused.value.message_dict  # the colony is not a community venue


def test_a_project_of_another_team_is_refused(world, team_a):
    from kinbridge.programmes.models import Programme, Project

    other = Project.objects.create(
        team=team_a,
        programme=Programme.objects.create(team=team_a, name="Other"),
        title="Other",
        start=world["project"].start,
        end=world["project"].end,
        total_budget=0,
    )
    with pytest.raises(ValidationError) as refused:
        actions.create_session(None, **session_fields(world, project=other))
    assert "project" in refused.value.message_dict


def test_facilitators_must_belong_to_the_team_and_run_sessions(world, personas):
    with pytest.raises(ValidationError) as refused:
        actions.create_session(
            world["manager"], **session_fields(world, facilitators=[personas["caseworker"]])
        )
    assert "facilitators" in refused.value.message_dict
    with pytest.raises(ValidationError):
        actions.create_session(
            world["manager"], **session_fields(world, facilitators=[personas["analyst"]])
        )


def test_only_planners_of_the_team_create_sessions(world, personas):
    for persona in ("facilitator", "caseworker_b", "analyst", "caseworker"):
        with pytest.raises(PermissionDenied):
            actions.create_session(personas[persona], **session_fields(world))
    assert actions.create_session(personas["administrator"], **session_fields(world))


def test_a_weekly_series_keeps_the_local_time_and_links_every_session(world, settings):
    settings.TIME_ZONE = "Europe/Vilnius"
    timezone.activate("Europe/Vilnius")
    try:
        first = timezone.make_aware(dt.datetime(2026, 3, 10, 18, 0))
        series = actions.create_series(
            world["manager"],
            every_weeks=1,
            occurrences=10,
            **session_fields(
                world, kind="self_help_group", start=first, end=first + dt.timedelta(hours=2)
            ),
        )
        sessions = list(series.sessions.order_by("start"))
        assert len(sessions) == 10
        # Summer time starts on 29 March; the group still meets at 18:00.
        assert {timezone.localtime(s.start).time() for s in sessions} == {dt.time(18, 0)}
        assert sessions[-1].start_date == dt.date(2026, 5, 12)
        assert all(list(s.facilitators.all()) == [world["facilitator"]] for s in sessions)
    finally:
        timezone.deactivate()


def test_every_six_weeks_for_a_year(world):
    series = actions.create_series(
        world["manager"], every_weeks=6, occurrences=9, **session_fields(world)
    )
    starts = [s.start_date for s in series.sessions.order_by("start")]
    assert len(starts) == 9
    assert {(b - a).days for a, b in pairwise(starts)} == {42}


@pytest.mark.parametrize(
    ("every", "count", "field"),
    [(0, 5, "every_weeks"), (53, 5, "every_weeks"), (1, 0, "occurrences"), (1, 201, "occurrences")],
)
def test_series_limits(world, every, count, field):
    with pytest.raises(ValidationError) as refused:
        actions.create_series(
            world["manager"], every_weeks=every, occurrences=count, **session_fields(world)
        )
    assert field in refused.value.message_dict
    assert not SessionSeries.objects.exists()
    assert not Session.objects.exists()


def test_cancel_this_and_following(world):
    series = actions.create_series(
        world["manager"], every_weeks=1, occurrences=5, **session_fields(world)
    )
    sessions = list(series.sessions.order_by("start"))
    cancelled = actions.cancel_session(world["manager"], sessions[2], following=True)
    assert len(cancelled) == 3
    statuses = list(series.sessions.order_by("start").values_list("status", flat=True))
    assert statuses == ["planned", "planned", "cancelled", "cancelled", "cancelled"]


def test_cancel_this_one_only(world):
    series = actions.create_series(
        world["manager"], every_weeks=1, occurrences=3, **session_fields(world)
    )
    middle = series.sessions.order_by("start")[1]
    actions.cancel_session(world["manager"], middle)
    assert list(series.sessions.order_by("start").values_list("status", flat=True)) == [
        "planned",
        "cancelled",
        "planned",
    ]


def test_a_held_session_cannot_be_cancelled(world):
    session = actions.create_session(world["manager"], **session_fields(world, status="held"))
    with pytest.raises(ValidationError):
        actions.cancel_session(world["manager"], session)


def test_editing_this_and_following_moves_later_sessions_and_changes_their_topic(world):
    series = actions.create_series(
        world["manager"], every_weeks=1, occurrences=4, **session_fields(world, end=at(3, 12))
    )
    sessions = list(series.sessions.order_by("start"))
    actions.update_session(
        world["manager"],
        sessions[1],
        following=True,
        topic="Sleep",
        start=sessions[1].start + dt.timedelta(hours=1),
        end=sessions[1].end + dt.timedelta(hours=1),
    )
    after = list(series.sessions.order_by("start"))
    assert [s.topic for s in after] == ["Breastfeeding", "Sleep", "Sleep", "Sleep"]
    assert after[0].start == sessions[0].start
    assert [timezone.localtime(s.start).hour for s in after] == [10, 11, 11, 11]


def test_editing_this_one_leaves_the_others(world):
    series = actions.create_series(
        world["manager"], every_weeks=1, occurrences=3, **session_fields(world)
    )
    sessions = list(series.sessions.order_by("start"))
    actions.update_session(world["manager"], sessions[1], topic="Sleep")
    assert [s.topic for s in series.sessions.order_by("start")] == [
        "Breastfeeding",
        "Sleep",
        "Breastfeeding",
    ]
