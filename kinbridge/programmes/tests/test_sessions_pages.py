"""The session pages through HTTP: list, filters, forms, series, cancel, handouts, dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.programmes import sessions_actions as actions
from kinbridge.programmes import sessions_course_actions as course_actions
from kinbridge.programmes.models import Attendance, Handout, Session
from kinbridge.programmes.tests import sessions_setup
from kinbridge.programmes.tests.sessions_setup import at, person, session_fields

world = sessions_setup.world
pytestmark = pytest.mark.django_db


def local_input(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def form_post(world, **extra) -> dict:
    data = {
        "team": world["team"].pk,
        "kind": "training",
        "topic": "Breastfeeding",
        "module": "Module 2",
        "project": world["project"].pk,
        "place_kind": "facility",
        "facility": world["colony"].pk,
        "start": local_input(at(3, 10)),
        "end": local_input(at(4, 17)),
        "facilitators": [world["facilitator"].pk],
        "external_facilitators": [world["specialist"].pk],
        "audience": ["mothers", "pregnant_women"],
        "capacity": "20",
        "unnamed_headcount": "0",
        "status": "planned",
    }
    return data | extra


def login(client, user):
    client.force_login(user)
    return client


def test_a_manager_plans_a_two_day_training(client, world):
    login(client, world["manager"])
    response = client.post(reverse("programmes:session_create"), form_post(world))
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:session_detail", args=[session.pk])
    assert (session.day_count, session.module, session.capacity) == (2, "Module 2", 20)
    assert list(session.external_facilitators.all()) == [world["specialist"]]
    page = client.get(response["Location"]).content.decode()
    assert "2 days" in page
    assert "Неонатолог" in page  # the external specialist, by name


def test_a_session_ending_before_it_starts_shows_the_error_at_the_end_field(client, world):
    login(client, world["manager"])
    response = client.post(
        reverse("programmes:session_create"), form_post(world, end=local_input(at(3, 9)))
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end"] == ["The session must end after it starts."]
    assert not Session.objects.exists()


def test_an_online_session_needs_its_link(client, world):
    login(client, world["manager"])
    response = client.post(
        reverse("programmes:session_create"),
        form_post(world, place_kind="online", facility=""),
    )
    assert "online_link" in response.context["form"].errors
    assert not Session.objects.exists()


def test_every_kind_of_session_can_be_chosen(client, world):
    from kinbridge.programmes.models import SessionKind

    login(client, world["manager"])
    page = client.get(reverse("programmes:session_create")).content.decode()
    for value in SessionKind.values:
        assert f'value="{value}"' in page


def test_the_list_shows_upcoming_sessions_first_then_past_ones(client, world):
    for days, topic in ((-20, "long ago"), (20, "later"), (-1, "yesterday"), (2, "soon")):
        actions.create_session(
            None, **session_fields(world, topic=topic, start=at(days, 10), end=at(days, 12))
        )
    login(client, world["manager"])
    response = client.get(reverse("programmes:session_list"))
    assert [s.topic for s in response.context["sessions"]] == [
        "soon",
        "later",
        "yesterday",
        "long ago",
    ]
    upcoming = client.get(reverse("programmes:session_list"), {"when": "upcoming"})
    assert [s.topic for s in upcoming.context["sessions"]] == ["soon", "later"]


def test_the_list_filters_by_kind_project_and_facility(client, world):
    actions.create_session(None, **session_fields(world, topic="Training"))
    actions.create_session(
        None,
        **session_fields(
            world,
            topic="Family day",
            kind="family_day",
            project=None,
            place_kind="community",
            facility=world["venue"],
        ),
    )
    login(client, world["manager"])
    url = reverse("programmes:session_list")

    def topics(**params):
        return [s.topic for s in client.get(url, params).context["sessions"]]

    assert topics(kind="family_day") == ["Family day"]
    assert topics(project=world["project"].pk) == ["Training"]
    assert topics(facility=world["venue"].pk) == ["Family day"]


def test_facilitators_see_only_the_sessions_they_run(client, world, personas):
    actions.create_session(None, **session_fields(world, topic="Mine"))
    actions.create_session(None, **session_fields(world, topic="Not mine", facilitators=[]))
    login(client, personas["facilitator"])
    response = client.get(reverse("programmes:session_list"))
    assert [s.topic for s in response.context["sessions"]] == ["Mine"]


def test_analysts_see_sessions_without_names(client, world, personas):
    session = actions.create_session(
        None, **session_fields(world, external_facilitators=[world["specialist"]])
    )
    login(client, personas["analyst"])
    listing = client.get(reverse("programmes:session_list")).content.decode()
    detail = client.get(reverse("programmes:session_detail", args=[session.pk])).content.decode()
    assert "Breastfeeding" in listing and "Breastfeeding" in detail
    for page in (listing, detail):
        assert "Неонатолог" not in page
        assert personas["facilitator"].get_full_name() not in page


def test_the_session_list_query_count_does_not_grow(
    client, world, personas, assert_constant_queries
):
    course = course_actions.create_course(
        None, team=world["team"], project=world["project"], title="Kids Matter", planned_sessions=8
    )

    def grow():
        for n in range(4):
            actions.create_session(
                None,
                **session_fields(
                    world,
                    topic=f"Grown {n}",
                    course=course,
                    facilitators=[world["facilitator"], world["manager"]],
                    external_facilitators=[world["specialist"]],
                ),
            )

    grow()
    login(client, world["manager"])
    assert_constant_queries(lambda: client.get(reverse("programmes:session_list")), grow)


def test_a_weekly_series_for_a_term_from_the_form(client, world):
    login(client, world["manager"])
    response = client.post(
        reverse("programmes:series_create"),
        form_post(
            world, every_weeks="1", occurrences="10", kind="class", end=local_input(at(3, 12))
        ),
    )
    assert response.status_code == 302
    sessions = list(Session.objects.order_by("start"))
    assert len(sessions) == 10
    assert sessions[0].series_id == sessions[-1].series_id is not None
    assert (sessions[-1].start_date - sessions[0].start_date).days == 63


def test_series_limits_are_shown_at_their_fields(client, world):
    login(client, world["manager"])
    response = client.post(
        reverse("programmes:series_create"),
        form_post(world, every_weeks="60", occurrences="500"),
    )
    assert set(response.context["form"].errors) == {"every_weeks", "occurrences"}
    assert not Session.objects.exists()


def test_edit_this_and_following_then_cancel_following(client, world):
    series = actions.create_series(
        None, every_weeks=1, occurrences=4, **session_fields(world, end=at(3, 12))
    )
    sessions = list(series.sessions.order_by("start"))
    login(client, world["manager"])
    edit = client.get(reverse("programmes:session_edit", args=[sessions[1].pk]))
    assert "scope" in edit.context["form"].fields
    data = form_post(
        world, topic="Sleep", start=local_input(sessions[1].start), end=local_input(sessions[1].end)
    )
    data["scope"] = "following"
    client.post(reverse("programmes:session_edit", args=[sessions[1].pk]), data)
    assert [s.topic for s in series.sessions.order_by("start")] == [
        "Breastfeeding",
        "Sleep",
        "Sleep",
        "Sleep",
    ]
    client.post(reverse("programmes:session_cancel", args=[sessions[2].pk]), {"scope": "following"})
    assert list(series.sessions.order_by("start").values_list("status", flat=True)) == [
        "planned",
        "planned",
        "cancelled",
        "cancelled",
    ]


def test_handout_upload_download_and_receipts(client, world, personas):
    session = actions.create_session(
        None, **session_fields(world, start=at(-2, 10), end=at(-2, 12))
    )
    mother, other = person(world["team"]), person(world["team"], "Анна", "Смирнова")
    Attendance.objects.create(session=session, person=mother, status="present")
    Attendance.objects.create(session=session, person=other, status="absent")
    login(client, personas["facilitator"])
    client.post(
        reverse("programmes:handout_add", args=[session.pk]),
        {"title": "Week 1", "file": SimpleUploadedFile("week1.pdf", b"%PDF-1.4 week one")},
    )
    handout = Handout.objects.get()
    download = client.get(reverse("programmes:handout_file", args=[handout.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 week one"
    assert AuditEvent.objects.filter(
        action=Action.READ, object_type="programmes.handout", actor=personas["facilitator"]
    ).exists()

    page = client.get(reverse("programmes:handout_detail", args=[handout.pk]))
    assert [row["person"] for row in page.context["rows"]] == [mother, other]  # by family name
    client.post(reverse("programmes:handout_detail", args=[handout.pk]), {"all_present": "1"})
    assert list(handout.receipts.values_list("person_id", flat=True)) == [mother.pk]
    client.post(reverse("programmes:handout_detail", args=[handout.pk]), {"received": [other.pk]})
    assert list(handout.receipts.values_list("person_id", flat=True)) == [other.pk]

    login(client, personas["analyst"])
    assert client.get(reverse("programmes:handout_file", args=[handout.pk])).status_code == 403


def test_the_dashboard_lists_my_upcoming_sessions(client, world, personas, assert_constant_queries):
    actions.create_session(
        None, **session_fields(world, topic="Next week", start=at(7), end=at(7, 12))
    )
    actions.create_session(
        None, **session_fields(world, topic="Done", start=at(-7), end=at(-7, 12))
    )
    login(client, personas["facilitator"])
    page = client.get(reverse("front:dashboard")).content.decode()
    assert "My upcoming sessions" in page
    assert "Next week" in page and "Done" not in page

    def grow():
        for n in range(3):
            course = course_actions.create_course(
                None, team=world["team"], title=f"Course {n}", planned_sessions=2
            )
            actions.create_session(
                None, **session_fields(world, topic=f"More {n}", course=course, start=at(n + 1))
            )

    assert_constant_queries(lambda: client.get(reverse("front:dashboard")), grow)
    login(client, personas["caseworker_b"])
    assert "My upcoming sessions" not in client.get(reverse("front:dashboard")).content.decode()
