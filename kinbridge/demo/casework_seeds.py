"""The casework of seeds 001, 002 and 000 (see :mod:`kinbridge.demo.casework`)."""

from __future__ import annotations

import datetime as dt

from kinbridge.casework.models import (
    AbandonmentReason,
    CaseEventKind,
    CaseMember,
    CaseNeed,
    CaseOutcome,
    CaseStatus,
    CaseType,
    CaseWorker,
    ClosureReason,
    Goal,
    GoalStatus,
    NeedStatus,
    PlanReview,
    RiskFlag,
    RiskKind,
    ServiceMode,
    ServiceType,
)
from kinbridge.demo import namebank
from kinbridge.demo.casework_book import CLOSURES, CONFIDENTIAL_NOTES, DAY, NOTES, days_between
from kinbridge.demo.seeds import mom_behind_bars, relatives_lt
from kinbridge.demo.seeds.writer import Role, Writer
from kinbridge.people.models import Person, PersonRoleKind, Relationship, RelationshipKind
from kinbridge.programmes.models import Attendance, AttendanceStatus

# Seed 001: who is counted in "targeted assistance to 188 persons".
TARGETED = relatives_lt.TARGETED_ASSISTANCE.parameters["service_types"]
NEW_RELATIVES = 170  # plus Šarūnė Kazlauskienė of the demo registry: 171 clients
CHILDREN_SERVED = 17  # a child of the client received counselling too: 188 persons
DROPPED_OUT = 6  # only casework contacts before they stopped answering: not counted
LONG_TERM = 14  # still open today; their later services fall after the project
AFTER_PROJECT = 5  # opened after the project ended, with no project

SUMMARIES = [
    "The child's parent is serving a sentence; bringing up the child alone.",
    "A son was sentenced last month; the family does not know what to expect.",
    "Visits stopped after a transfer to another prison; the child asks why.",
    "Debts since the arrest; neighbours and the school talk.",
]

# --- Seed 001: targeted assistance for relatives --------------------------------------


def _relatives(rng, writer: Writer, count: int, since: dt.date) -> list[tuple[Person, Person]]:
    """Relatives with a child each (the child links to them as to a mother or father)."""
    families = []
    for _ in range(count):
        gender = "female" if rng.random() < 0.85 else "male"
        surname = namebank.pick(rng, "lt", "family")
        relative = writer.person(
            namebank.pick(rng, "lt", gender),
            namebank.family_name("lt", surname, gender, married=True),
            gender=gender,
            birth_date=dt.date(1965, 1, 1) + rng.randint(0, 30 * 365) * DAY,
            languages="lt" if rng.random() < 0.85 else "lt, ru",
            roles=[Role(PersonRoleKind.RELATIVE, since - rng.randint(30, 900) * DAY)],
        )
        child_gender = rng.choice(["female", "male"])
        born = dt.date(2008, 1, 1) + rng.randint(0, 12 * 365) * DAY
        child = writer.person(
            namebank.pick(rng, "lt", child_gender),
            namebank.family_name("lt", surname, child_gender),
            gender=child_gender,
            birth_date=born,
            languages="lt",
            roles=[Role(PersonRoleKind.CHILD, born)],
        )
        parent = RelationshipKind.MOTHER if gender == "female" else RelationshipKind.FATHER
        writer.link(child, relative, parent, responsible=True, lives=True)
        families.append((relative, child))
    return families


