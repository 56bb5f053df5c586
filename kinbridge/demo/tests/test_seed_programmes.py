"""The five seed programmes in the demo: their figures come out of the KPI engine."""

import datetime as dt
import io
import itertools
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings
from django.utils import timezone

from kinbridge.accounts.models import User
from kinbridge.audit.models import AuditEvent
from kinbridge.people.models import Person, PersonRole, PersonTeam, Relationship
from kinbridge.programmes.indicators import CHARACTERISTICS, compute, project_results
from kinbridge.programmes.models import (
    Attendance,
    AttendanceStatus,
    Course,
    Enrolment,
    EnrolmentStatus,
    Handout,
    HandoutReceipt,
    Indicator,
    Project,
    Session,
    SessionKind,
    SessionSeries,
    SessionStatus,
)

pytestmark = pytest.mark.django_db


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


def figures(code: str) -> dict[str, tuple[Decimal, Decimal]]:
    project = Project.objects.get(code=code)
    return {r.indicator.name: (r.target, r.actual) for r in project_results(project)}


def test_mom_behind_bars_kpi_table_budget_and_period():
    project = Project.objects.get(code="MBB-2025")
    results = project_results(project, breakdown=True)
    assert [(int(r.target), int(r.actual)) for r in results] == [
        (9, 9),
        (90, 86),
        (60, 86),
        (1, 1),
        (10, 11),
    ]
    trainings = results[0]
    assert {name: int(n) for (_id, name), n in trainings.breakdown.by_facility.items()} == {
        "IK-5": 3,
        "IK-18": 3,
        "IK-15": 3,
    }
    assert project.total_budget == Decimal("2827613")
    assert project.fundings.get(funder__name="Presidential Grants Fund").amount == Decimal(
        "2527613"
    )
    assert sum(line.planned for line in project.budget_lines.all()) == project.total_budget
    assert sum(f.amount for f in project.fundings.all()) == project.total_budget
    assert project.months == 12
    brochure = results[3].indicator
    assert brochure.kind == "manual"
    with brochure.evidence.open("rb") as evidence:
        assert evidence.read(5) == b"%PDF-"


def test_mom_behind_bars_counts_what_the_funder_means():
    project = Project.objects.get(code="MBB-2025")
    sessions = project.sessions.all()
    # A one-day introduction and a training cancelled for quarantine are not "two-day trainings".
    trainings = sessions.filter(kind=SessionKind.TRAINING)
    assert trainings.filter(day_count=1, status=SessionStatus.HELD).count() == 3
    assert trainings.filter(status=SessionStatus.CANCELLED).count() == 1
    present = Attendance.objects.filter(session__project=project, status=AttendanceStatus.PRESENT)
    # Women come to several sessions: distinct counting is what gives 86.
    women = present.filter(CHARACTERISTICS["women"].condition(None)).exclude(
        session__kind__in=[SessionKind.BURNOUT_COUNSELLING, SessionKind.RESUSCITATION_REFRESHER]
    )
    assert women.count() > 2 * women.values("person").distinct().count()
    # Women registered for the project who were only ever absent or excused.
    never_present = (
        Attendance.objects.filter(session__project=project)
        .exclude(person__in=present.values("person"))
        .values("person")
        .distinct()
    )
    assert never_present.count() >= 4  # three women and one member of staff
    # Children who came at 3 or older (an extension stay) do not count; one turned 3 on the day.
    children = present.filter(with_adult__isnull=False)
    over_three = children.exclude(CHARACTERISTICS["children"].condition(3)).values("person")
    counted = children.filter(CHARACTERISTICS["children"].condition(3)).values("person")
    assert over_three.exclude(person__in=counted).distinct().count() == 3
    # Children who turned 3 during the project count: they came before their birthday.
    assert over_three.filter(person__in=counted).distinct().count() >= 5
    # Pregnant women at the trainings, led by a perinatal psychologist and a neonatologist.
    pregnant = Indicator(
        project=project,
        kind="participants",
        parameters={"characteristic": "pregnant", "session_kinds": ["training"]},
        target=0,
    )
    assert compute(pregnant).actual >= 12
    led_by = trainings.filter(status=SessionStatus.HELD, day_count=2).first()
    assert set(led_by.external_facilitators.values_list("family_name", flat=True)) == {
        "Лебедева",
        "Орлов",
    }
    # Prison officers came to the staff sessions but are not children's-home staff.
    assert present.filter(person__roles__role="prison_staff").values("person").distinct().count()


def test_relatives_of_convicts_figures():
    assert {name: int(actual) for name, (_target, actual) in figures("ACF-LT-2024").items()} == {
        "Regional communities informed, mobilised and involved": 22,
        "Participants of community meetings": 332,
        "Remote seminars for relatives": 3,
        "Relatives at remote seminars": 42,
        "Family days in prisons": 4,
        "People at family days": 38,
        "Specialists trained to work with relatives of convicts": 130,
        "Self-help groups of relatives initiated": 3,
        "Relatives in self-help groups": 18,
        # Counted from the demo's casework (kinbridge/demo/casework.py).
        "Relatives who received targeted assistance": 188,
    }
    targets = {name: int(target) for name, (target, _actual) in figures("ACF-LT-2024").items()}
    assert targets["Regional communities informed, mobilised and involved"] == 21
    assert targets["Specialists trained to work with relatives of convicts"] == 80
    assert targets["Self-help groups of relatives initiated"] == 3
    assert targets["Relatives in self-help groups"] == 18
    project = Project.objects.get(code="ACF-LT-2024")
    family_days = project.sessions.filter(kind=SessionKind.FAMILY_DAY)
    assert family_days.values("facility").distinct().count() == 2
    meetings = project.sessions.filter(kind=SessionKind.COMMUNITY_MEETING)
    named = Attendance.objects.filter(session__in=meetings).values("person").distinct().count()
    assert 0 < named < 332 - sum(meetings.values_list("unnamed_headcount", flat=True)) + 1
    groups = SessionSeries.objects.filter(sessions__project=project).distinct()
    assert [g.every_weeks for g in groups] == [2, 2, 2]


