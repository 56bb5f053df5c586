"""The demo's casework: seed 001's 188 persons come out of cases, and the records are
ones the casework rules allow."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import override_settings
from django.utils import timezone

from kinbridge.accounts.models import User
from kinbridge.audit.models import AuditEvent
from kinbridge.casework.models import (
    TRANSITIONS,
    AbandonmentReason,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseMember,
    CaseNeed,
    CaseStatus,
    CaseType,
    Goal,
    Note,
    PlanReview,
    Referral,
    ReferralSource,
    ReferralStatus,
    RiskFlag,
    RiskKind,
    Service,
    ServiceMode,
    Task,
    TaskStatus,
)
from kinbridge.people.models import Person
from kinbridge.programmes.indicators import Period, compute
from kinbridge.programmes.models import Project

pytestmark = pytest.mark.django_db

TARGETED = ["counselling", "information", "mediation", "representation", "escort"]


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker, _media_root):
    """load_demo once for the module, rolled back at its end."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=_media_root),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def test_seed_001_targeted_assistance_is_188_persons_computed_from_cases():
    project = Project.objects.get(code="ACF-LT-2024")
    indicator = project.indicators.get(name="Relatives who received targeted assistance")
    assert (indicator.kind, int(indicator.target)) == ("service_recipients", 188)
    result = compute(indicator, breakdown=True)
    assert int(result.actual) == 188
    # The same count by hand: people served with targeted assistance in the project's dates.
    counted = Service.objects.filter(
        case__project=project,
        case__case_type=CaseType.TARGETED_ASSISTANCE,
        service_type__in=TARGETED,
        date__range=(project.start, project.end),
    )
    assert counted.values("recipient").distinct().count() == 188
    # 171 relatives as clients, and 17 of their children, linked to the case.
    to_clients = counted.filter(recipient_id=F("case__client_id"))
    assert to_clients.values("recipient").distinct().count() == 171
    to_members = counted.exclude(recipient_id=F("case__client_id"))
    assert to_members.values("recipient").distinct().count() == 17
    members = set(CaseMember.objects.values_list("case_id", "person_id"))
    assert all((s.case_id, s.recipient_id) in members for s in to_members)
    # A person counts once in each month; the months lie within the project.
    assert sum(result.breakdown.by_month.values()) >= 188
    assert all(project.start <= month <= project.end for month in result.breakdown.by_month)
    # What must not count is there too: later services, cases after the project, contacts.
    assert Service.objects.filter(case__project=project, date__gt=project.end).exists()
    vilnius_cases = Case.objects.filter(team=project.team)
    assert vilnius_cases.filter(project__isnull=True, opened_on__gt=project.end).count() == 5
    assert (
        Case.objects.filter(project=project)
        .exclude(services__service_type__in=TARGETED)
        .distinct()
        .count()
        == 6
    )
    # A report period gives part of it.
    first_half = compute(indicator, Period(end=project.start.replace(month=8)))
    assert 0 < first_half.actual < 188


def test_every_demo_record_passes_the_models_own_checks():
    today = timezone.localdate()
    for model in (Case, CaseEvent, Service, Note, Task, Referral, RiskFlag, CaseNeed, Goal):
        rows = list(model.objects.all())
        assert rows, model
        for row in rows:
            row.full_clean()
    for service in Service.objects.select_related("case"):
        assert service.case.opened_on <= service.date <= today
        assert service.worker_id == service.case.lead_worker_id
    members = set(CaseMember.objects.values_list("case_id", "person_id"))
    clients = dict(Case.objects.values_list("id", "client_id"))
    for case_id, recipient_id in Service.objects.values_list("case_id", "recipient_id"):
        assert recipient_id == clients[case_id] or (case_id, recipient_id) in members
    for review in PlanReview.objects.all():
        review.full_clean()


