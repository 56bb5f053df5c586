"""Seed 003, Kids Matter online groups with Children Heard and Seen (CHAS).

A running programme, dated from the day the demo is first loaded: last
term's course is over (eight weekly online sessions, all held); this term's
started four weeks ago, with sessions still to come. CHAS refers the
parents and carers. Each week brings a new handout, sent to everyone
enrolled; a parcel (booklets and a treat) goes to each parent before the
first session, and one parcel of this term has not been sent yet, so the
course page has a warning to show. One parent waits for a place, one
withdrew and said why. A parent completes the course by attending at least
60% of its sessions.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from kinbridge.accounts.models import Team
from kinbridge.demo import namebank
from kinbridge.demo.seeds import projects
from kinbridge.demo.seeds.writer import (
    ABSENT,
    EXCUSED,
    PRESENT,
    Role,
    Writer,
    at,
    weekday_on_or_before,
)
from kinbridge.lib.dates import add_months
from kinbridge.partners.models import Partner
from kinbridge.people.models import Person
from kinbridge.people.models import PersonRoleKind as R
from kinbridge.programmes.models import (
    AttendanceSource,
    Audience,
    Course,
    EnrolmentStatus,
    PlaceKind,
    ProjectStatus,
    SessionKind,
    SessionSeries,
)

SEED = "003"
TEAM = "Family support Vilnius"
CHAS = "Children Heard and Seen (CHAS)"
WEEK = dt.timedelta(weeks=1)
TUESDAY = 1
WEEKS = [
    "Welcome: our children, our hopes",
    "What children need from us",
    "Play and connection",
    "Feelings: theirs and ours",
    "Praise, boundaries and routines",
    "Talking with children about a parent in prison",
    "Looking after ourselves",
    "Celebrating and what comes next",
]


def plan(today: dt.date) -> projects.Plan:
    start = (today - dt.timedelta(days=150)).replace(day=1)
    return projects.Plan(
        team=TEAM,
        programme="Kids Matter with CHAS",
        programme_description=(
            "Termly online groups for parents and carers of children with a parent in "
            "prison, run with Children Heard and Seen, who refer the families."
        ),
        website="https://www.kidsmatter.org.uk/",
        title="Kids Matter online groups for carers of children with a parent in prison",
        code="KM-CHAS",
        start=start,
        end=add_months(start, 12) - dt.timedelta(days=1),
        status=ProjectStatus.ACTIVE,
        currency="GBP",
        total_budget=28_500,
        fundings=[
            ("BBC Children in Need", "https://www.bbcchildreninneed.co.uk/", 24_000),
            ("Kids Matter (own funds)", "https://www.kidsmatter.org.uk/", 4_500),
        ],
        budget=[
            ("Facilitators and group helpers", 15_600, 6_900),
            ("Parcels: booklets, handouts and a treat", 3_900, 1_850),
            ("Online meeting licence and equipment", 1_200, 1_200),
            ("Evaluation: measures before, after and three months later", 4_300, 1_100),
            ("Coordination with CHAS", 3_500, 1_450),
        ],
        regions=[("Oxfordshire", "GB")],
        description=(
            "Online groups of eight weekly sessions, each term, for parents and carers referred "
            "by CHAS: a new handout each week, a parcel before the first session, and "
            "standardised measures of parental confidence and wellbeing."
        ),
        target_beneficiaries=(
            "Parents and carers of children with a parent in prison, referred by CHAS."
        ),
        kpis=[
            projects.KPI(
                "Online group sessions held",
                "sessions",
                24,
                {"session_kinds": [SessionKind.COURSE_MEETING]},
            ),
            projects.KPI(
                "Parents and carers who took part",
                "participants",
                30,
                {"characteristic": "relatives", "session_kinds": [SessionKind.COURSE_MEETING]},
            ),
        ],
    )


def _carer(writer: Writer, rng: random.Random, since: dt.date) -> Person:
    gender = "female" if rng.random() < 0.85 else "male"
    return writer.person(
        namebank.pick(rng, "en", gender),
        namebank.pick(rng, "en", "family"),
        gender=gender,
        birth_date=dt.date(1962, 1, 1) + dt.timedelta(days=rng.randint(0, 35 * 365)),
        languages="en",
        roles=[Role(R.RELATIVE, since)],
    )


def load(demo: dict) -> bool:
    """Create the programme unless it is there; True when it was created."""
    today = timezone.localdate()
    seed_plan = plan(today)
    if projects.existing(seed_plan):
        return False
    project = projects.create(seed_plan)
    team = Team.objects.get(name=TEAM)
    writer = Writer(team)
    rng = random.Random(2026_003)  # noqa: S311  (reproducible demo data)
    chas = Partner.objects.filter(name=CHAS).first()
    facilitators = [
        writer.person(
            given,
            family,
            gender=gender,
            languages="en",
            roles=[Role(R.SPECIALIST, seed_plan.start)],
        )
        for given, family, gender in (("Meg", "Ellis", "female"), ("Ben", "Shaw", "male"))
    ]
    terms = [
        weekday_on_or_before(today - 20 * WEEK, TUESDAY),  # last term: over
        weekday_on_or_before(today - 4 * WEEK, TUESDAY),  # this term: half-way
    ]
    for number, first in enumerate(terms, start=1):
        course = Course.objects.create(
            team=team,
            project=project,
            title=f"Kids Matter online group: {first:%B %Y}",
            description="Eight weekly online sessions for parents and carers.",
            planned_sessions=len(WEEKS),
            capacity=10,
            completion_percent=60,
            referring_partner=chas,
            parcels=True,
        )
        series = SessionSeries.objects.create(
            team=team, title=course.title, every_weeks=1, occurrences=len(WEEKS)
        )
        _course(writer, rng, today, course, series, first, number, chas, facilitators)
    counts = writer.flush()
    projects.audit(project, SEED, counts)
    return True


def _course(writer, rng, today, course, series, first, number, chas, facilitators):
    carers = [_carer(writer, rng, first - 6 * WEEK) for _ in range(11)]
    enrolled, waiting = carers[:10], carers[10]
    leaver = enrolled[3]
    left_on = first + WEEK + dt.timedelta(days=2)  # after the second session
    unsent = enrolled[7] if number == 2 else None  # this term: one parcel not sent yet
    # Last term, two parents came too rarely to complete the course.
    rarely = {id(enrolled[5]): 3, id(enrolled[8]): 4} if number == 1 else {}
    for index, person in enumerate(enrolled):
        fields = {"status": EnrolmentStatus.ENROLLED}
        if person is leaver:
            fields = {
                "status": EnrolmentStatus.WITHDRAWN,
                "withdrawn_on": left_on,
                "withdrawal_reason": "Started a new job with evening shifts.",
            }
        writer.enrol(
            course,
            person,
            enrolled_on=first - dt.timedelta(days=30 - index),
            referred_by=chas if index % 5 else None,  # a few came on their own
            parcel_sent_on=None if person is unsent else first - dt.timedelta(days=7 + index % 3),
            **fields,
        )
    writer.enrol(
        course,
        waiting,
        status=EnrolmentStatus.WAITLISTED,
        waitlist_position=1,
        enrolled_on=first - dt.timedelta(days=3),
        referred_by=chas,
    )
    for week, topic in enumerate(WEEKS):
        day = first + week * WEEK
        session = writer.session(
            kind=SessionKind.COURSE_MEETING,
            topic=topic,
            module=f"Week {week + 1}",
            course=course,
            series=series,
            start=at(day, "19:00"),
            end=at(day, "20:30"),
            audience=[Audience.RELATIVES],
            capacity=10,
            place_kind=PlaceKind.ONLINE,
            online_link=f"https://meet.example.org/kids-matter-{course.pk}",
            specialists=facilitators,
            today=today,
        )
        handout = writer.handout(session, f"Week {week + 1}: {topic}")
        if day >= today:
            continue  # planned: the handout is ready, nobody has it yet
        for person in enrolled:
            if person is leaver and day > left_on:
                continue
            writer.receipt(handout, person, day)  # e-mailed to everyone enrolled
            limit = rarely.get(id(person))
            came = week < limit if limit is not None else week == 0 or rng.random() < 0.85
            status = PRESENT if came else rng.choice([ABSENT, EXCUSED])
            writer.attend(session, person, status, source=AttendanceSource.SCREEN)