def seed_001(book, rng, project, team, worker, demo, needs):
    start, end = project.start, project.end
    writer = Writer(team, recorded_by=worker)
    families = _relatives(rng, writer, NEW_RELATIVES + DROPPED_OUT + AFTER_PROJECT, start)
    writer.flush()
    sarune, ugne = demo.get("sarune"), demo.get("ugne")
    counted = families[:NEW_RELATIVES]
    if sarune is not None:
        counted.append((sarune, ugne))
    for number, (client, child) in enumerate(counted):
        opened = start + rng.randint(0, (end - start).days - 45) * DAY
        case = book.case(
            client,
            team,
            CaseType.TARGETED_ASSISTANCE,
            worker,
            opened,
            project=project,
            summary=rng.choice(SUMMARIES),
        )
        active = book.progress(case, rng, until=end)
        book.needs.append(
            CaseNeed(case=case, need=needs["emotional_support"], identified_on=case.opened_on)
        )
        long_term = number < LONG_TERM
        last = book.today - 10 * DAY if long_term else min(active + rng.randint(20, 240) * DAY, end)
        # The first service is targeted assistance within the project: every client counts.
        book.service(case, rng, active, rng.choice(TARGETED))
        for day in days_between(rng, active, last, rng.randint(0, 5)):
            kind = rng.choices([*TARGETED, ServiceType.CONTACT], [35, 25, 12, 10, 8, 10])[0]
            book.service(case, rng, day, kind)
        if number < CHILDREN_SERVED and child is not None:
            book.members.append(CaseMember(case=case, person=child, role_in_case="child"))
            book.service(
                case, rng, min(active + 14 * DAY, end), ServiceType.COUNSELLING, recipient=child
            )
        if number % 7 == 0:
            book.note(case, active, rng.choice(NOTES))
        if number % 23 == 0:
            book.note(case, active + DAY, rng.choice(CONFIDENTIAL_NOTES), confidential=True)
        if long_term:  # still seen today, long after the project ended
            book.service(case, rng, last, ServiceType.COUNSELLING)
            continue
        closed = min(last + rng.randint(7, 40) * DAY, book.today)
        if number == LONG_TERM:  # closed, then reopened when the partner was released
            book.close(case, closed, CLOSURES[0], worker)
            reopened = closed + 60 * DAY
            book.event(
                case,
                reopened,
                CaseEventKind.REOPENED,
                worker,
                frm=CaseStatus.CLOSED,
                to=CaseStatus.ASSESSMENT,
                reason="Her partner was released and the family is struggling again.",
            )
            case.status, case.closed_on = CaseStatus.ASSESSMENT, None
            case.closure_reason = case.outcome = case.outcome_note = ""
        elif number < LONG_TERM + 4:
            book.move(case, last + DAY, CaseStatus.CLOSING, worker)
        else:
            book.close(case, closed, rng.choice(CLOSURES), worker)
    # Seen only for casework contacts, then lost: in the project, not counted.
    dropped = families[NEW_RELATIVES : NEW_RELATIVES + DROPPED_OUT]
    for client, _child in dropped:
        opened = start + rng.randint(30, 400) * DAY
        case = book.case(
            client, team, CaseType.TARGETED_ASSISTANCE, worker, opened, project=project
        )
        active = book.progress(case, rng, until=end)
        book.service(case, rng, active, ServiceType.CONTACT)
        book.close(
            case, active + 45 * DAY, (ClosureReason.LOST_CONTACT, CaseOutcome.NOT_KNOWN, ""), worker
        )
    # After the project: no project, so no seed 001 figures.
    for client, _child in families[NEW_RELATIVES + DROPPED_OUT :]:
        opened = end + rng.randint(30, (book.today - end).days - 20) * DAY
        case = book.case(client, team, CaseType.TARGETED_ASSISTANCE, worker, opened)
        active = book.progress(case, rng, until=book.today)
        book.service(case, rng, active, rng.choice(TARGETED))
    cases = book.cases
    book.task(cases[0], worker, "Call about the long-term visit request", book.today - 3 * DAY)
    book.task(cases[1], worker, "Send the parole hearing checklist", book.today - DAY)
    book.task(cases[2], worker, "Plan review with the family", book.today)
    book.task(cases[3], worker, "Escort to the prison visit", book.today + 4 * DAY)
    book.task(cases[4], worker, "Ask the school for a meeting", book.today + 9 * DAY)
    book.task(cases[5], worker, "Check the benefit decision", book.today - 20 * DAY, done=True)


# --- Seed 002: family casework with mothers at HMP Eastwood Park ----------------------


