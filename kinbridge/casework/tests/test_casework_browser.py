"""A coordinator takes a referral from the intake queue to a closed case, in Chromium:
accept (creating the person), plan, a service, a confidential note, then the workflow
through to closure with an outcome. Runs the pages exactly as a user does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kinbridge.casework import intake
from kinbridge.casework.models import Case, CaseStatus, Goal, Note, Referral, Service
from kinbridge.casework.needs import ensure_built_in_needs
from kinbridge.partners.actions import create_partner
from kinbridge.tests.test_browser import browser  # noqa: F401 - the shared Chromium fixture

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def referral(transactional_db, personas, team_b, regions):
    ensure_built_in_needs()  # an earlier transactional test may have flushed them
    partner = create_partner(
        None, name="Правовая опора", region=regions["b"], contacts=[{"name": "Ирина"}]
    )
    return intake.file_referral(
        None,
        source="partner",
        partner=partner,
        team=team_b,
        given_name="Ольга",
        family_name="Петрова",
        phone="+7 900 111 22 33",
        case_type="targeted_assistance",
        needs=["emotional_support"],
        description="Her son was arrested last week; she does not know what happens next.",
        received_on=timezone.localdate() - dt.timedelta(days=1),
    )


@pytest.fixture
def page(browser, live_server):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def submit(page, form_selector: str, button_text: str):
    with page.expect_navigation():
        page.locator(form_selector).get_by_role("button", name=button_text).click()


def test_a_referral_goes_from_the_queue_to_a_closed_case(page, live_server, referral, personas):
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "caseworker_b")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")

    # The intake queue, from the navigation.
    page.get_by_role("link", name="Intake").first.click()
    page.get_by_role("link", name="Ольга").first.click()
    assert "does not know what happens next" in page.content()

    # Accept: a new person, team B, the caseworker as lead.
    accept = f"form[action$='/referrals/{referral.pk}/accept/']"
    page.locator(accept).locator("select[name=lead_worker]").select_option(
        str(personas["caseworker_b"].pk)
    )
    submit(page, accept, "Accept and open the case")
    referral.refresh_from_db()
    assert referral.status == "accepted"
    case = Case.objects.get(pk=referral.case_id)
    assert case.status == CaseStatus.ASSESSMENT
    assert case.client.given_name == "Ольга"
    page.goto(f"{base}/casework/cases/{case.pk}/")
    assert case.reference in page.content()

    # The plan: a goal for the need the referral mentioned.
    goal_form = f"form[action$='/cases/{case.pk}/goals/add/']"
    page.get_by_text("Add a goal", exact=True).first.click()  # opens its <details>
    page.fill("#id_goal_description", "Understands the court process and has a lawyer")
    page.fill("#id_goal_target_date", (timezone.localdate() + dt.timedelta(days=60)).isoformat())
    submit(page, goal_form, "Add the goal")
    assert Goal.objects.filter(case=case).count() == 1

    # A service, logged from the case page.
    page.goto(f"{base}/casework/cases/{case.pk}/")
    service_form = f"form[action$='/cases/{case.pk}/services/add/']"
    page.select_option("#id_service_service_type", "counselling")
    page.select_option("#id_service_mode", "phone")
    page.fill("#id_service_duration_minutes", "45")
    page.fill("#id_service_note", "Explained the next hearing")
    submit(page, service_form, "Log the service")
    assert Service.objects.get(case=case).duration_minutes == 45

    # A confidential note.
    page.goto(f"{base}/casework/cases/{case.pk}/")
    note_form = f"form[action$='/cases/{case.pk}/notes/add/']"
    page.fill("#id_note_body", "She fears her partner will find out she called us.")
    page.check("#id_note_confidential")
    submit(page, note_form, "Save the note")
    assert Note.objects.get(case=case).confidential

    # The workflow: active, closing, closed with a reason and an outcome.
    for step in ("active", "closing"):
        page.goto(f"{base}/casework/cases/{case.pk}/")
        form = f"form:has(input[name=to][value={step}])"
        page.locator(form).locator("button[type=submit]").click()
        page.wait_for_load_state()
        case.refresh_from_db()
        assert case.status == step
    page.goto(f"{base}/casework/cases/{case.pk}/")
    close = "form:has(input[name=to][value=closed])"
    page.select_option("#step-closed-closure_reason", "goals_met")
    page.select_option("#step-closed-outcome", "improved")
    page.fill("#step-closed-outcome_note", "Has a lawyer and visits her son.")
    page.locator(close).locator("button[type=submit]").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.outcome == "improved"

    # The timeline shows the whole story, newest first.
    page.goto(f"{base}/casework/cases/{case.pk}/timeline/")
    text = page.locator("main").inner_text()
    assert "Explained the next hearing" in text
    assert "She fears her partner" in text  # the lead worker reads the confidential note
    assert Referral.objects.get(pk=referral.pk).case_id == case.pk


def test_casework_pages_fit_a_phone(browser, live_server, referral, personas, team_b):  # noqa: F811
    """Wide tables scroll inside their wrapper; nothing widens the page at 360 px."""
    from kinbridge.casework import case_actions, service_actions, task_actions
    from kinbridge.people.actions import create_person

    client = create_person(None, teams=[team_b], given_name="Ольга", family_name="Петрова")
    case = case_actions.create_case(
        None,
        client=client,
        team=team_b,
        case_type="targeted_assistance",
        lead_worker=personas["caseworker_b"],
        opened_on=timezone.localdate() - dt.timedelta(days=40),
    )
    case_actions.change_status(None, case, "assessment")
    service_actions.log_service(
        None,
        case,
        service_type="counselling",
        mode="phone",
        date=timezone.localdate() - dt.timedelta(days=35),
        duration_minutes=45,
        worker=personas["caseworker_b"],
        note="Explained the visiting rules of the colony and what to bring",
    )
    task_actions.create_task(
        None,
        case=case,
        title="Call the colony's social department about the long visit",
        due_on=timezone.localdate() - dt.timedelta(days=2),
        assignee=personas["caseworker_b"],
    )
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "caseworker_b")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    for path in (
        f"/casework/cases/{case.pk}/",
        "/casework/cases/",
        "/casework/referrals/",
        "/casework/tasks/",
        "/casework/caseload/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    context.close()
