"""The course pages through HTTP: create, schedule, enrol, waitlist, withdraw, parcels."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.programmes import sessions_actions
from kinbridge.programmes import sessions_course_actions as actions
from kinbridge.programmes.models import Attendance, Course, Enrolment
from kinbridge.programmes.tests import sessions_setup
from kinbridge.programmes.tests.sessions_setup import at, person, session_fields

world = sessions_setup.world
pytestmark = pytest.mark.django_db


@pytest.fixture
def course(world):
    return actions.create_course(
        None,
        team=world["team"],
        project=world["project"],
        title="Kids Matter",
        planned_sessions=3,
        capacity=1,
        parcels=True,
    )


def test_a_manager_creates_a_course_and_schedules_its_weekly_meetings(client, world):
    client.force_login(world["manager"])
    response = client.post(
        reverse("programmes:course_create"),
        {
            "team": world["team"].pk,
            "title": "Parenting from inside",
            "project": world["project"].pk,
            "planned_sessions": "10",
            "capacity": "12",
            "completion_percent": "60",
            "parcels": "on",
        },
    )
    course = Course.objects.get()
    assert response["Location"] == reverse("programmes:course_detail", args=[course.pk])
    response = client.post(
        reverse("programmes:course_schedule", args=[course.pk]),
        {
            "kind": "course_meeting",
            "topic": "Parenting",
            "place_kind": "online",
            "online_link": "https://meet.example.org/p",
            "start": timezone.localtime(at(5, 18)).strftime("%Y-%m-%dT%H:%M"),
            "end": timezone.localtime(at(5, 19)).strftime("%Y-%m-%dT%H:%M"),
            "every_weeks": "1",
        },
    )
    assert response.status_code == 302
    assert course.sessions.count() == 10
    page = client.get(reverse("programmes:course_detail", args=[course.pk])).content.decode()
    assert "Parenting (10/10)" in page


def test_completion_rule_out_of_range_is_refused_at_its_field(client, world):
    client.force_login(world["manager"])
    response = client.post(
        reverse("programmes:course_create"),
        {
            "team": world["team"].pk,
            "title": "X",
            "planned_sessions": "4",
            "completion_percent": "150",
        },
    )
    assert "completion_percent" in response.context["form"].errors
    assert not Course.objects.exists()


def test_enrol_search_waitlist_and_withdrawal(client, world, course, personas):
    first, second = person(world["team"]), person(world["team"], "Анна", "Смирнова")
    client.force_login(personas["caseworker_b"])
    url = reverse("programmes:course_detail", args=[course.pk])
    found = client.get(url, {"q": "Смирнова"})
    assert found.context["found"] == [second]
    client.post(reverse("programmes:course_enrol", args=[course.pk]), {"person": first.pk})
    response = client.post(
        reverse("programmes:course_enrol", args=[course.pk]), {"person": second.pk}, follow=True
    )
    assert "number 1 on the waitlist" in response.content.decode()
    waiting = Enrolment.objects.get(person=second)
    assert (waiting.status, waiting.waitlist_position) == ("waitlisted", 1)

    enrolled = Enrolment.objects.get(person=first)
    refused = client.post(
        reverse("programmes:enrolment_withdraw", args=[enrolled.pk]),
        {f"w{enrolled.pk}-reason": ""},
    )
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode()
    client.post(
        reverse("programmes:enrolment_withdraw", args=[enrolled.pk]),
        {f"w{enrolled.pk}-reason": "Released early"},
    )
    waiting.refresh_from_db()
    assert (waiting.status, waiting.waitlist_position) == ("enrolled", None)


def test_a_person_of_another_team_cannot_be_enrolled(client, world, course, team_a):
    stranger = person(team_a, "Ona", "Jonaitienė")
    client.force_login(world["manager"])
    response = client.post(
        reverse("programmes:course_enrol", args=[course.pk]), {"person": stranger.pk}
    )
    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_parcels_warning_and_completion_on_the_course_page(client, world, course):
    sessions_actions.create_series(
        None,
        every_weeks=1,
        occurrences=2,
        **session_fields(world, course=course, start=at(-14, 10), end=at(-14, 12)),
    )
    anna, vika = person(world["team"], "Анна", "Смирнова"), person(world["team"], "Вика", "Орлова")
    course.capacity = None
    course.save()
    a = actions.enrol(None, course, anna)
    actions.enrol(None, course, vika)
    actions.set_parcel_sent(None, a, at(-20).date())
    for session in course.sessions.all():
        session.status = "held"
        session.save()
        Attendance.objects.create(session=session, person=anna, status="present")
    client.force_login(world["manager"])
    response = client.get(reverse("programmes:course_detail", args=[course.pk]))
    assert [e.person for e in response.context["parcels_missing"]] == [vika]
    page = response.content.decode()
    assert "Parcels not sent before the first session" in page
    progress = {e.person_id: e.progress for e in response.context["enrolments"]}
    assert progress[anna.pk].state == "in_progress"  # a third session is still to plan
    assert AuditEvent.objects.filter(action=Action.READ, object_type="programmes.course").exists()


def test_analysts_see_the_course_without_its_roster(client, world, course, personas):
    actions.enrol(None, course, person(world["team"]))
    client.force_login(personas["analyst"])
    response = client.get(reverse("programmes:course_detail", args=[course.pk]))
    assert response.status_code == 200
    assert "Иванова" not in response.content.decode()
    assert "enrolments" not in response.context


def test_course_page_and_list_query_counts_do_not_grow(
    client, world, course, assert_constant_queries
):
    course.capacity = 2
    course.save()
    counter = iter(range(1000))

    def grow():
        for _ in range(3):
            n = next(counter)
            someone = person(world["team"], f"Имя{n}", f"Фамилия{n}")
            enrolment = actions.enrol(None, course, someone, referred_by=None)
            session = sessions_actions.create_session(
                None, **session_fields(world, course=course, status="held", topic=f"S{n}")
            )
            Attendance.objects.create(session=session, person=someone, status="present")
            if enrolment.status == "enrolled":
                actions.set_parcel_sent(None, enrolment, timezone.localdate())
            other = actions.create_course(
                None, team=world["team"], title=f"C{n}", planned_sessions=1
            )
            actions.enrol(None, other, someone)

    grow()
    client.force_login(world["manager"])
    assert_constant_queries(
        lambda: client.get(reverse("programmes:course_detail", args=[course.pk])), grow
    )
    assert_constant_queries(lambda: client.get(reverse("programmes:course_list")), grow)
