"""The demo casework's rows, collected in memory and written with bulk_create.

A case's history (referred, assessed, active, closing, closed) is written as the
timeline events the workflow actions would write, dated on the days they happened;
services, notes and plans carry their own past dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kinbridge.casework.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CaseMember,
    CaseNeed,
    CaseOutcome,
    CaseStatus,
    CaseWorker,
    ClosureReason,
    Goal,
    Note,
    PlanReview,
    Referral,
    RiskFlag,
    Service,
    ServiceMode,
    ServiceType,
    Task,
    TaskStatus,
)
from kinbridge.demo.seeds.writer import at
from kinbridge.lib.codes import reference_code

DAY = dt.timedelta(days=1)

MODES = {
    ServiceType.COUNSELLING: [ServiceMode.IN_PERSON, ServiceMode.PHONE, ServiceMode.ONLINE],
    ServiceType.INFORMATION: [ServiceMode.PHONE, ServiceMode.IN_PERSON, ServiceMode.ONLINE],
    ServiceType.MEDIATION: [ServiceMode.IN_PERSON, ServiceMode.IN_PRISON],
    ServiceType.REPRESENTATION: [ServiceMode.IN_PERSON],
    ServiceType.ESCORT: [ServiceMode.IN_PERSON],
    ServiceType.CONTACT: [ServiceMode.PHONE, ServiceMode.IN_PRISON, ServiceMode.IN_PERSON],
    ServiceType.TRANSPORT: [ServiceMode.IN_PERSON],
    ServiceType.ADVOCACY: [ServiceMode.IN_PERSON, ServiceMode.PHONE],
    ServiceType.PSYCHOLOGICAL: [ServiceMode.IN_PRISON],
}
SERVICE_NOTES = {
    ServiceType.COUNSELLING: [
        "Talked through the shame she feels at work; agreed a next step.",
        "Grief and anger after the sentence; breathing exercises practised.",
        "How to answer the neighbours' questions; felt calmer at the end.",
    ],
    ServiceType.INFORMATION: [
        "Explained how parole hearings work and what the family can send.",
        "Visiting rules of the prison, parcels and phone cards.",
        "What the probation service does after release.",
    ],
    ServiceType.MEDIATION: [
        "Long-term visit arranged after two months without contact.",
        "Mediated with the school about the child's absence on visiting days.",
    ],
    ServiceType.REPRESENTATION: [
        "Went with her to the social services office about the benefit.",
        "Letter to the prison administration about a refused visit.",
    ],
    ServiceType.ESCORT: [
        "Accompanied her and the children on their first prison visit.",
        "Escort to the court hearing.",
    ],
    ServiceType.CONTACT: ["Phoned to check in.", "Left a message; she called back."],
    ServiceType.TRANSPORT: ["Drove the children and their grandmother to the visit."],
    ServiceType.ADVOCACY: ["Asked the prison to move the visit to a weekend."],
    ServiceType.PSYCHOLOGICAL: [
        "Individual session: fears about the baby's future after the age of three.",
        "Individual session: bonding and feeding; she is more confident.",
        "Individual session: tension with the children's-home staff.",
    ],
}
CLOSURES = [
    (ClosureReason.GOALS_MET, CaseOutcome.IMPROVED, "The family copes on its own now."),
    (ClosureReason.GOALS_MET, CaseOutcome.IMPROVED, "Visits are regular; she feels stronger."),
    (ClosureReason.GOALS_MET, CaseOutcome.PARTLY_IMPROVED, "Contact restored; money is tight."),
    (ClosureReason.CLIENT_ENDED, CaseOutcome.PARTLY_IMPROVED, "She asked to pause the work."),
    (ClosureReason.REFERRED_ON, CaseOutcome.UNCHANGED, "Referred on for debt advice."),
    (ClosureReason.MOVED_AWAY, CaseOutcome.NOT_KNOWN, "Moved to Kaunas with the children."),
    (ClosureReason.RELEASED, CaseOutcome.IMPROVED, "Her husband is home; follow-up done."),
]
NOTES = [
    "Home visit: the flat is warm, the children were shy but talked about school.",
    "Called the prison social worker about the visiting schedule.",
    "Agreed to meet every two weeks until the hearing.",
    "She asked for the self-help group's dates; sent them by message.",
]
CONFIDENTIAL_NOTES = [
    "She disclosed debts to people she is afraid of; not to be shared with the family.",
    "The eldest son has started skipping school; she does not want the school told yet.",
    "History of violence from the partner before his arrest; safety plan discussed.",
]


@dataclass
class Book:
    """One load's casework rows, collected in memory and written parents first."""

    today: dt.date
    cases: list[Case] = field(default_factory=list)
    workers: list[CaseWorker] = field(default_factory=list)
    members: list[CaseMember] = field(default_factory=list)
    events: list[tuple[CaseEvent, dt.date]] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    notes: list[tuple[Note, dt.date]] = field(default_factory=list)
    needs: list[CaseNeed] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    reviews: list[PlanReview] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    flags: list[RiskFlag] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)

    def __post_init__(self):
        self._references = set(Case.objects.values_list("reference", flat=True))
        self._references |= set(Referral.objects.values_list("reference", flat=True))

    def reference(self, prefix: str) -> str:
        code = reference_code(prefix)
        while code in self._references:
            code = reference_code(prefix)
        self._references.add(code)
        return code

    def case(self, client, team, case_type, lead, opened_on, *, project=None, summary=""):
        case = Case(
            reference=self.reference("C"),
            client=client,
            team=team,
            case_type=case_type,
            project=project,
            lead_worker=lead,
            opened_on=opened_on,
            summary=summary,
            status=CaseStatus.REFERRED,
            created_by=lead,
        )
        self.cases.append(case)
        self.event(case, opened_on, CaseEventKind.OPENED, lead, to=CaseStatus.REFERRED)
        return case

    def event(self, case, day, kind, by, *, frm="", to="", reason=""):
        event = CaseEvent(case=case, kind=kind, from_status=frm, to_status=to, reason=reason, by=by)
        self.events.append((event, day))

    def move(self, case, day, to, by, reason=""):
        """The case moves along the workflow on ``day``."""
        kind = CaseEventKind.CLOSED if to == CaseStatus.CLOSED else CaseEventKind.STATUS
        self.event(case, day, kind, by, frm=case.status, to=to, reason=reason)
        case.status = to

    def progress(self, case, rng, *, until: dt.date) -> dt.date:
        """Referred, assessed, active: the day the work started (before ``until``)."""
        assessed = min(case.opened_on + rng.randint(1, 6) * DAY, until)
        self.move(case, assessed, CaseStatus.ASSESSMENT, case.lead_worker)
        active = min(assessed + rng.randint(3, 14) * DAY, until)
        self.move(case, active, CaseStatus.ACTIVE, case.lead_worker)
        return active

    def close(self, case, day, closure, by):
        reason, outcome, note = closure
        self.move(case, max(day - 10 * DAY, case.opened_on), CaseStatus.CLOSING, by)
        case.closed_on, case.closure_reason, case.outcome = day, reason, outcome
        case.outcome_note = note
        self.move(case, day, CaseStatus.CLOSED, by, reason=note)

    def service(self, case, rng, day, service_type, *, recipient=None, minutes=None, mode=None):
        self.services.append(
            Service(
                case=case,
                service_type=service_type,
                mode=mode or rng.choice(MODES[service_type]),
                date=day,
                duration_minutes=minutes or rng.choice([20, 30, 45, 60, 90]),
                worker=case.lead_worker,
                recipient=recipient or case.client,
                note=rng.choice(SERVICE_NOTES[service_type]),
                created_by=case.lead_worker,
            )
        )

    def note(self, case, day, body, *, confidential=False):
        note = Note(case=case, body=body, confidential=confidential, author=case.lead_worker)
        self.notes.append((note, day))

    def task(self, case, assignee, title, due_on, *, done=False):
        self.tasks.append(
            Task(
                case=case,
                title=title,
                due_on=due_on,
                assignee=assignee,
                created_by=assignee,
                status=TaskStatus.DONE if done else TaskStatus.OPEN,
                completed_at=at(due_on, "16:00") if done else None,
                completed_by=assignee if done else None,
            )
        )

    def flush(self) -> dict[str, int]:
        Case.objects.bulk_create(self.cases)
        CaseWorker.objects.bulk_create(self.workers)
        CaseMember.objects.bulk_create(self.members)
        events = [event for event, _day in self.events]
        CaseEvent.objects.bulk_create(events)
        for event, day in self.events:  # auto_now_add stamped them now
            event.at = at(day, "12:00")
        CaseEvent.objects.bulk_update(events, ["at"], batch_size=500)
        Service.objects.bulk_create(self.services, batch_size=1000)
        notes = [note for note, _day in self.notes]
        Note.objects.bulk_create(notes)
        for note, day in self.notes:
            note.created_at = note.updated_at = at(day, "17:30")
        Note.objects.bulk_update(notes, ["created_at", "updated_at"], batch_size=500)
        CaseNeed.objects.bulk_create(self.needs)
        Goal.objects.bulk_create(self.goals)
        PlanReview.objects.bulk_create(self.reviews)
        Task.objects.bulk_create(self.tasks)
        RiskFlag.objects.bulk_create(self.flags)
        Referral.objects.bulk_create(self.referrals)
        return {
            "cases": len(self.cases),
            "services": len(self.services),
            "notes": len(self.notes),
            "tasks": len(self.tasks),
            "referrals": len(self.referrals),
        }


def days_between(rng, start: dt.date, end: dt.date, count: int) -> list[dt.date]:
    span = max((end - start).days, 0)
    return sorted(start + rng.randint(0, span) * DAY for _ in range(count))
