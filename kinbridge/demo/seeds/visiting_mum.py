"""Seed 002, Visiting Mum (Pact) at HMP Eastwood Park, April 2025 to March 2026.

Welsh children visit their mothers in the family room on family days, every
four weeks; mothers take parenting and relationship classes, a course of
eight weekly sessions, twice a year. Volunteers, transport and one-to-one
family casework are later issues (visits, casework) and are not sessions.
"""

from __future__ import annotations

import datetime as dt
import random

from kinbridge.accounts.models import Team, User
from kinbridge.demo import namebank
from kinbridge.demo.seeds import projects
from kinbridge.demo.seeds.writer import ABSENT, EXCUSED, PRESENT, Role, Writer, at
from kinbridge.people.models import Person, RelationshipKind
from kinbridge.people.models import PersonRoleKind as R
from kinbridge.programmes.models import (
    Audience,
    Course,
    EnrolmentStatus,
    PlaceKind,
    ProjectStatus,
    SessionKind,
    SessionSeries,
)

SEED = "002"
TEAM = "Family support Vilnius"
PRISON = ("HMP Eastwood Park", "Gloucestershire")
WEEK = dt.timedelta(weeks=1)
WELSH_FEMALE = ("Cerys", "Seren", "Ffion", "Rhian", "Bethan", "Sian", "Nia", "Carys", "Megan")
WELSH_MALE = ("Dylan", "Osian", "Rhys", "Gethin", "Ieuan", "Cai", "Owen", "Evan")
WELSH_FAMILY = (
    "Jones",
    "Williams",
    "Davies",
    "Evans",
    "Thomas",
    "Roberts",
    "Hughes",
    "Lewis",
    "Morgan",
    "Griffiths",
    "Price",
    "Rees",
    "Lloyd",
    "Powell",
)
CLASS_TOPICS = [
    "Being a mum from a distance",
    "Understanding your child's feelings",
    "Play and talk during visits",
    "Keeping in touch: letters, calls and visits",
    "Routines and boundaries",
    "Healthy relationships",
    "Managing stress and anger",
    "Planning for release and coming home",
]
# (title, first session): Thursday mornings in the education block.
COURSES = [
    ("Parenting and relationships: spring 2025", dt.date(2025, 4, 24)),
    ("Parenting and relationships: autumn 2025", dt.date(2025, 9, 18)),
]
FIRST_FAMILY_DAY = dt.date(2025, 4, 12)  # a Saturday, in the family-visit slot

PLAN = projects.Plan(
    team=TEAM,
    programme="Visiting Mum",
    programme_description=(
        "Pact's scheme for Welsh children visiting their mothers in prison: volunteers, "
        "transport, visits in the family room, family casework and parenting classes."
    ),
    website="https://www.prisonadvice.org.uk/",
    title="Visiting Mum at HMP Eastwood Park",
    code="VM-2025",
    start=dt.date(2025, 4, 1),
    end=dt.date(2026, 3, 31),
    status=ProjectStatus.CLOSED,
    currency="GBP",
    total_budget=84_600,
    fundings=[
        (
            "The National Lottery Community Fund (Wales)",
            "https://www.tnlcommunityfund.org.uk/",
            78_450,
        ),
        ("Pact (Prison Advice and Care Trust)", "https://www.prisonadvice.org.uk/", 6_150),
    ],
    budget=[
        ("Family engagement worker (0.6 FTE)", 29_400, 29_400),
        ("Parenting and relationship classes", 12_800, 12_260),
        ("Family days in the family room", 6_900, 7_140),
        ("Volunteers' expenses and transport for children's visits", 21_600, 20_980),
        ("Evaluation with a university", 7_500, 7_500),
        ("Management and overheads", 6_400, 6_400),
    ],
    facilities=[PRISON],
    regions=[("Gloucestershire", "GB")],
    description=(
        "Children from Wales visit their mothers at HMP Eastwood Park in the family room, "
        "supported by community volunteers; mothers take parenting and relationship classes "
        "to build skills and confidence before release."
    ),
    target_beneficiaries="Mothers at HMP Eastwood Park and their children in Wales.",
    kpis=[
        projects.KPI(
            "Parenting and relationship classes held",
            "sessions",
            16,
            {"session_kinds": [SessionKind.CLASS]},
        ),
        projects.KPI(
            "Mothers who took part in parenting and relationship classes",
            "participants",
            16,
            {"characteristic": "prisoners", "session_kinds": [SessionKind.CLASS]},
        ),
        projects.KPI(
            "Family days in the family room",
            "sessions",
            12,
            {"session_kinds": [SessionKind.FAMILY_DAY]},
        ),
        projects.KPI(
            "Children who visited their mothers on family days",
            "participants",
            20,
            {
                "characteristic": "children",
                "age_years": 18,
                "session_kinds": [SessionKind.FAMILY_DAY],
            },
        ),
    ],
)


