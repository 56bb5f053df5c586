"""Demo casework: the one-to-one work of seeds 001, 002 and 000, and a working queue.

* Seed 001 (relatives of convicts in Lithuania): targeted assistance —
  counselling, information, mediation, representation, escort — for 171
  relatives, 17 of whom brought a child who received counselling too: the
  project's indicator "targeted assistance to 188 persons" is computed from
  these services (see docs/casework.md). Around them, what must not count:
  clients seen only for casework contacts, long-term cases' services after
  the project ended, and new cases after it, which belong to no project.
* Seed 002 (Visiting Mum): family casework with twelve of the mothers, their
  children and the carers who bring them linked; needs, a plan, services in
  prison.
* Seed 000 (Mom Behind Bars): individual psychological support for mothers in
  the colonies, a few with a risk-of-child-abandonment flag and its reasons.
* The intake queue (partner, prison staff, self-referral, the public form with
  no team yet), declined referrals, tasks for the caseworkers (some overdue,
  some due today, so the navigation badge and the digest have something), and
  ordinary and confidential notes.

Past work has fixed dates and comes from a fixed random seed; the queue and the
tasks are dated from the day the demo is loaded. Idempotent: once the seed 001
project has cases, nothing is added. Rows are written with bulk_create (a few
hundred cases load in about a second).
"""

from __future__ import annotations

import random

from django.utils import timezone

from kinbridge.accounts.models import Team, User
from kinbridge.audit.actions import record_created
from kinbridge.casework.models import (
    Case,
    CaseType,
    ContactSafety,
    NeedType,
    Referral,
    ReferralSource,
    ReferralStatus,
)
from kinbridge.casework.needs import ensure_built_in_needs
from kinbridge.demo import casework_seeds
from kinbridge.demo.casework_book import DAY, Book
from kinbridge.demo.seeds import mom_behind_bars, projects, relatives_lt, visiting_mum
from kinbridge.demo.seeds.writer import at
from kinbridge.facilities.models import Facility
from kinbridge.partners.models import Partner
from kinbridge.programmes.indicators import KINDS
from kinbridge.programmes.models import Indicator, Project

VILNIUS, COLONIES = relatives_lt.TEAM, mom_behind_bars.TEAM


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def load(demo: dict) -> int:
    """Add the demo casework unless it is there; return the number of cases added."""
    relatives = projects.existing(relatives_lt.PLAN)
    if relatives is None:
        return 0
    _ensure_targeted_indicator(relatives)
    if Case.objects.filter(project=relatives).exists():
        return 0
    book = Book(timezone.localdate())
    rng = random.Random(2026_005)  # noqa: S311  (reproducible demo data)
    ensure_built_in_needs()
    needs = {need.code: need for need in NeedType.objects.all()}
    caseworker, caseworker2, manager = (_user(u) for u in ("caseworker", "caseworker2", "manager"))
    vilnius, colonies = Team.objects.get(name=VILNIUS), Team.objects.get(name=COLONIES)
    casework_seeds.seed_001(book, rng, relatives, vilnius, caseworker, demo, needs)
    mothers = projects.existing(visiting_mum.PLAN)
    if mothers is not None:
        casework_seeds.seed_002(book, rng, mothers, vilnius, caseworker, needs)
    colony_project = projects.existing(mom_behind_bars.PLAN)
    if colony_project is not None:
        casework_seeds.seed_000(
            book, rng, colony_project, colonies, caseworker2, manager, demo, needs
        )
    _queue(book, vilnius, colonies, caseworker, caseworker2)
    counts = book.flush()
    record_created(None, relatives, extra={"demo_casework": counts})
    return counts["cases"]


def _ensure_targeted_indicator(project: Project) -> None:
    """A project loaded before casework existed gets its casework indicator."""
    kpi = relatives_lt.TARGETED_ASSISTANCE
    if not project.indicators.filter(kind=kpi.kind).exists():
        Indicator.objects.create(
            project=project,
            name=kpi.name,
            kind=kpi.kind,
            parameters=KINDS[kpi.kind].clean_parameters(kpi.parameters),
            target=kpi.target,
            position=project.indicators.count() + 1,
        )


# --- The intake queue ----------------------------------------------------------------


def _queue(book, vilnius, colonies, caseworker, caseworker2):
    today = book.today
    partner = Partner.objects.filter(name__startswith="Artimųjų pagalbos tinklas").first()
    colony = Facility.objects.filter(name="IK-15").first()

    def referral(**fields):
        received = fields.pop("received_on")
        book.referrals.append(
            Referral(reference=book.reference("R"), received_on=received, **fields)
        )

    if partner is not None:
        referral(
            source=ReferralSource.PARTNER,
            partner=partner,
            team=vilnius,
            referrer_name="Rasa Vaitkutė",
            received_on=today - 2 * DAY,
            given_name="Jurgita",
            family_name="Paulauskienė",
            phone="+370 612 34 567",
            contact_safety=ContactSafety.SAFE,
            case_type=CaseType.TARGETED_ASSISTANCE,
            needs=["emotional_support", "talking_to_children"],
            description="Her husband was sentenced last week; two children, 6 and 9.",
            consent_to_contact=True,
        )
    referral(
        source=ReferralSource.PRISON_STAFF,
        facility=colony,
        team=colonies,
        referrer_name="Тихонова Елена Юрьевна",
        received_on=today - 5 * DAY,
        given_name="Дарья",
        family_name="Кузнецова",
        contact_safety=ContactSafety.NOT_KNOWN,
        case_type=CaseType.PSYCHOLOGICAL_SUPPORT,
        needs=["abandonment_risk"],
        description="Pregnant, due in two months; says she may leave the baby to the state.",
    )
    referral(
        source=ReferralSource.SELF,
        team=vilnius,
        received_on=today - DAY,
        given_name="Vida",
        phone="+370 655 11 222",
        contact_safety=ContactSafety.CALL_ONLY,
        safe_contact_note="Weekdays after 18:00; do not leave messages.",
        case_type=CaseType.TARGETED_ASSISTANCE,
        needs=["justice_information"],
        description="Her son is on remand; she does not know how visits work.",
        consent_to_contact=True,
    )
    referral(
        source=ReferralSource.PUBLIC_FORM,
        received_on=today,
        given_name="Anna",
        email="anna.request@example.org",
        contact_safety=ContactSafety.WRITE_ONLY,
        language="en",
        needs=["contact_visits", "financial"],
        description="My sister is in prison and I look after her two boys. I need advice.",
        consent_to_contact=True,
    )
    decided = at(today - 10 * DAY, "11:00")
    referral(
        source=ReferralSource.SELF,
        team=vilnius,
        received_on=today - 14 * DAY,
        given_name="Marius",
        status=ReferralStatus.DECLINED,
        decided_at=decided,
        decided_by=caseworker,
        decline_reason="Lives in Latvia; referred to a local service by phone.",
    )
    referral(
        source=ReferralSource.PRISON_STAFF,
        facility=colony,
        team=colonies,
        received_on=today - 30 * DAY,
        given_name="Мария",
        family_name="Иванова",
        status=ReferralStatus.DECLINED,
        decided_at=at(today - 28 * DAY, "10:00"),
        decided_by=caseworker2,
        decline_reason="Already our client: her case is open (a duplicate referral).",
    )
