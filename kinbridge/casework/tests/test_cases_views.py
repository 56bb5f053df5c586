"""The case list, opening a case, the case page, editing (with a stale edit), workers
and family members, and the person's "Cases" tab."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from kinbridge.accounts.roles import Role
from kinbridge.casework import case_actions
from kinbridge.casework.models import Case, CaseMember, CaseWorker
from kinbridge.casework.tests.cases_setup import (
    add_everything,
    add_service,
    make_case,
    make_family,
    open_case,
)
from kinbridge.people.actions import create_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(team_b):
    return make_family(team_b)


@pytest.fixture
def case(personas, team_b, family):
    return make_case(personas, team_b, family)


@pytest.fixture
def worker(client, personas):
    client.force_login(personas["caseworker_b"])
    return client


# --- the list ------------------------------------------------------------------------


def test_the_list_shows_open_cases_with_the_last_service(worker, personas, team_b, family, case):
    closed = open_case(team_b, personas["caseworker_b"], family["son"], status="closed")
    add_service(case, personas["caseworker_b"], days_ago=3)
    add_service(case, personas["caseworker_b"], days_ago=9)
    page = worker.get(reverse("casework:case_list")).content.decode()
    assert case.reference in page and closed.reference not in page
    assert "Мария Иванова" in page
    last = timezone.localdate() - dt.timedelta(days=3)
    assert last.strftime("%B") in page or str(last.day) in page
    page = worker.get(reverse("casework:case_list"), {"status": "closed"}).content.decode()
    assert closed.reference in page and case.reference not in page


def test_the_list_filters_and_searches(worker, personas, team_b, family, case):
    other = open_case(
        team_b, personas["programme_manager"], family["grandmother"], case_type="visiting_support"
    )
    url = reverse("casework:case_list")

    def refs(**params):
        page = worker.get(url, params).content.decode()
        return {c.reference for c in (case, other) if c.reference in page}

    assert refs() == {case.reference, other.reference}
    assert refs(type="visiting_support") == {other.reference}
    assert refs(lead=personas["caseworker_b"].pk) == {case.reference}
    assert refs(mine="1") == {case.reference}
    assert refs(q="Петрова") == {other.reference}
    assert refs(q=case.reference.lower()) == {case.reference}
    assert refs(team=team_b.pk) == {case.reference, other.reference}


def test_the_list_shows_only_visible_cases(client, personas, team_a, team_b, family, case):
    stranger = create_person(None, teams=[team_a], given_name="Ольга")
    theirs = open_case(team_a, personas["caseworker"], stranger)
    client.force_login(personas["caseworker_b"])
    page = client.get(reverse("casework:case_list")).content.decode()
    assert case.reference in page and theirs.reference not in page


def test_the_list_costs_the_same_however_many_cases(
    worker, personas, team_b, family, case, assert_constant_queries
):
    def grow():
        for index in range(5):
            person = create_person(None, teams=[team_b], given_name=f"Client {index}")
            other = open_case(team_b, personas["caseworker_b"], person, status="active")
            other.workers.add(personas["programme_manager"])
            add_service(other, personas["caseworker_b"])

    assert_constant_queries(lambda: worker.get(reverse("casework:case_list")), grow)


# --- opening a case --------------------------------------------------------------------


def test_opening_starts_with_finding_the_client(worker, family):
    page = worker.get(reverse("casework:case_create"), {"q": "Иванова"}).content.decode()
    assert f"?person={family['mother'].pk}" in page


def test_opening_a_case_offers_the_clients_family(worker, personas, team_b, family):
    url = reverse("casework:case_create") + f"?person={family['mother'].pk}"
    page = worker.get(url).content.decode()
    assert "Артём Иванов (child)" in page and "Нина Петрова (mother)" in page
    response = worker.post(
        url,
        {
            "person": family["mother"].pk,
            "team": team_b.pk,
            "case_type": "family_casework",
            "lead_worker": personas["caseworker_b"].pk,
            "workers": [personas["programme_manager"].pk],
            "members": [family["son"].pk],
            "summary": "Mother in IK-15; son with his grandmother.",
            "opened_on": timezone.localdate().isoformat(),
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/cases/{case.pk}/")
    assert case.status == "referred" and case.lead_worker == personas["caseworker_b"]
    assert list(case.members.values_list("person_id", "role_in_case")) == [
        (family["son"].pk, "child")
    ]
    assert list(case.workers.all()) == [personas["programme_manager"]]


def test_opening_a_case_shows_errors_at_the_fields(worker, personas, team_a, team_b, family):
    outsider = make_user("outsider", Role.CASEWORKER, [team_a])
    url = reverse("casework:case_create") + f"?person={family['mother'].pk}"
    response = worker.post(
        url,
        {
            "person": family["mother"].pk,
            "team": team_b.pk,
            "case_type": "family_casework",
            "lead_worker": outsider.pk,
            "opened_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in page  # a worker of another team is not offered
    assert not Case.objects.exists()
    response = worker.post(
        url,
        {
            "person": family["mother"].pk,
            "team": team_b.pk,
            "case_type": "family_casework",
            "opened_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert "A case cannot be opened in the future." in response.content.decode()
    assert not Case.objects.exists()


def test_a_person_of_another_team_cannot_be_a_client(client, personas, team_a):
    stranger = create_person(None, teams=[team_a], given_name="Ольга")
    client.force_login(personas["caseworker_b"])
    url = reverse("casework:case_create") + f"?person={stranger.pk}"
    assert client.get(url).status_code == 404


# --- the case page ---------------------------------------------------------------------


def test_the_case_page_shows_the_header_and_the_steps(worker, personas, family, case):
    page = worker.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    for text in (case.reference, "Мария Иванова", family["mother"].reference, "Артём Иванов"):
        assert text in page
    assert "Caseworker_B" in page  # the lead worker
    assert "Move to “Active”" in page and "Move to “Closing”" in page
    assert "Move to “Closed”" not in page


def test_the_case_page_read_is_audited(worker, case):
    from kinbridge.audit.models import AuditEvent

    worker.get(reverse("casework:case_detail", args=[case.pk]))
    assert AuditEvent.objects.filter(action="read", object_id=str(case.pk)).exists()


def test_the_case_page_costs_the_same_however_much_happened(
    worker, personas, case, assert_constant_queries
):
    # One entry of each kind, then three of each: every entry is on the first page.
    add_everything(case, personas["caseworker_b"])
    url = reverse("casework:case_detail", args=[case.pk])
    assert_constant_queries(
        lambda: worker.get(url), lambda: add_everything(case, personas["caseworker_b"], 2)
    )


def test_a_supervisor_sees_the_case_without_workflow_for_other_roles(client, personas, case):
    client.force_login(personas["programme_manager"])
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "Move to “Active”" in page  # team B's manager may edit
    client.force_login(personas["analyst"])
    assert client.get(reverse("casework:case_detail", args=[case.pk])).status_code == 403


# --- editing ---------------------------------------------------------------------------


def _edit(client, case, version, **fields):
    data = {"case_type": case.case_type, "summary": case.summary, "version": version} | fields
    return client.post(reverse("casework:case_edit", args=[case.pk]), data)


def test_an_edit_is_saved(worker, case):
    response = _edit(worker, case, case.version, summary="Now at home with the son.")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "Now at home with the son." and case.version == 3


def test_a_stale_edit_keeps_the_input_and_shows_the_differences(worker, personas, case):
    version = case.version
    case_actions.update_case(
        personas["programme_manager"], case, version=version, summary="Their summary."
    )
    response = _edit(worker, case, version, summary="My summary.", case_type="visiting_support")
    page = response.content.decode()
    assert "Someone else saved this case" in page
    assert "Their summary." in page and "My summary." in page  # theirs / yours
    assert "Visiting support" in page and "Family casework" in page
    assert 'role="alert"' in page
    case.refresh_from_db()
    assert case.summary == "Their summary." and case.case_type == "family_casework"
    # The form now carries the version on file: saving again, deliberately, goes through.
    assert f'name="version" value="{case.version}"' in page
    response = _edit(worker, case, case.version, summary="My summary.")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "My summary."


def test_an_edit_with_bad_input_changes_nothing(worker, case):
    version = case.version
    response = _edit(
        worker, case, version, next_review_on=(case.opened_on - dt.timedelta(days=1)).isoformat()
    )
    assert "The plan review cannot be before the case was opened." in response.content.decode()
    case.refresh_from_db()
    assert case.version == version


# --- workers and family members ------------------------------------------------------------


def test_workers_are_added_and_removed(worker, personas, case):
    manager = personas["programme_manager"]
    worker.post(reverse("casework:case_worker_add", args=[case.pk]), {"user": manager.pk})
    assert CaseWorker.objects.filter(case=case, user=manager).exists()
    response = worker.post(
        reverse("casework:case_worker_add", args=[case.pk]), {"user": manager.pk}, follow=True
    )
    assert "already works on the case" in response.content.decode()
    worker.post(reverse("casework:case_worker_remove", args=[case.pk]), {"user": manager.pk})
    assert not CaseWorker.objects.filter(case=case).exists()


def test_family_members_are_added_and_removed(worker, personas, family, case):
    grandmother = family["grandmother"]
    worker.post(
        reverse("casework:case_member_add", args=[case.pk]),
        {"person": grandmother.pk, "role_in_case": "caring grandmother"},
    )
    assert CaseMember.objects.get(case=case, person=grandmother).role_in_case == (
        "caring grandmother"
    )
    # Services were given to the son in the case: he stays linked.
    add_service(case, personas["caseworker_b"], recipient=family["son"])
    response = worker.post(
        reverse("casework:case_member_remove", args=[case.pk]),
        {"person": family["son"].pk},
        follow=True,
    )
    assert "they stay linked" in response.content.decode()
    worker.post(reverse("casework:case_member_remove", args=[case.pk]), {"person": grandmother.pk})
    assert list(case.members.values_list("person_id", flat=True)) == [family["son"].pk]


# --- the person's Cases tab ----------------------------------------------------------------


def _tab(client, person):
    return client.get(reverse("people:detail", args=[person.pk]), {"tab": "cases"})


def test_the_cases_tab_lists_the_persons_cases_as_client_or_member(worker, family, case):
    page = _tab(worker, family["son"]).content.decode()
    assert case.reference in page and "Family member of Мария Иванова" in page
    page = _tab(worker, family["mother"]).content.decode()
    assert case.reference in page and "Client" in page


def test_the_cases_tab_says_no_access_to_roles_without_casework(client, personas, family, case):
    client.force_login(personas["facilitator"])
    page = _tab(client, family["mother"]).content.decode()
    assert "does not give access to casework" in page
    assert case.reference not in page


def test_the_cases_tab_costs_the_same_however_many_cases(
    worker, personas, team_b, family, case, assert_constant_queries
):
    def grow():
        for _index in range(4):
            open_case(
                team_b,
                personas["caseworker_b"],
                family["mother"],
                members=[(family["son"], "son")],
            )

    assert_constant_queries(lambda: _tab(worker, family["son"]), grow)
