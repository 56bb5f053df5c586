"""Seed 004, Send Relief in a women's prison in Central Asia.

A running programme, dated from the day the demo is first loaded (it began
about seven months before): every six weeks volunteers hand out hygiene
kits, jackets, socks, heaters, food and diapers to the 100 women; literacy
lessons, a financial wellness course, birthing classes, a craft club and a
book club for the mothers; preschool and daycare for the children who live
inside with them. Past sessions are held with attendance on paper; the rest
are planned. The demo facilitator runs the literacy lessons and the book
club, so her roster has sessions to come.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from kinbridge.accounts.models import Team, User
from kinbridge.demo import namebank
from kinbridge.demo.seeds import projects
from kinbridge.demo.seeds.writer import ABSENT, EXCUSED, PRESENT, Role, Writer, at
from kinbridge.lib.dates import add_months
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

SEED = "004"
TEAM = "Mothers in colonies"
COLONY = ("Women's colony No. 2 (demo)", "Chüy Region")
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(weeks=1)

# (module, title, weekday offset from the project's first Monday, time, every weeks,
#  sessions, members, run by the demo facilitator)
CLASSES = [
    ("Literacy", "Literacy lessons", 0, "10:00", 1, 48, 12, True),
    ("Birthing classes", "Birthing classes", 2, "14:00", 2, 24, 0, False),
    ("Craft club", "Craft club for mothers", 3, "14:00", 1, 48, 10, False),
    ("Book club", "Book club", 4, "15:00", 2, 24, 8, True),
]
LITERACY = [
    "Letters and sounds",
    "Reading short words",
    "Writing my name and my child's name",
    "Reading a letter from home",
    "Writing a letter",
    "Numbers and dates",
]
FINANCIAL = [
    "Planning a budget",
    "Saving a little",
    "Debts and loans",
    "Looking for work",
    "Documents and a bank account",
    "A plan for the first month out",
]


def plan(today: dt.date) -> projects.Plan:
    start = add_months(today.replace(day=1), -7)
    return projects.Plan(
        team=TEAM,
        programme="Send Relief: women and children in prison, Central Asia",
        programme_description=(
            "Distributions, classes and clubs for women in a prison in Central Asia, most of "
            "them survivors of domestic abuse, and preschool and daycare for their children."
        ),
        website="https://www.sendrelief.org/",
        title="Helping mothers in prison and their children succeed after prison",
        code="SR-CA",
        start=start,
        end=add_months(start, 12) - DAY,
        status=ProjectStatus.ACTIVE,
        currency="USD",
        total_budget=46_800,
        fundings=[("Send Relief", "https://www.sendrelief.org/", 46_800)],
        budget=[
            ("Kits: hygiene, jackets and socks, heaters, food and diapers", 27_600, 15_900),
            ("Classes and clubs: books, notebooks and craft supplies", 5_400, 3_050),
            ("Preschool and daycare materials", 4_200, 2_480),
            ("Facilitators' travel and stipends", 7_800, 4_550),
            ("Coordination", 1_800, 1_050),
        ],
        facilities=[COLONY],
        regions=[("Chüy Region", "KG")],
        description=(
            "Every six weeks, volunteers distribute kits to 100 women. Facilitators run literacy "
            "lessons, financial wellness courses, birthing classes, and craft and book clubs; "
            "children learn fine motor skills, language and phonics in preschool and daycare."
        ),
        target_beneficiaries="Women in the prison and the children living with them.",
        kpis=[
            projects.KPI(
                "Distribution rounds held",
                "sessions",
                9,
                {"session_kinds": [SessionKind.DISTRIBUTION]},
            ),
            projects.KPI(
                "Women receiving kits, warm clothes, food and diapers",
                "participants",
                100,
                {"characteristic": "prisoners", "session_kinds": [SessionKind.DISTRIBUTION]},
            ),
            projects.KPI(
                "Women attending classes and clubs",
                "participants",
                50,
                {"characteristic": "women", "session_kinds": [SessionKind.CLASS]},
            ),
            projects.KPI(
                "Pregnant women attending classes",
                "participants",
                8,
                {"characteristic": "pregnant", "session_kinds": [SessionKind.CLASS]},
            ),
            projects.KPI(
                "Children in preschool and daycare",
                "participants",
                20,
                {
                    "characteristic": "children",
                    "age_years": 7,
                    "session_kinds": [SessionKind.DAYCARE],
                },
            ),
        ],
    )


class _Women:
    def __init__(self, writer: Writer, rng: random.Random, start: dt.date):
        self.writer, self.rng, self.start = writer, rng, start

    def woman(self) -> Person:
        rng = self.rng
        culture = "ky" if rng.random() < 0.85 else "ru"
        family = namebank.family_name(culture, namebank.pick(rng, culture, "family"), "female")
        return self.writer.person(
            namebank.pick(rng, culture, "female"),
            family,
            patronymic=namebank.patronymic(culture, namebank.pick(rng, culture, "male"), "female"),
            gender="female",
            birth_date=dt.date(1975, 1, 1) + dt.timedelta(days=rng.randint(0, 27 * 365)),
            languages="ky, ru" if culture == "ky" else "ru",
            roles=[Role(R.PRISONER, self.start - dt.timedelta(days=rng.randint(60, 2500)))],
        )

    def child(self, mother: Person) -> Person:
        rng = self.rng
        gender = rng.choice(["female", "male"])
        born = self.start - dt.timedelta(days=rng.randint(200, 5 * 365))
        child = self.writer.person(
            namebank.pick(rng, "ky", gender),
            namebank.family_name("ky", namebank.masculine("ky", mother.family_name), gender),
            gender=gender,
            birth_date=born,
            languages="ky, ru",
            roles=[Role(R.CHILD, born)],
        )
        self.writer.link(child, mother, RelationshipKind.MOTHER, responsible=True, lives=True)
        return child


def load(demo: dict) -> bool:
    """Create the programme unless it is there; True when it was created."""
    today = timezone.localdate()
    seed_plan = plan(today)
    if projects.existing(seed_plan):
        return False
    project = projects.create(seed_plan)
    team = Team.objects.get(name=TEAM)
    facilitator = User.objects.filter(username="facilitator").first()
    writer = Writer(team, recorded_by=User.objects.filter(username="manager").first())
    rng = random.Random(2026_004)  # noqa: S311  (reproducible demo data)
    start = seed_plan.start
    women = _Women(writer, rng, start)
    inmates = [women.woman() for _ in range(100)]
    mothers = inmates[:18]
    children = [women.child(mother) for mother in mothers] + [
        women.child(mother) for mother in mothers[:4]
    ]
    # Eight women expecting a baby at some point of the project: (woman, from, due).
    pregnant = []
    for index, person in enumerate(inmates[20:28]):
        due = start + dt.timedelta(days=40 + 35 * index)
        pregnant.append((person, due - dt.timedelta(days=230), due))
        writer.role(person, Role(R.PREGNANT, pregnant[-1][1], due))
    volunteers = [
        writer.person(
            given,
            family,
            gender="female",
            languages=languages,
            roles=[Role(R.VOLUNTEER, start - 90 * DAY)],
        )
        for given, family, languages in (
            ("Айгерим", "Садыкова", "ky, ru"),
            ("Rachel", "Morris", "en, ru"),
        )
    ]
    common = {
        "project": project,
        "place_kind": PlaceKind.FACILITY,
        "facility": projects.facility(*COLONY),
        "today": today,
    }
    monday = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    users = [facilitator] if facilitator else []
    _distributions(writer, rng, team, common, monday, inmates, volunteers)
    _classes(writer, rng, team, common, monday, inmates, pregnant, volunteers, users)
    _financial_wellness(writer, rng, team, project, common, monday, today, inmates)
    _daycare(writer, rng, team, common, monday, children)
    counts = writer.flush()
    projects.audit(project, SEED, counts)
    return True


def _distributions(writer, rng, team, common, monday, inmates, volunteers):
    series = SessionSeries.objects.create(
        team=team, title="Distribution every six weeks", every_weeks=6, occurrences=9
    )
    for number in range(series.occurrences):
        day = monday + 2 * DAY + number * 6 * WEEK
        session = writer.session(
            kind=SessionKind.DISTRIBUTION,
            topic="Hygiene kits, jackets and warm socks, heaters, food and diapers",
            series=series,
            start=at(day, "10:00"),
            end=at(day, "14:00"),
            audience=[Audience.PRISONERS, Audience.MOTHERS],
            capacity=100,
            specialists=volunteers,
            **common,
        )
        if session.status != "held":
            continue
        away = set(rng.sample(range(len(inmates)), 3))  # in hospital or at court
        for index, person in enumerate(inmates):
            writer.attend(session, person, ABSENT if index in away else PRESENT)


def _classes(writer, rng, team, common, monday, inmates, pregnant, volunteers, users):
    """Literacy, birthing classes, the craft club and the book club: a series each."""
    expecting = {id(person) for person, _since, _due in pregnant}
    pool = [person for person in inmates if id(person) not in expecting]
    for module, title, offset, time, every, count, members, ours in CLASSES:
        series = SessionSeries.objects.create(
            team=team, title=title, every_weeks=every, occurrences=count
        )
        if module == "Birthing classes":
            group = pregnant
        else:
            group = [(person, None, None) for person in rng.sample(pool, members)]
        for number in range(count):
            day = monday + offset * DAY + number * every * WEEK
            topic = title
            if module == "Literacy":
                topic = f"Literacy: {LITERACY[number % len(LITERACY)]}"
            session = writer.session(
                kind=SessionKind.CLASS,
                topic=topic,
                module=module,
                series=series,
                start=at(day, time),
                end=at(day, time) + dt.timedelta(minutes=90),
                audience=[Audience.PREGNANT_WOMEN]
                if module == "Birthing classes"
                else [Audience.MOTHERS, Audience.PRISONERS],
                capacity=15,
                users=users if ours else [],
                specialists=volunteers[:1] if module == "Literacy" else volunteers[1:],
                **common,
            )
            if session.status != "held":
                continue
            for person, since, due in group:
                if since is not None and not since <= day < due:
                    continue  # birthing classes: only while she is expecting
                came = rng.random() < 0.8
                writer.attend(session, person, PRESENT if came else rng.choice([ABSENT, EXCUSED]))


def _financial_wellness(writer, rng, team, project, common, monday, today, inmates):
    """Two groups of six weekly sessions: the first is over, the second under way."""
    starts = [monday + DAY + 3 * WEEK, today - 2 * WEEK]
    starts[1] = starts[1] + dt.timedelta(days=(1 - starts[1].weekday()) % 7)
    for number, first in enumerate(starts, start=1):
        course = Course.objects.create(
            team=team,
            project=project,
            title=f"Financial wellness: group {number}",
            description="Budgeting, saving and planning for life after release.",
            planned_sessions=len(FINANCIAL),
            capacity=8,
            completion_percent=60,
        )
        series = SessionSeries.objects.create(
            team=team, title=course.title, every_weeks=1, occurrences=len(FINANCIAL)
        )
        group = inmates[40 + 9 * number : 49 + 9 * number]
        for index, person in enumerate(group[:8]):
            writer.enrol(course, person, enrolled_on=first - 10 * DAY + index * DAY)
        if number == 2:
            writer.enrol(
                course,
                group[8],
                status=EnrolmentStatus.WAITLISTED,
                waitlist_position=1,
                enrolled_on=first - DAY,
            )
        for week, topic in enumerate(FINANCIAL):
            day = first + week * WEEK
            session = writer.session(
                kind=SessionKind.CLASS,
                topic=topic,
                module="Financial wellness",
                course=course,
                series=series,
                start=at(day, "11:00"),
                end=at(day, "12:30"),
                audience=[Audience.PRISONERS],
                capacity=8,
                **common,
            )
            if session.status != "held":
                continue
            for person in group[:8]:
                came = rng.random() < 0.85
                writer.attend(session, person, PRESENT if came else rng.choice([ABSENT, EXCUSED]))


def _daycare(writer, rng, team, common, monday, children):
    series = SessionSeries.objects.create(
        team=team, title="Preschool and daycare", every_weeks=1, occurrences=48
    )
    for number in range(series.occurrences):
        day = monday + 2 * DAY + number * WEEK
        session = writer.session(
            kind=SessionKind.DAYCARE,
            topic="Preschool: fine motor skills, language and phonics",
            series=series,
            start=at(day, "09:00"),
            end=at(day, "12:00"),
            audience=[Audience.CHILDREN],
            capacity=25,
            **common,
        )
        if session.status != "held":
            continue
        for child in children:
            writer.attend(session, child, PRESENT if rng.random() < 0.85 else EXCUSED)