class _Families:
    def __init__(self, writer: Writer, rng: random.Random):
        self.writer = writer
        self.rng = rng

    def mother(self) -> Person:
        rng = self.rng
        given = (
            rng.choice(WELSH_FEMALE) if rng.random() < 0.5 else namebank.pick(rng, "en", "female")
        )
        return self.writer.person(
            given,
            rng.choice(WELSH_FAMILY),
            gender="female",
            birth_date=dt.date(1984, 1, 1) + dt.timedelta(days=rng.randint(0, 15 * 365)),
            languages=rng.choice(["en", "en", "en, cy"]),
            roles=[Role(R.PRISONER, dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 450)))],
        )

    def visitors(self, mother: Person) -> tuple[list[Person], Person | None]:
        """The mother's children, and the carer who brings them (most have one)."""
        rng, kids = self.rng, []
        carer = None
        if rng.random() < 0.8:  # a grandmother or aunt who brings the children
            carer = self.writer.person(
                namebank.pick(rng, "en", "female"),
                mother.family_name if rng.random() < 0.6 else rng.choice(WELSH_FAMILY),
                gender="female",
                birth_date=dt.date(1962, 1, 1) + dt.timedelta(days=rng.randint(0, 15 * 365)),
                languages="en",
                roles=[Role(R.RELATIVE, dt.date(2024, 6, 1))],
            )
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            gender = rng.choice(["female", "male"])
            born = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randint(0, 13 * 365))
            child = self.writer.person(
                rng.choice(WELSH_FEMALE if gender == "female" else WELSH_MALE),
                mother.family_name,
                gender=gender,
                birth_date=born,
                languages="en",
                roles=[Role(R.CHILD, born)],
            )
            self.writer.link(child, mother, RelationshipKind.MOTHER, responsible=True)
            if carer is not None:
                self.writer.link(child, carer, RelationshipKind.CARER, responsible=True, lives=True)
            kids.append(child)
        return kids, carer


def load(demo: dict) -> bool:
    """Create the programme unless it is there; True when it was created."""
    if projects.existing(PLAN):
        return False
    project = projects.create(PLAN)
    team = Team.objects.get(name=TEAM)
    writer = Writer(team, recorded_by=User.objects.filter(username="coordinator").first())
    rng = random.Random(2025_002)  # noqa: S311  (reproducible demo data)
    families = _Families(writer, rng)
    prison = projects.facility(*PRISON)
    common = {"project": project, "place_kind": PlaceKind.FACILITY, "facility": prison}
    mothers = [families.mother() for _ in range(20)]
    _classes(writer, rng, team, project, common, mothers)
    _family_days(writer, rng, team, common, mothers[:12], families)
    counts = writer.flush()
    projects.audit(project, SEED, counts)
    return True


def _classes(writer, rng, team, project, common, mothers):
    """Two courses of eight weekly classes; one mother withdraws from each."""
    cohorts = [mothers[:10], mothers[8:18]]  # two mothers come back for the autumn course
    for (title, first), cohort in zip(COURSES, cohorts, strict=True):
        course = Course.objects.create(
            team=team,
            project=project,
            title=title,
            description="Parenting and relationship education before release.",
            planned_sessions=len(CLASS_TOPICS),
            capacity=10,
            completion_percent=60,
        )
        leaver = cohort[-1]
        left_on = first + 2 * WEEK + dt.timedelta(days=3)
        for person in cohort:
            fields = {"status": EnrolmentStatus.ENROLLED}
            if person is leaver:
                fields = {
                    "status": EnrolmentStatus.WITHDRAWN,
                    "withdrawn_on": left_on,
                    "withdrawal_reason": "Transferred to another prison.",
                }
            writer.enrol(course, person, enrolled_on=first - 2 * WEEK, **fields)
        for number, topic in enumerate(CLASS_TOPICS):
            day = first + number * WEEK
            session = writer.session(
                kind=SessionKind.CLASS,
                topic=topic,
                module=f"Session {number + 1} of {len(CLASS_TOPICS)}",
                course=course,
                start=at(day, "10:00"),
                end=at(day, "12:00"),
                audience=[Audience.MOTHERS, Audience.PRISONERS],
                capacity=10,
                **common,
            )
            for person in cohort:
                if person is leaver and day > left_on:
                    continue
                came = rng.random() < 0.8
                writer.attend(session, person, PRESENT if came else rng.choice([ABSENT, EXCUSED]))


def _family_days(writer, rng, team, common, mothers, families):
    """Every four weeks: mothers with their children and the carers who bring them."""
    series = SessionSeries.objects.create(
        team=team, title="Family days in the family room", every_weeks=4, occurrences=12
    )
    visitors = [families.visitors(mother) for mother in mothers]
    for number in range(series.occurrences):
        day = FIRST_FAMILY_DAY + number * 4 * WEEK
        session = writer.session(
            kind=SessionKind.FAMILY_DAY,
            topic="Family day: arts and crafts, play and lunch together",
            series=series,
            start=at(day, "10:00"),
            end=at(day, "13:00"),
            audience=[Audience.MOTHERS, Audience.CHILDREN, Audience.RELATIVES],
            capacity=30,
            **common,
        )
        for index, (mother, (children, carer)) in enumerate(zip(mothers, visitors, strict=True)):
            if (index + number) % 3 and rng.random() < 0.9:
                writer.attend(session, mother)
                for child in children:
                    writer.attend(session, child, with_adult=carer or mother)
                if carer is not None:
                    writer.attend(session, carer)