def seed_002(book, rng, project, team, worker, needs):
    mothers = list(
        Person.objects.filter(
            attendance__session__project=project,
            attendance__status=AttendanceStatus.PRESENT,
            roles__role=PersonRoleKind.PRISONER,
        )
        .distinct()
        .order_by("id")[:12]
    )
    children = Relationship.objects.filter(
        relative__in=mothers, kind=RelationshipKind.MOTHER
    ).select_related("person")
    carers = Relationship.objects.filter(
        person__in=[link.person_id for link in children], kind=RelationshipKind.CARER
    ).select_related("relative")
    family: dict[int, dict[int, tuple[Person, str]]] = {m.pk: {} for m in mothers}
    carer_of = {link.person_id: link.relative for link in carers}
    for link in children:
        role = "daughter" if link.person.gender == "female" else "son"
        family[link.relative_id][link.person_id] = (link.person, role)
        carer = carer_of.get(link.person_id)
        if carer is not None:
            family[link.relative_id][carer.pk] = (carer, "carer who brings the children")
    start = project.start
    plan_needs = ["contact_visits", "talking_to_children", "release", "schooling", "housing"]
    for number, mother in enumerate(mothers):
        opened = start + rng.randint(0, 150) * DAY
        case = book.case(
            mother,
            team,
            CaseType.FAMILY_CASEWORK,
            worker,
            opened,
            project=project,
            summary="Mother at HMP Eastwood Park; the children live with family in Wales.",
        )
        active = book.progress(case, rng, until=book.today)
        carer = None
        for person, role in family[mother.pk].values():
            book.members.append(CaseMember(case=case, person=person, role_in_case=role))
            if role.startswith("carer"):
                carer = person
        for position, code in enumerate(rng.sample(plan_needs, 3)):
            need = CaseNeed(
                case=case,
                need=needs[code],
                severity=rng.choice([2, 3, 3, 4]),
                identified_on=active,
                status=NeedStatus.MET if number < 4 and position == 0 else NeedStatus.OPEN,
            )
            book.needs.append(need)
            book.goals.append(
                Goal(
                    case=case,
                    need=need,
                    description=GOALS[code],
                    target_date=active + rng.randint(60, 200) * DAY,
                    status=GoalStatus.ACHIEVED if number < 4 else rng.choice(GOAL_PROGRESS),
                )
            )
        review = active + 90 * DAY
        book.reviews.append(
            PlanReview(
                case=case,
                reviewed_on=review,
                next_review_on=review + 90 * DAY,
                note="Reviewed with her in the visits hall.",
                by=worker,
            )
        )
        last = min(active + rng.randint(150, 330) * DAY, book.today - 5 * DAY)
        for day in days_between(rng, active, last, rng.randint(4, 9)):
            kind = rng.choice(
                [
                    ServiceType.CONTACT,
                    ServiceType.CONTACT,
                    ServiceType.COUNSELLING,
                    ServiceType.INFORMATION,
                ]
            )
            book.service(case, rng, day, kind, mode=ServiceMode.IN_PRISON)
        if carer is not None:
            book.service(case, rng, active + 20 * DAY, ServiceType.TRANSPORT, recipient=carer)
        if number % 3 == 0:
            book.note(
                case,
                active,
                "Met her in the visits hall; she wants to write to the children every week.",
            )
        if number == 1:
            book.note(case, active + 2 * DAY, CONFIDENTIAL_NOTES[2], confidential=True)
        if number < 4:
            book.close(
                case,
                min(last + 20 * DAY, book.today),
                (
                    ClosureReason.RELEASED,
                    CaseOutcome.IMPROVED,
                    "Released; living with her mother and the children.",
                ),
                worker,
            )
        elif number == 4:
            book.move(case, last, CaseStatus.CLOSING, worker)
        elif number == 5:
            book.task(case, worker, "Book the family room for the next visit", book.today - 2 * DAY)


GOALS = {
    "contact_visits": "Monthly visits with the children in the family room.",
    "talking_to_children": "The children know, in words for their age, where their mum is.",
    "release": "A place to live and a GP registered before release.",
    "schooling": "The school knows and supports the eldest on visiting days.",
    "housing": "The housing application is in before release.",
}
GOAL_PROGRESS = [GoalStatus.PLANNED, GoalStatus.IN_PROGRESS, GoalStatus.IN_PROGRESS]