def test_kids_matter_course_handouts_parcels_waitlist_and_completion():
    project = Project.objects.get(code="KM-CHAS")
    today = timezone.localdate()
    finished, current = Course.objects.filter(project=project).order_by("created_at", "id")
    assert current.referring_partner.name == "Children Heard and Seen (CHAS)"
    sessions = current.sessions.order_by("start")
    assert sessions.count() == current.planned_sessions == 8
    starts = list(sessions.values_list("start_date", flat=True))
    assert all(b - a == dt.timedelta(weeks=1) for a, b in itertools.pairwise(starts))
    assert sessions.filter(status=SessionStatus.PLANNED, start_date__gte=today).exists()
    # A new handout each week; the held weeks' handouts reached everyone enrolled.
    assert Handout.objects.filter(session__course=current).count() == 8
    for session in sessions.filter(status=SessionStatus.HELD):
        assert session.handouts.get().receipts.count() >= 8
    # Parcels before the first session, one not sent yet.
    enrolments = current.enrolments.exclude(status=EnrolmentStatus.WAITLISTED)
    assert enrolments.filter(parcel_sent_on__isnull=True).count() == 1
    assert not enrolments.filter(parcel_sent_on__gte=starts[0]).exists()
    assert current.enrolments.filter(status=EnrolmentStatus.WAITLISTED).count() == 1
    withdrawn = current.enrolments.get(status=EnrolmentStatus.WITHDRAWN)
    assert withdrawn.withdrawal_reason
    # Last term: completed = attended at least 60% of the sessions.
    assert finished.completion_percent == 60
    needed = finished.planned_sessions * finished.completion_percent / 100
    attended = dict(
        Attendance.objects.filter(session__course=finished, status=AttendanceStatus.PRESENT)
        .values_list("person")
        .annotate(n=Count("id"))
    )
    active = finished.enrolments.filter(status=EnrolmentStatus.ENROLLED)
    completed = [e for e in active if attended.get(e.person_id, 0) >= needed]
    assert len(active) - 2 == len(completed) >= 0.6 * len(active)


def test_send_relief_classes_distributions_and_daycare():
    project = Project.objects.get(code="SR-CA")
    classes = project.sessions.filter(kind=SessionKind.CLASS)
    assert set(classes.values_list("module", flat=True)) == {
        "Literacy",
        "Financial wellness",
        "Birthing classes",
        "Craft club",
        "Book club",
    }
    distributions = project.sessions.filter(kind=SessionKind.DISTRIBUTION)
    series = SessionSeries.objects.filter(sessions__in=distributions).distinct().get()
    assert series.every_weeks == 6
    assert distributions.count() == series.occurrences == 9
    assert distributions.filter(status=SessionStatus.PLANNED).exists()
    first = distributions.filter(status=SessionStatus.HELD).order_by("start").first()
    assert first.attendance.filter(status=AttendanceStatus.PRESENT).count() >= 95
    assert int(figures("SR-CA")["Women receiving kits, warm clothes, food and diapers"][1]) == 100
    daycare = project.sessions.filter(kind=SessionKind.DAYCARE)
    assert daycare.filter(status=SessionStatus.HELD).exists()
    assert figures("SR-CA")["Children in preschool and daycare"][1] > 0
    assert project.facilities.get().region.country == "KG"


def test_visiting_mum_classes_and_family_days():
    results = figures("VM-2025")
    assert int(results["Parenting and relationship classes held"][1]) == 16
    assert int(results["Family days in the family room"][1]) == 12
    assert results["Children who visited their mothers on family days"][1] > 0
    assert Course.objects.filter(project__code="VM-2025").count() == 2


def test_demo_personas_see_their_projects_and_the_facilitator_has_rosters():
    def codes(username):
        user = User.objects.get(username=username)
        return set(Project.objects.visible_to(user).values_list("code", flat=True))

    assert codes("manager") == {"MBB-2025", "SR-CA"}
    assert codes("caseworker") == {"ACF-LT-2024", "VM-2025", "KM-CHAS"}
    assert codes("facilitator") == {"MBB-2025", "SR-CA"}
    facilitator = User.objects.get(username="facilitator")
    mine = Session.objects.with_rosters_for(facilitator)
    assert mine.filter(status=SessionStatus.HELD, project__code="MBB-2025").exists()
    assert mine.filter(status=SessionStatus.PLANNED, start__gte=timezone.now()).exists()
    assert Attendance.objects.visible_to(facilitator).filter(recorded_by=facilitator).exists()


def test_loading_the_demo_again_changes_nothing():
    models = [
        Person,
        PersonRole,
        PersonTeam,
        Relationship,
        Project,
        Indicator,
        Session,
        SessionSeries,
        Course,
        Enrolment,
        Attendance,
        Handout,
        HandoutReceipt,
        AuditEvent,
    ]
    before = [model.objects.count() for model in models]
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert [model.objects.count() for model in models] == before
    assert "0 seed programmes added" in output.getvalue()
    assert Project.objects.filter(Q(code__in=["MBB-2025", "ACF-LT-2024"])).count() == 2
