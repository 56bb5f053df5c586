"""The sessions API: the same rules and actions as the pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kinbridge.programmes import sessions_actions
from kinbridge.programmes import sessions_course_actions as actions
from kinbridge.programmes.models import Attendance, Enrolment, Session
from kinbridge.programmes.tests import sessions_setup
from kinbridge.programmes.tests.sessions_setup import at, person, session_fields

world = sessions_setup.world
pytestmark = pytest.mark.django_db


class Api:
    """A signed-in browser session speaking JSON (multipart for files)."""

    def __init__(self, user):
        self.client = Client()
        self.client.force_login(user)

    def get(self, url):
        return self.client.get(url)

    def delete(self, url):
        return self.client.delete(url)

    def _send(self, method, url, data, format):
        if format == "multipart":
            return getattr(self.client, method)(url, data)
        return getattr(self.client, method)(url, data, content_type="application/json")

    def post(self, url, data, format="json"):
        return self._send("post", url, data, format)

    def patch(self, url, data, format="json"):
        return self._send("patch", url, data, format)


def api_as(user):
    return Api(user)


def body(world, **extra):
    return {
        "team": world["team"].pk,
        "project": world["project"].pk,
        "kind": "training",
        "topic": "Breastfeeding",
        "status": "planned",
        "place_kind": "facility",
        "facility": world["colony"].pk,
        "start": at(3, 10).isoformat(),
        "end": at(4, 17).isoformat(),
        "facilitators": [world["facilitator"].pk],
        "external_facilitators": [world["specialist"].pk],
        "audience": ["mothers"],
    } | extra


def test_create_read_update_and_delete_a_session(world):
    client = api_as(world["manager"])
    created = client.post("/api/v1/sessions/", body(world), format="json")
    assert created.status_code == 201, created.data
    assert (created.data["day_count"], created.data["facilitators"]) == (
        2,
        [world["facilitator"].pk],
    )
    url = f"/api/v1/sessions/{created.data['id']}/"
    changed = client.patch(url, {"topic": "Sleep", "status": "held"}, format="json")
    assert (changed.data["topic"], changed.data["status"]) == ("Sleep", "held")
    assert client.delete(url).status_code == 400  # held: cancel, do not delete
    client.patch(url, {"status": "planned"}, format="json")
    assert client.delete(url).status_code == 204
    assert not Session.objects.exists()


def test_a_session_ending_before_it_starts_is_refused_by_field(world):
    response = api_as(world["manager"]).post(
        "/api/v1/sessions/", body(world, end=at(3, 9).isoformat()), format="json"
    )
    assert response.status_code == 400
    assert "end" in response.data
    assert not Session.objects.exists()


def test_facilitators_cannot_plan_and_see_only_their_sessions(world, personas):
    sessions_actions.create_session(None, **session_fields(world, topic="Mine"))
    sessions_actions.create_session(None, **session_fields(world, topic="Other", facilitators=[]))
    client = api_as(personas["facilitator"])
    assert [s["topic"] for s in client.get("/api/v1/sessions/").data["results"]] == ["Mine"]
    assert client.post("/api/v1/sessions/", body(world), format="json").status_code == 403


def test_analysts_get_sessions_without_names(world, personas):
    sessions_actions.create_session(
        None, **session_fields(world, external_facilitators=[world["specialist"]])
    )
    rows = api_as(personas["analyst"]).get("/api/v1/sessions/").data["results"]
    assert rows[0]["topic"] == "Breastfeeding"
    assert rows[0]["facilitators"] is None and rows[0]["external_facilitators"] is None
    assert api_as(personas["analyst"]).get("/api/v1/enrolments/").status_code == 403


def test_sessions_filter_by_dates_and_course(world):
    course = actions.create_course(None, team=world["team"], title="C", planned_sessions=2)
    sessions_actions.create_session(None, **session_fields(world, topic="Soon", course=course))
    sessions_actions.create_session(
        None, **session_fields(world, topic="Later", start=at(30), end=at(30, 12))
    )
    client = api_as(world["manager"])
    day = at(20).date().isoformat()
    assert [s["topic"] for s in client.get(f"/api/v1/sessions/?from={day}").data["results"]] == [
        "Later"
    ]
    assert [s["topic"] for s in client.get(f"/api/v1/sessions/?to={day}").data["results"]] == [
        "Soon"
    ]
    assert [
        s["topic"] for s in client.get(f"/api/v1/sessions/?course={course.pk}").data["results"]
    ] == ["Soon"]


def test_session_list_query_count_does_not_grow(world, assert_constant_queries):
    client = api_as(world["manager"])

    def grow():
        for n in range(3):
            sessions_actions.create_session(
                None,
                **session_fields(
                    world,
                    topic=f"S{n}",
                    facilitators=[world["facilitator"], world["manager"]],
                    external_facilitators=[world["specialist"]],
                ),
            )

    grow()
    assert_constant_queries(lambda: client.get("/api/v1/sessions/"), grow)


def test_a_series_generates_its_sessions_and_keeps_limits(world):
    client = api_as(world["manager"])
    response = client.post(
        "/api/v1/series/", body(world, every_weeks=6, occurrences=9), format="json"
    )
    assert response.status_code == 201, response.data
    assert len(response.data["sessions"]) == 9
    refused = client.post(
        "/api/v1/series/", body(world, every_weeks=0, occurrences=201), format="json"
    )
    assert refused.status_code == 400
    assert {"every_weeks", "occurrences"} <= set(refused.data)
    assert Session.objects.count() == 9


def test_enrolment_waitlist_withdraw_and_parcel(world, personas):
    course = actions.create_course(
        None, team=world["team"], title="Kids Matter", planned_sessions=2, capacity=1
    )
    first, second = person(world["team"]), person(world["team"], "Анна", "Смирнова")
    client = api_as(personas["caseworker_b"])
    one = client.post("/api/v1/enrolments/", {"course": course.pk, "person": first.pk})
    two = client.post("/api/v1/enrolments/", {"course": course.pk, "person": second.pk})
    assert (one.data["status"], two.data["status"], two.data["waitlist_position"]) == (
        "enrolled",
        "waitlisted",
        1,
    )
    refused = client.post(f"/api/v1/enrolments/{one.data['id']}/withdraw/", {"reason": ""})
    assert refused.status_code == 400 and "reason" in refused.data
    client.post(f"/api/v1/enrolments/{one.data['id']}/withdraw/", {"reason": "Moved away"})
    assert Enrolment.objects.get(pk=two.data["id"]).status == "enrolled"
    parcel = client.post(
        f"/api/v1/enrolments/{two.data['id']}/parcel/",
        {"parcel_sent_on": at(-1).date().isoformat()},
        format="json",
    )
    assert parcel.data["parcel_sent_on"] == at(-1).date().isoformat()
    listed = client.get(f"/api/v1/enrolments/?course={course.pk}").data["results"]
    assert {row["completion"]["state"] for row in listed} == {"in_progress"}
    facilitator = api_as(personas["facilitator"])
    assert facilitator.get(f"/api/v1/enrolments/{one.data['id']}/").status_code == 404


def test_handouts_with_file_and_receipts(world, personas):
    session = sessions_actions.create_session(None, **session_fields(world))
    mother = person(world["team"])
    Attendance.objects.create(session=session, person=mother, status="present")
    client = api_as(personas["facilitator"])
    created = client.post(
        "/api/v1/handouts/",
        {"session": session.pk, "title": "Week 1", "file": SimpleUploadedFile("w.pdf", b"%PDF-1")},
        format="multipart",
    )
    assert created.status_code == 201, created.data
    handout = created.data["id"]
    assert created.data["download"] == f"/api/v1/handouts/{handout}/file/"
    ticked = client.post(
        f"/api/v1/handouts/{handout}/receipts/", {"all_present": True}, format="json"
    )
    assert [row["person"] for row in ticked.data] == [mother.pk]
    assert client.get(f"/api/v1/handouts/{handout}/").data["received"] == 1
    analyst = api_as(personas["analyst"])
    assert analyst.get(f"/api/v1/handouts/{handout}/receipts/").status_code == 403
    assert (
        api_as(personas["caseworker_b"])
        .post(f"/api/v1/handouts/{handout}/receipts/", {"people": []}, format="json")
        .status_code
        == 403
    )


def test_courses_list_counts(world, personas):
    course = actions.create_course(
        None, team=world["team"], title="Kids Matter", planned_sessions=2, capacity=1
    )
    actions.enrol(None, course, person(world["team"]))
    actions.enrol(None, course, person(world["team"], "Анна", "Смирнова"))
    rows = api_as(personas["analyst"]).get("/api/v1/courses/").data["results"]
    assert (rows[0]["enrolled"], rows[0]["waitlisted"]) == (1, 1)