def test_each_case_went_through_the_workflow_to_its_status():
    events: dict[int, list[CaseEvent]] = {}
    for event in CaseEvent.objects.order_by("at", "id"):
        events.setdefault(event.case_id, []).append(event)
    for case in Case.objects.all():
        history = events[case.pk]
        assert history[0].kind == CaseEventKind.OPENED
        status = CaseStatus.REFERRED
        for event in history[1:]:
            assert event.from_status == status
            assert event.to_status in TRANSITIONS[status]
            assert event.at.date() >= case.opened_on
            status = event.to_status
        assert status == case.status
    reopened = CaseEvent.objects.get(kind=CaseEventKind.REOPENED)
    assert reopened.reason and reopened.case.status == CaseStatus.ASSESSMENT
    closed = Case.objects.filter(status=CaseStatus.CLOSED)
    assert closed.count() > 100
    assert not closed.filter(Q(closure_reason="") | Q(outcome="")).exists()
    assert Case.objects.filter(status=CaseStatus.ACTIVE, opened_on__year=2024).exists()


def test_cases_go_to_the_teams_of_their_lead_workers():
    leads = {
        "Family support Vilnius": {"caseworker"},
        "Mothers in colonies": {"caseworker2", "manager"},
    }
    for team, users in leads.items():
        cases = Case.objects.filter(team__name=team)
        assert set(cases.values_list("lead_worker__username", flat=True)) == users
    for case in Case.objects.select_related("lead_worker", "project"):
        assert case.team_id in case.lead_worker.team_ids
        assert case.project is None or case.project.team_id == case.team_id


def test_seed_002_family_casework_and_seed_000_psychological_support():
    family = Case.objects.filter(project__code="VM-2025")
    assert family.count() == 12
    assert set(family.values_list("case_type", flat=True)) == {CaseType.FAMILY_CASEWORK}
    assert not family.annotate(n=Count("members")).filter(n=0).exists()
    assert (
        Goal.objects.filter(case__in=family).count()
        == CaseNeed.objects.filter(case__in=family).count()
    )
    assert PlanReview.objects.filter(case__in=family).count() == 12
    assert Service.objects.filter(case__in=family, mode=ServiceMode.IN_PRISON).count() > 40

    support = Case.objects.filter(project__code="MBB-2025")
    assert set(support.values_list("case_type", flat=True)) == {CaseType.PSYCHOLOGICAL_SUPPORT}
    flags = RiskFlag.objects.filter(case__in=support, kind=RiskKind.CHILD_ABANDONMENT)
    assert flags.count() == 4
    reasons = {reason for flag in flags for reason in flag.reasons}
    assert reasons == set(AbandonmentReason.values)
    assert flags.filter(resolved_on__isnull=False).count() == 1
    maria = Person.objects.get(given_name="Мария", family_name="Иванова", birth_date__year=1998)
    assert support.filter(client=maria, members__person__given_name="Артём").exists()


def test_the_queue_tasks_and_notes_give_the_caseworkers_something_to_do():
    queue = Referral.objects.filter(status=ReferralStatus.NEW)
    assert set(queue.values_list("source", flat=True)) == {
        ReferralSource.PARTNER,
        ReferralSource.PRISON_STAFF,
        ReferralSource.SELF,
        ReferralSource.PUBLIC_FORM,
    }
    assert queue.get(source=ReferralSource.PUBLIC_FORM).team is None
    declined = Referral.objects.filter(status=ReferralStatus.DECLINED)
    assert declined.count() == 2 and not declined.filter(decline_reason="").exists()

    today = timezone.localdate()
    for username in ("caseworker", "caseworker2"):
        mine = Task.objects.filter(assignee__username=username, status=TaskStatus.OPEN)
        assert mine.filter(due_on__lt=today).exists(), username
        assert mine.filter(due_on=today).exists(), username
    assert not Task.objects.open().filter(case__status=CaseStatus.CLOSED).exists()

    confidential = Note.objects.filter(confidential=True).select_related("case")
    assert confidential.count() >= 5
    assert all(note.author_id == note.case.lead_worker_id for note in confidential)
    assert Note.objects.filter(confidential=False).count() >= 20


def test_loading_the_demo_again_adds_no_casework():
    models = [
        Person,
        Case,
        CaseEvent,
        CaseMember,
        Service,
        Note,
        Task,
        Referral,
        RiskFlag,
        CaseNeed,
        Goal,
        AuditEvent,
    ]
    before = [model.objects.count() for model in models]
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert [model.objects.count() for model in models] == before
    assert "0 cases added" in output.getvalue()
    assert User.objects.filter(username="caseworker").exists()