# --- Seed 000: psychological support for mothers in the colonies ----------------------


def seed_000(book, rng, project, team, worker, manager, demo, needs):
    present = (
        Attendance.objects.filter(
            session__project=project,
            status=AttendanceStatus.PRESENT,
            person__roles__role=PersonRoleKind.PRISONER,
        )
        .values_list("person_id", "session__facility__name")
        .order_by("person_id", "session__start")
    )
    colony_of: dict[int, str] = {}
    for person_id, colony in present:
        colony_of.setdefault(person_id, colony)
    chosen = sorted(colony_of)[:15]
    mothers = list(Person.objects.filter(pk__in=chosen).order_by("id"))
    maria = demo.get("maria")
    if maria is not None and maria.pk not in chosen:
        mothers.append(maria)
        colony_of.setdefault(maria.pk, "IK-15")
    leads = [worker, worker, manager] if manager else [worker]
    flags = 0
    for number, mother in enumerate(mothers):
        lead = leads[number % len(leads)] or worker
        visits = mom_behind_bars.VISITS.get(colony_of[mother.pk], mom_behind_bars.VISITS["IK-15"])
        opened = visits[0]
        case = book.case(
            mother,
            team,
            CaseType.PSYCHOLOGICAL_SUPPORT,
            lead,
            opened,
            project=project,
            summary="Individual psychological support during the project's visits to the colony.",
        )
        book.progress(case, rng, until=visits[0] + DAY)
        if lead is not manager and manager is not None and number % 2 == 0:
            book.workers.append(CaseWorker(case=case, user=manager))
        for visit in visits:
            book.service(case, rng, visit + DAY, ServiceType.PSYCHOLOGICAL, minutes=50)
        book.needs.append(
            CaseNeed(case=case, need=needs["emotional_support"], identified_on=opened)
        )
        is_maria = maria is not None and mother.pk == maria.pk
        if is_maria:
            for relative in (demo.get("artyom"), demo.get("galina")):
                if relative is not None:
                    role = "son" if relative is demo.get("artyom") else "grandmother"
                    book.members.append(CaseMember(case=case, person=relative, role_in_case=role))
        if number in (1, 4, 9) or is_maria:
            book.needs.append(
                CaseNeed(
                    case=case,
                    need=needs["abandonment_risk"],
                    severity=4,
                    identified_on=visits[0] + DAY,
                )
            )
            book.flags.append(
                RiskFlag(
                    case=case,
                    kind=RiskKind.CHILD_ABANDONMENT,
                    reasons=ABANDONMENT[flags % len(ABANDONMENT)],
                    raised_on=visits[0] + DAY,
                    raised_by=lead,
                    note="She spoke of signing the child over to the state.",
                    resolved_on=visits[1] + DAY if number == 1 else None,
                    resolved_by=lead if number == 1 else None,
                    resolution_note="Her mother now visits; she keeps the baby."
                    if number == 1
                    else "",
                )
            )
            flags += 1
            book.note(
                case,
                visits[0] + DAY,
                "Her fears are written in the flag; agreed to talk again at the next visit.",
                confidential=True,
            )
        if visits[-1] + 30 * DAY < book.today and number % 4 == 3:
            book.close(
                case,
                visits[-1] + 30 * DAY,
                (
                    ClosureReason.GOALS_MET,
                    CaseOutcome.IMPROVED,
                    "The project's visits ended; she has the specialists' contacts.",
                ),
                lead,
            )
        elif number == 2:
            book.task(case, lead, "Agree the next visit with the colony", book.today + 6 * DAY)
        elif number == 4:
            book.task(case, lead, "Write to the colony about the next visit", book.today)
        elif number == 6:
            book.task(case, lead, "Send the booklet-diary to her", book.today - 5 * DAY)


ABANDONMENT = [
    [AbandonmentReason.NO_FAMILY_SUPPORT],
    [AbandonmentReason.NO_FAMILY_SUPPORT, AbandonmentReason.MOTHERS_UNCERTAINTY],
    [AbandonmentReason.STAFF_ATTITUDE],
    [AbandonmentReason.MOTHERS_UNCERTAINTY],
]
