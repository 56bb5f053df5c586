"""The roster page: who is expected, quick entry of the whole roster or row by row (htmx),
adding people and children, and what a read-only reader sees."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from kinbridge.audit.models import Action, AuditEvent
from kinbridge.programmes import attendance_actions as actions
from kinbridge.programmes.models import Attendance, Enrolment, RegisterSheet
from kinbridge.programmes.tests.attendance_support import add_person, build_world, mother_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas, team_b, regions):
    return build_world(personas, team_b, regions)


@pytest.fixture
def facilitator(client, personas):
    client.force_login(personas["facilitator"])
    return client


def roster_url(world):
    return reverse("programmes:roster", args=[world.session.pk])


def row_url(world):
    return reverse("programmes:roster_row", args=[world.session.pk])


def test_the_roster_lists_the_enrolled_and_the_recorded(facilitator, personas, world):
    actions.record_attendance(None, world.session, world.ivan, status="absent")
    page = facilitator.get(roster_url(world))
    html = page.content.decode()
    assert page.status_code == 200
    # The session's topic, place and date head the page.
    assert "Bonding with your baby" in html and world.facility.name in html
    assert "Mothers, Pregnant women" in html
    people = [row.person for row in page.context["rows"]]
    assert people == [world.ivan, world.olga, world.anna]  # Кузнецов, Петрова, Смирнова
    assert "Соколова" not in html  # withdrew from the course
    assert f'name="status-{world.anna.pk}"' in html
    # Reading the roster is audited as a read of the session.
    assert AuditEvent.objects.filter(
        action=Action.READ,
        object_type="programmes.session",
        object_id=str(world.session.pk),
        actor=personas["facilitator"],
    ).exists()


def test_saving_the_whole_roster_at_once(facilitator, world):
    response = facilitator.post(
        roster_url(world),
        {
            "person": [world.anna.pk, world.olga.pk],
            f"status-{world.anna.pk}": "present",
            f"status-{world.olga.pk}": "excused",
            "unnamed_headcount": "4",
        },
    )
    assert response.status_code == 302
    rows = dict(Attendance.objects.values_list("person_id", "status"))
    assert rows == {world.anna.pk: "present", world.olga.pk: "excused"}
    world.session.refresh_from_db()
    assert world.session.unnamed_headcount == 4 and world.session.status == "held"
    page = facilitator.get(roster_url(world))
    assert page.context["summary"]["total_present"] == 5
    assert "Attendance saved: 2 people." in page.content.decode()


def test_a_refused_roster_shows_its_problems_and_saves_nothing(facilitator, world):
    actions.record_attendance(None, world.session, world.ivan, status="absent")
    response = facilitator.post(
        roster_url(world),
        {
            "person": [world.anna.pk, world.ivan.pk],
            f"status-{world.anna.pk}": "present",
            f"status-{world.ivan.pk}": "present",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "1 row has a problem; nothing was saved." in html
    assert "is outside the audience of this session" in html
    assert f'id="reason-{world.ivan.pk}"' in html
    # Anna's choice is still shown, but nothing was saved.
    assert (
        f'id="status-{world.anna.pk}-present" name="status-{world.anna.pk}" value="present" checked'
        in html
    )
    assert not Attendance.objects.filter(person=world.anna).exists()
    assert Attendance.objects.get(person=world.ivan).status == "absent"


def test_a_bad_headcount_is_shown_at_its_field(facilitator, world):
    response = facilitator.post(roster_url(world), {"unnamed_headcount": "-2"})
    assert response.status_code == 400
    assert "Enter a whole number from 0 to 100000." in response.content.decode()


def test_htmx_saves_one_row_and_answers_with_it(facilitator, world):
    response = facilitator.post(
        row_url(world),
        {"row": world.anna.pk, f"status-{world.anna.pk}": "present"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="row-{world.anna.pk}"')
    assert "Saved" in html
    assert 'id="roster-summary" hx-swap-oob="true"' in html
    assert Attendance.objects.get(person=world.anna).status == "present"


def test_htmx_row_outside_the_audience_asks_for_a_reason(facilitator, world):
    actions.record_attendance(None, world.session, world.ivan, status="absent")
    data = {"row": world.ivan.pk, f"status-{world.ivan.pk}": "present"}
    response = facilitator.post(row_url(world), data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Record them only with a reason" in html and 'aria-invalid="true"' in html
    assert Attendance.objects.get(person=world.ivan).status == "absent"
    data[f"reason-{world.ivan.pk}"] = "Came to carry the parcels"
    facilitator.post(row_url(world), data, HTTP_HX_REQUEST="true")
    row = Attendance.objects.get(person=world.ivan)
    assert (row.status, row.outside_audience_reason) == ("present", "Came to carry the parcels")


def test_adding_a_person_found_by_name_or_reference(facilitator, team_b, world):
    newcomer = add_person(team_b, "Дарья", "Кузнецова", gender="female", roles=["pregnant"])
    page = facilitator.get(roster_url(world), {"q": newcomer.reference.lower()})
    assert [person.pk for person in page.context["candidates"]] == [newcomer.pk]
    page = facilitator.get(roster_url(world), {"q": "Kuznecov"})  # any script
    found = {person.pk: person.outside for person in page.context["candidates"]}
    assert found == {world.ivan.pk: True, newcomer.pk: False}
    assert "Outside the audience of this session" in page.content.decode()
    response = facilitator.post(
        row_url(world), {"row": newcomer.pk, f"status-{newcomer.pk}": "present", "q": "Kuz"}
    )
    assert response.status_code == 302
    assert Attendance.objects.get(person=newcomer).status == "present"
    # The man needs a reason: refused back to the search, with the message.
    response = facilitator.post(
        row_url(world),
        {"row": world.ivan.pk, f"status-{world.ivan.pk}": "present", "q": "Kuz"},
        follow=True,
    )
    assert "is outside the audience" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith("?q=Kuz")
    assert not Attendance.objects.filter(person=world.ivan).exists()


def test_people_of_other_teams_are_not_found(facilitator, team_a, world):
    add_person(team_a, "Rasa", "Kazlauskienė", gender="female", roles=["pregnant"])
    page = facilitator.get(roster_url(world), {"q": "Kazlausk"})
    assert page.context["candidates"] == []


def test_a_present_mothers_child_is_added_with_one_button(facilitator, world):
    actions.record_attendance(None, world.session, world.anna, status="present")
    html = facilitator.get(roster_url(world)).content.decode()
    assert f'name="add_child" value="{world.baby.pk}:{world.anna.pk}"' in html
    response = facilitator.post(
        row_url(world),
        {"add_child": f"{world.baby.pk}:{world.anna.pk}", "person": [world.anna.pk]},
    )
    assert response.status_code == 302
    row = Attendance.objects.get(person=world.baby)
    assert (row.status, row.with_adult) == ("present", world.anna)
    rows = facilitator.get(roster_url(world)).context["rows"]
    # The child follows the mother on the roster.
    names = [row.person.pk for row in rows]
    assert names.index(world.baby.pk) == names.index(world.anna.pk) + 1
    assert "came with Анна Смирнова" in facilitator.get(roster_url(world)).content.decode()


def test_readers_who_may_not_record_see_the_roster_without_a_form(client, personas, world):
    actions.record_attendance(None, world.session, world.anna, status="present")
    client.force_login(personas["caseworker_b"])
    page = client.get(roster_url(world))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Present" in html and '<form method="post"' not in html
    assert "Print a paper register" not in html
    post = client.post(roster_url(world), {"person": [world.olga.pk]})
    assert post.status_code == 403


def test_the_session_page_links_to_attendance_by_permission(rf, personas, world):
    from django.template import Context, Template

    template = Template('{% include "programmes/sessions/_roster_links.html" %}')
    RegisterSheet.objects.create(session=world.session)

    def links(persona):
        request = rf.get("/")
        request.user = personas[persona]
        return template.render(Context({"session": world.session, "request": request}))

    assert "Print a paper register" in links("facilitator")
    assert "Who attended (roster)" in links("caseworker_b")
    assert "Print a paper register" not in links("caseworker_b")
    assert links("analyst").strip() == ""


def test_roster_queries_stay_constant(facilitator, team_b, world, assert_constant_queries):
    numbers = itertools.count()
    actions.record_attendance(None, world.session, world.anna, status="present")

    def grow():
        n = next(numbers)
        mother = add_person(team_b, f"Мама{n}", gender="female", roles=["prisoner"])
        Enrolment.objects.create(course=world.course, person=mother)
        child = add_person(team_b, f"Ребёнок{n}", roles=["child"])
        mother_of(child, mother)
        actions.record_attendance(None, world.session, mother, status="present")
        actions.record_attendance(None, world.session, child, status="present", with_adult=mother)
        outsider = add_person(team_b, f"Гость{n}", gender="male")
        actions.record_attendance(None, world.session, outsider, status="present", reason="x")
        actions.print_register(None, world.session)

    grow()
    assert_constant_queries(lambda: facilitator.get(roster_url(world), {"q": "Мама"}), grow)


def test_htmx_keeps_a_reason_typed_before_the_mark(facilitator, world):
    actions.record_attendance(None, world.session, world.ivan, status="absent")
    response = facilitator.post(
        row_url(world),
        {"row": world.ivan.pk, f"reason-{world.ivan.pk}": "Interpreter"},
        HTTP_HX_REQUEST="true",
    )
    assert 'value="Interpreter"' in response.content.decode()
    assert Attendance.objects.get(person=world.ivan).status == "absent"
    # A post naming no row swaps nothing.
    assert facilitator.post(row_url(world), {}, HTTP_HX_REQUEST="true").status_code == 204
