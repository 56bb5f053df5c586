"""The attendance API: rosters by role, idempotent upsert, batches all or nothing with
problems by row, and paper registers created and entered by line."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client

from kinbridge.programmes import attendance_actions as actions
from kinbridge.programmes.models import Attendance
from kinbridge.programmes.tests.attendance_support import (
    add_person,
    build_world,
    make_session,
    mother_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas, team_b, regions):
    return build_world(personas, team_b, regions)


class JsonClient(Client):
    def post(self, path, data=None, **extra):
        extra.pop("format", None)
        return super().post(path, data, content_type="application/json", **extra)


def api(personas, persona):
    client = JsonClient()
    client.force_login(personas[persona])
    return client


def test_attendance_lists_the_rosters_one_may_read(personas, team_b, world):
    actions.record_attendance(None, world.session, world.anna, status="present")
    other = make_session(team_b)
    actions.record_attendance(None, other, world.olga, status="absent")
    facilitator = api(personas, "facilitator").get("/api/v1/attendance/")
    assert [row["person_reference"] for row in facilitator.json()["results"]] == [
        world.anna.reference
    ]
    caseworker_b = api(personas, "caseworker_b").get("/api/v1/attendance/")
    assert len(caseworker_b.json()["results"]) == 2
    filtered = api(personas, "caseworker_b").get(
        "/api/v1/attendance/", {"session": world.session.pk}
    )
    assert [row["person"] for row in filtered.json()["results"]] == [world.anna.pk]
    assert api(personas, "caseworker").get("/api/v1/attendance/").json()["results"] == []
    for persona in ("analyst", "volunteer"):
        assert api(personas, persona).get("/api/v1/attendance/").status_code == 403


def test_creating_is_an_idempotent_upsert(personas, world):
    client = api(personas, "facilitator")
    body = {"session": world.session.pk, "person": world.anna.pk, "status": "present"}
    first = client.post("/api/v1/attendance/", body, format="json")
    assert first.status_code == 201 and first.json()["source"] == "screen"
    again = client.post("/api/v1/attendance/", body | {"status": "excused"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Attendance.objects.get().status == "excused"


def test_creating_outside_the_audience_needs_a_reason(personas, world):
    client = api(personas, "facilitator")
    body = {"session": world.session.pk, "person": world.ivan.pk, "status": "present"}
    refused = client.post("/api/v1/attendance/", body, format="json")
    assert refused.status_code == 400
    assert "outside the audience" in refused.json()["outside_audience_reason"][0]
    saved = client.post("/api/v1/attendance/", body | {"reason": "Interpreter"}, format="json")
    assert saved.status_code == 201 and saved.json()["outside_audience_reason"] == "Interpreter"


def test_facilitators_record_only_their_own_sessions(personas, team_b, world):
    other = make_session(team_b)
    body = {"session": other.pk, "person": world.anna.pk, "status": "present"}
    response = api(personas, "facilitator").post("/api/v1/attendance/", body, format="json")
    assert response.status_code == 400 and "session" in response.json()
    # Caseworkers read the team's rosters but do not record attendance.
    body["session"] = world.session.pk
    response = api(personas, "caseworker_b").post("/api/v1/attendance/", body, format="json")
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_a_batch_is_all_or_nothing_with_problems_by_row(personas, team_a, world):
    client = api(personas, "facilitator")
    stranger = add_person(team_a, "Jonas", gender="male")
    body = {
        "session": world.session.pk,
        "rows": [
            {"person": world.anna.pk, "status": "present"},
            {"person": world.ivan.pk, "status": "present"},
            {"person": stranger.pk, "status": "present"},
            {"person": world.baby.pk, "status": "present", "with_adult": world.anna.pk},
        ],
    }
    refused = client.post("/api/v1/attendance/bulk/", body, format="json")
    assert refused.status_code == 400
    problems = {row["index"]: row["errors"] for row in refused.json()["rows"]}
    assert set(problems) == {1, 2}
    assert "outside_audience_reason" in problems[1] and "person" in problems[2]
    assert not Attendance.objects.exists()
    body["rows"][1]["reason"] = "Interpreter"
    del body["rows"][2]
    body["unnamed_headcount"] = 2
    saved = client.post("/api/v1/attendance/bulk/", body, format="json")
    assert saved.status_code == 200
    assert (saved.json()["created"], saved.json()["updated"]) == (3, 0)
    assert Attendance.objects.get(person=world.baby).with_adult == world.anna
    world.session.refresh_from_db()
    assert world.session.unnamed_headcount == 2
    again = client.post("/api/v1/attendance/bulk/", body, format="json")
    assert (again.json()["created"], again.json()["updated"]) == (0, 3)
    assert Attendance.objects.count() == 3


def test_register_sheets_are_created_and_entered_by_line(personas, team_b, world):
    client = api(personas, "facilitator")
    created = client.post(
        "/api/v1/register-sheets/",
        {"session": world.session.pk, "blank_lines": 2},
        format="json",
    )
    assert created.status_code == 201
    sheet = created.json()
    assert sheet["code"].startswith("R-") and sheet["show_names"] is False
    lines = {line["person"]: line["number"] for line in sheet["lines"]}
    assert set(lines) == {world.anna.pk, world.olga.pk}
    walk_in = add_person(team_b, "Жанна", gender="female", roles=["pregnant"])
    url = f"/api/v1/register-sheets/{sheet['id']}/enter/"
    refused = client.post(
        url,
        {
            "marks": [
                {"line": lines[world.anna.pk], "status": "present"},
                {"line": 9, "status": "absent"},
            ]
        },
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["rows"][0]["index"] == 1
    assert "has no line 9" in refused.json()["rows"][0]["errors"]["line"][0]
    assert not Attendance.objects.exists()
    entered = client.post(
        url,
        {
            "marks": [
                {"line": lines[world.anna.pk], "status": "present"},
                {"line": 3, "reference": walk_in.reference, "status": "present"},
            ]
        },
        format="json",
    )
    assert entered.status_code == 200
    assert entered.json()["saved"] == 2 and entered.json()["sheet"]["entered_at"]
    assert set(Attendance.objects.values_list("source", flat=True)) == {"paper"}


def test_register_sheets_follow_the_roster_rules(personas, team_b, world):
    other = actions.print_register(None, make_session(team_b))
    mine = actions.print_register(None, world.session)
    listed = api(personas, "facilitator").get("/api/v1/register-sheets/").json()["results"]
    assert [sheet["code"] for sheet in listed] == [mine.code]
    assert (
        api(personas, "facilitator").get(f"/api/v1/register-sheets/{other.pk}/").status_code == 404
    )
    entered = api(personas, "caseworker_b").post(
        f"/api/v1/register-sheets/{mine.pk}/enter/",
        {"marks": [{"line": 1, "status": "present"}]},
        format="json",
    )
    assert entered.status_code == 403
    assert api(personas, "analyst").get("/api/v1/register-sheets/").status_code == 403


def test_api_lists_keep_constant_queries(personas, team_b, world, assert_constant_queries):
    client = api(personas, "facilitator")
    numbers = itertools.count()

    def grow():
        for _ in range(3):
            mother = add_person(team_b, f"Мама{next(numbers)}", gender="female", roles=["pregnant"])
            child = add_person(team_b, f"Малыш{next(numbers)}", roles=["child"])
            mother_of(child, mother)
            actions.record_attendance(None, world.session, mother, status="present")
            actions.record_attendance(
                None, world.session, child, status="present", with_adult=mother
            )
        actions.print_register(None, world.session)

    grow()
    assert_constant_queries(
        lambda: client.get("/api/v1/attendance/", {"session": world.session.pk}), grow
    )
    assert_constant_queries(lambda: client.get("/api/v1/register-sheets/"), grow)
