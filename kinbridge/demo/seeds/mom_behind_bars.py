# ruff: noqa: RUF001  (Cyrillic names)
"""Seed 000, Mom Behind Bars (the Lend a Hand foundation), March 2025 to February 2026.

Three visits to each of three colonies (IK-5, IK-18, IK-15). A visit is a
two-day training for pregnant women and mothers, taught with their children
present, then a mother-and-child class, group and individual counselling,
and burnout counselling and resuscitation refreshers for the staff of the
colony's children's home. The funder's KPI table comes out of these records:

* 9 two-day trainings (a one-day introductory meeting per colony and a
  training cancelled for quarantine do not count);
* 86 women: each counted once however many sessions she came to; women who
  were only ever absent or excused do not count;
* 86 children under 3 on the day they came: a few turn 3 during the project
  (counted, they came before), a few are already 3 (they stay in the
  children's home under the extension rule, and do not count);
* 11 children's-home staff (prison officers at the refreshers do not count);
* the booklet-diary, a manual indicator with the PDF as evidence.

Everything is dated in the past and generated from a fixed seed, so the
figures are the same whenever the demo is loaded.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.core.files.base import ContentFile

from kinbridge.accounts.models import Team, User
from kinbridge.demo import namebank
from kinbridge.demo.seeds import projects
from kinbridge.demo.seeds.writer import ABSENT, EXCUSED, PRESENT, Role, Writer, at
from kinbridge.people.models import Person, RelationshipKind
from kinbridge.people.models import PersonRoleKind as R
from kinbridge.programmes.models import (
    Audience,
    Indicator,
    PlaceKind,
    ProjectStatus,
    SessionKind,
    SessionStatus,
)

SEED = "000"
TEAM = "Mothers in colonies"
DAY = dt.timedelta(days=1)

COLONIES = {"IK-5": "Moscow Region", "IK-18": "Rostov Region", "IK-15": "Samara Region"}
# First day of the two-day training of each visit (rounds 1, 2, 3).
VISITS = {
    "IK-5": [dt.date(2025, 4, 8), dt.date(2025, 8, 5), dt.date(2025, 11, 11)],
    "IK-18": [dt.date(2025, 4, 22), dt.date(2025, 8, 19), dt.date(2025, 12, 9)],
    "IK-15": [dt.date(2025, 5, 13), dt.date(2025, 9, 9), dt.date(2026, 1, 20)],
}
INTRODUCTIONS = {
    "IK-5": dt.date(2025, 3, 18),
    "IK-18": dt.date(2025, 3, 20),
    "IK-15": dt.date(2025, 3, 25),
}
# IK-18's third visit was first planned for 25 November: quarantine in the colony.
CANCELLED = ("IK-18", dt.date(2025, 11, 25))

# Women per colony: pregnant at the first visit (baby born before the second),
# pregnant at the last visit, mothers whose only child is already 3, other
# mothers, of whom some have twins or two children under 3, some a child who
# turns 3 during the project; and women who only ever were absent or excused.
COMPOSITION = {
    "IK-5": {
        "pregnant": 4,
        "late": 2,
        "over3": 1,
        "mothers": 23,
        "twins": 1,
        "two": 2,
        "turn3": 2,
        "absent": 1,
    },
    "IK-18": {
        "pregnant": 4,
        "late": 1,
        "over3": 1,
        "mothers": 21,
        "twins": 1,
        "two": 1,
        "turn3": 2,
        "absent": 1,
    },
    "IK-15": {
        "pregnant": 4,
        "late": 1,
        "over3": 1,
        "mothers": 23,
        "twins": 0,
        "two": 2,
        "turn3": 1,
        "absent": 1,
    },
}
# Children's-home staff per colony: (given, family, patronymic, on staff since).
STAFF = {
    "IK-5": [
        ("Светлана", "Белова", "Николаевна", dt.date(2016, 9, 1)),
        ("Татьяна", "Гусева", "Викторовна", dt.date(2019, 2, 11)),
        ("Ирина", "Кудрявцева", "Олеговна", dt.date(2021, 6, 1)),
        ("Людмила", "Фомина", "Петровна", dt.date(2012, 4, 16)),
    ],
    "IK-18": [
        ("Надежда", "Гончарова", "Ивановна", dt.date(2014, 3, 3)),
        ("Ольга", "Ермакова", "Сергеевна", dt.date(2020, 10, 19)),
        ("Юлия", "Сафонова", "Андреевна", dt.date(2025, 7, 1)),  # joined mid-project
    ],
    "IK-15": [
        ("Елена", "Тихонова", "Юрьевна", dt.date(2018, 1, 15)),
        ("Марина", "Котова", "Павловна", dt.date(2015, 5, 5)),
        ("Валентина", "Прохорова", "Алексеевна", dt.date(2010, 8, 23)),
        ("Анастасия", "Журавлёва", "Денисовна", dt.date(2022, 11, 7)),
    ],
}
# On the staff list of IK-5 but on sick leave whenever the specialists came.
STAFF_NEVER_PRESENT = ("IK-5", ("Зинаида", "Маслова", "Фёдоровна", dt.date(2011, 3, 1)))
# Duty officers of the colonies: prison staff, not children's-home staff.
OFFICERS = {
    "IK-5": ("Андрей", "Власов", "Игоревич"),
    "IK-18": ("Оксана", "Лазарева", "Романовна"),
    "IK-15": ("Сергей", "Баранов", "Михайлович"),
}

TRAININGS = [
    (
        "Module 1: Pregnancy and birth",
        "Pregnancy, labour and delivery: breathing, relaxation and the first days with a newborn",
    ),
    (
        "Module 2: Feeding and care",
        "Breastfeeding, newborn care and first aid for infants",
    ),
    (
        "Module 3: From birth to three",
        "How a child develops from birth to three; play and mother–child bonding",
    ),
]

PLAN = projects.Plan(
    team=TEAM,
    programme="Mom Behind Bars",
    programme_description=(
        "Psychological and consultative support for pregnant women and women with children "
        "under three serving prison sentences, so that children born in women's colonies do "
        "not become orphans. Lend a Hand foundation."
    ),
    website="https://ruku.org/",
    title=(
        "Mom Behind Bars: psychological and consultative support for pregnant women and "
        "women with children under three years of age serving prison sentences"
    ),
    code="MBB-2025",
    start=dt.date(2025, 3, 1),
    end=dt.date(2026, 2, 28),
    status=ProjectStatus.CLOSED,
    currency="RUB",
    total_budget=2_827_613,
    fundings=[
        ("Presidential Grants Fund", "", 2_527_613),
        ("Lend a Hand foundation (own contribution)", "https://ruku.org/", 300_000),
    ],
    budget=[
        (
            "Specialists' fees: perinatal psychologist, neonatologist, psychologist",
            1_296_000,
            1_296_000,
        ),
        ("Travel to the colonies: nine visits of three specialists", 486_450, 471_320),
        ("Booklet-diary: writing, layout and printing of 600 copies", 318_600, 318_600),
        ("Training materials and infant first-aid manikins", 214_563, 229_693),
        ("Project coordination and accounting", 412_000, 412_000),
        ("Communications and reporting", 100_000, 100_000),
    ],
    facilities=list(COLONIES.items()),
    regions=[(region, "RU") for region in COLONIES.values()],
    description=(
        "Trainings led by a perinatal psychologist and a neonatologist for pregnant women, "
        "mothers of children under three and the staff of children's homes in three women's "
        "colonies; individual and group counselling; burnout counselling and resuscitation "
        "refreshers for children's-home staff; a booklet-diary in plain language."
    ),
    target_beneficiaries=(
        "Incarcerated pregnant women and mothers with children under three; children living "
        "with their mothers in the colonies' children's homes; children's-home staff."
    ),
    report_notes=(
        "All participants received the Booklet-Diary on Motherhood and Preparation for It, "
        "with the contacts of specialists they can turn to. Children's-home staff received "
        "counselling and psychological support against burnout."
    ),
    kpis=[
        projects.KPI(
            "Two-day trainings in three correctional colonies",
            "sessions",
            9,
            {"session_kinds": [SessionKind.TRAINING], "min_days": 2},
        ),
        projects.KPI(
            "Women participated in project events",
            "participants",
            90,
            {
                "characteristic": "women",
                # The sessions for mothers: the staff's own sessions are counted below.
                "session_kinds": [
                    SessionKind.TRAINING,
                    SessionKind.CLASS,
                    SessionKind.INDIVIDUAL_COUNSELLING,
                    SessionKind.GROUP_COUNSELLING,
                ],
            },
        ),
        projects.KPI(
            "Children up to 3 years old participated in the project",
            "participants",
            60,
            {"characteristic": "children", "age_years": 3},
        ),
        projects.KPI(
            "Brochure with recommendations for pregnant women and women with children under 3",
            "manual",
            1,
        ),
        projects.KPI(
            "Workers of children's homes participated in the project",
            "participants",
            10,
            {"characteristic": "childrens_home_staff"},
        ),
    ],
)


class _Women:
    """Makes the women of the colonies and their children."""

    def __init__(self, writer: Writer, rng: random.Random):
        self.writer = writer
        self.rng = rng

    def name(self) -> tuple[str, str, str]:
        rng = self.rng
        family = namebank.family_name("ru", namebank.pick(rng, "ru", "family"), "female")
        father = namebank.pick(rng, "ru", "male")
        return (
            namebank.pick(rng, "ru", "female"),
            family,
            namebank.patronymic("ru", father, "female"),
        )

    def woman(self, arrived: dt.date, released: dt.date | None) -> Person:
        given, family, patronymic = self.name()
        born = dt.date(1985, 1, 1) + dt.timedelta(days=self.rng.randint(0, 17 * 365))
        return self.writer.person(
            given,
            family,
            patronymic=patronymic,
            birth_date=born,
            gender="female",
            languages="ru",
            roles=[Role(R.PRISONER, arrived, released)],
        )

    def child(self, mother: Person, born: dt.date, *, gender: str | None = None) -> Person:
        gender = gender or self.rng.choice(["female", "male"])
        given = namebank.pick(self.rng, "ru", "female" if gender == "female" else "male")
        base = namebank.masculine("ru", mother.family_name)
        child = self.writer.person(
            given,
            namebank.family_name("ru", base, gender),
            birth_date=born,
            gender=gender,
            languages="ru",
            roles=[Role(R.CHILD, born)],
        )
        self.writer.link(child, mother, RelationshipKind.MOTHER, responsible=True, lives=True)
        return child


class _Mother:
    """A woman of the project: the visits (rounds) she was there for, and her children."""

    def __init__(self, person, rounds, children=(), *, guaranteed=(), never_present=False):
        self.person = person
        self.rounds = list(rounds)
        self.children = list(children)
        # Rounds at whose training she certainly was (so her children count).
        self.guaranteed = set(guaranteed)
        self.never_present = never_present


def _make_mothers(colony: str, women: _Women, rng: random.Random, demo: dict) -> list[_Mother]:
    plan = COMPOSITION[colony]
    visits = VISITS[colony]
    writer = women.writer
    mothers: list[_Mother] = []

    def arrived(before: dt.date) -> dt.date:
        return before - dt.timedelta(days=rng.randint(90, 1400))

    # Pregnant at the first visit; the baby is born before the second and comes to it.
    for _ in range(plan["pregnant"]):
        person = women.woman(arrived(INTRODUCTIONS[colony]), None)
        born = visits[0] + dt.timedelta(days=rng.randint(30, (visits[1] - visits[0]).days - 20))
        writer.role(person, Role(R.PREGNANT, born - dt.timedelta(days=rng.randint(200, 260)), born))
        baby = women.child(person, born)
        rounds = [1, 2, 3] if rng.random() < 0.6 else [1, 2]
        mothers.append(_Mother(person, rounds, [baby], guaranteed={1, 2}))

    # Pregnant at the last visit (arrived late); the baby is born after it.
    for _ in range(plan["late"]):
        person = women.woman(visits[2] - dt.timedelta(days=rng.randint(40, 90)), None)
        due = visits[2] + dt.timedelta(days=rng.randint(40, 100))
        writer.role(person, Role(R.PREGNANT, due - dt.timedelta(days=230), due))
        mothers.append(_Mother(person, [3], guaranteed={3}))

    # Mothers whose child is already 3 (staying under the extension rule): the
    # first of them turns 3 on the very day of the first training.
    for index in range(plan["over3"]):
        first = visits[0]
        born = first.replace(year=first.year - 3) - dt.timedelta(days=rng.randint(20, 150))
        if colony == "IK-5" and index == 0:
            born = first.replace(year=first.year - 3)
        person = women.woman(arrived(INTRODUCTIONS[colony]), first + dt.timedelta(days=200))
        mothers.append(_Mother(person, [1, 2], [women.child(person, born)], guaranteed={1}))

    # Other mothers, with one or two children under 3 at their first visit.
    windows = [[1, 2, 3], [1, 2], [2, 3], [1], [2], [3]]
    weights = [35, 20, 20, 10, 5, 10]
    seconds = ["twins"] * plan["twins"] + ["two"] * plan["two"]
    count = plan["mothers"]
    if colony == "IK-15":
        count -= 1  # Maria Ivanova, from the hand-written demo people, is one of them
        mothers.append(_Mother(demo["maria"], [1, 2, 3], [demo["artyom"]], guaranteed={1}))
    for index in range(count):
        turns_three = index < plan["turn3"]
        rounds = [1, 2, 3] if turns_three else rng.choices(windows, weights)[0]
        first_visit = visits[rounds[0] - 1]
        released = None
        if rounds[-1] < 3:
            released = visits[rounds[-1] - 1] + dt.timedelta(days=rng.randint(20, 90))
        person = women.woman(arrived(first_visit), released)
        if turns_three:
            # Under 3 at the first visit, 3 by the last one.
            born = first_visit - dt.timedelta(days=3 * 365 - rng.randint(20, 100))
            mothers.append(_Mother(person, rounds, [women.child(person, born)], guaranteed={1, 3}))
            continue
        born = first_visit - dt.timedelta(days=rng.randint(20, 300))
        children = [women.child(person, born)]
        if index >= plan["turn3"] and seconds:
            kind = seconds.pop()
            if kind == "twins":
                children.append(women.child(person, born))
            else:
                older = born - dt.timedelta(days=rng.randint(400, 700))
                children.insert(0, women.child(person, older))
        mothers.append(_Mother(person, rounds, children, guaranteed={rounds[0]}))

    # Registered for the project, but only ever absent or excused.
    for _ in range(plan["absent"]):
        person = women.woman(arrived(INTRODUCTIONS[colony]), visits[0] + 30 * DAY)
        mothers.append(_Mother(person, [1], never_present=True))
    return mothers


def _specialists(writer: Writer) -> dict[str, Person]:
    def specialist(given, family, patronymic, born, gender):
        return writer.person(
            given,
            family,
            patronymic=patronymic,
            birth_date=born,
            gender=gender,
            languages="ru",
            roles=[Role(R.SPECIALIST, dt.date(2023, 1, 1))],
        )

    return {
        # A perinatal psychologist and a neonatologist lead the trainings (seed 000).
        "perinatal": specialist("Анна", "Лебедева", "Викторовна", dt.date(1979, 5, 14), "female"),
        "neonatologist": specialist("Дмитрий", "Орлов", "Сергеевич", dt.date(1974, 2, 2), "male"),
        "psychologist": specialist(
            "Наталья", "Кравец", "Игоревна", dt.date(1986, 10, 30), "female"
        ),
    }


class _Staff:
    def __init__(self, person: Person, since: dt.date, *, never_present: bool = False):
        self.person = person
        self.since = since
        self.never_present = never_present


def _staff(writer: Writer) -> tuple[dict[str, list[_Staff]], dict[str, Person]]:
    def member(given, family, patronymic, since, **fields) -> Person:
        return writer.person(
            given,
            family,
            patronymic=patronymic,
            gender="female",
            languages="ru",
            roles=[Role(R.CHILDRENS_HOME_STAFF, since)],
            **fields,
        )

    staff = {
        colony: [
            _Staff(member(*row, birth_year=1965 + 2 * index), row[3])
            for index, row in enumerate(rows)
        ]
        for colony, rows in STAFF.items()
    }
    colony, row = STAFF_NEVER_PRESENT
    staff[colony].append(_Staff(member(*row, birth_year=1968), row[3], never_present=True))
    officers = {
        colony: writer.person(
            given,
            family,
            patronymic=patronymic,
            gender="female" if family.endswith("а") else "male",
            languages="ru",
            roles=[Role(R.PRISON_STAFF, dt.date(2015, 1, 1))],
        )
        for colony, (given, family, patronymic) in OFFICERS.items()
    }
    return staff, officers


# The booklet-diary, rendered once from templates/demo/booklet_diary.html with
# WeasyPrint (render_to_string, then HTML(...).write_pdf()): rendering it on every
# load would double the time load_demo takes.
BOOKLET = Path(__file__).resolve().parent.parent / "static" / "demo" / "booklet-diary.pdf"


def _booklet(indicator: Indicator) -> None:
    """The manual indicator's actual, with the booklet-diary as its evidence."""
    indicator.manual_actual = 1
    indicator.evidence_note = (
        "Booklet-Diary on Motherhood and Preparation for It: 600 copies printed in "
        "December 2025, given to every participant."
    )
    indicator.evidence.save("booklet-diary.pdf", ContentFile(BOOKLET.read_bytes()), save=False)
    indicator.save()


def load(demo: dict) -> bool:
    """Create the programme unless it is there; True when it was created."""
    if projects.existing(PLAN):
        return False
    project = projects.create(PLAN)
    team = Team.objects.get(name=TEAM)
    facilitator = User.objects.filter(username="facilitator").first()
    manager = User.objects.filter(username="manager").first()
    writer = Writer(team, recorded_by=manager)
    rng = random.Random(2025_000)  # noqa: S311  (reproducible demo data)
    women = _Women(writer, rng)
    specialists = _specialists(writer)
    staff, officers = _staff(writer)
    for colony, region in COLONIES.items():
        place = projects.facility(colony, region)
        mothers = _make_mothers(colony, women, rng, demo)
        users = [facilitator] if colony == "IK-15" and facilitator else []
        common = {"project": project, "place_kind": PlaceKind.FACILITY, "facility": place}
        _sessions(writer, rng, colony, common, mothers, specialists, users)
        for round_number in (1, 2, 3):
            _staff_sessions(
                writer,
                rng,
                VISITS[colony],
                round_number,
                staff[colony],
                officers[colony],
                specialists,
                common,
            )
    counts = writer.flush()
    _booklet(project.indicators.get(kind="manual"))
    projects.audit(project, SEED, counts)
    return True


def _sessions(writer, rng, colony, common, mothers, specialists, users):
    """The introductory meeting, and each visit's sessions for pregnant women and mothers."""
    mums = [Audience.PREGNANT_WOMEN, Audience.MOTHERS]

    def present_children(mother: _Mother, session) -> None:
        for child in mother.children:
            if child.birth_date < session.start_date:
                writer.attend(session, child, with_adult=mother.person)

    intro = writer.session(
        kind=SessionKind.TRAINING,
        topic="Introductory meeting: the project, the specialists and the booklet-diary",
        start=at(INTRODUCTIONS[colony], "10:00"),
        end=at(INTRODUCTIONS[colony], "13:00"),
        audience=mums,
        users=users,
        specialists=[specialists["psychologist"]],
        **common,
    )
    for mother in mothers:
        if 1 not in mother.rounds:
            continue
        if mother.never_present:
            writer.attend(intro, mother.person, ABSENT)
        elif rng.random() < 0.6:
            writer.attend(intro, mother.person)

    if colony == CANCELLED[0]:
        day = CANCELLED[1]
        writer.session(
            kind=SessionKind.TRAINING,
            topic=TRAININGS[2][1],
            module=TRAININGS[2][0],
            status=SessionStatus.CANCELLED,
            start=at(day, "10:00"),
            end=at(day + DAY, "16:00"),
            audience=[*mums, Audience.CHILDREN],
            notes="Cancelled: quarantine in the colony. Held on 9–10 December instead.",
            specialists=[specialists["perinatal"], specialists["neonatologist"]],
            **common,
        )

    for round_number, day in enumerate(VISITS[colony], start=1):
        module, topic = TRAININGS[round_number - 1]
        here = [m for m in mothers if round_number in m.rounds]
        training = writer.session(
            kind=SessionKind.TRAINING,
            topic=topic,
            module=module,
            start=at(day, "10:00"),
            end=at(day + DAY, "16:00"),
            audience=[*mums, Audience.CHILDREN],
            capacity=30,
            notes="Two-day training taught with the children present, for mother–child bonding.",
            users=users,
            specialists=[specialists["perinatal"], specialists["neonatologist"]],
            **common,
        )
        third = day + 2 * DAY
        bonding = writer.session(
            kind=SessionKind.CLASS,
            topic="Mother and child together: play, touch and bonding",
            module=module,
            start=at(third, "10:00"),
            end=at(third, "11:30"),
            audience=[Audience.MOTHERS, Audience.CHILDREN],
            capacity=12,
            users=users,
            specialists=[specialists["perinatal"]],
            **common,
        )
        group = writer.session(
            kind=SessionKind.GROUP_COUNSELLING,
            topic="Group counselling: anxiety, fears and the future with the child",
            start=at(third, "12:00"),
            end=at(third, "13:30"),
            audience=mums,
            capacity=10,
            users=users,
            specialists=[specialists["psychologist"]],
            **common,
        )
        for mother in here:
            if mother.never_present:
                writer.attend(training, mother.person, EXCUSED if colony != "IK-5" else ABSENT)
                if colony == "IK-15":
                    writer.attend(group, mother.person, ABSENT)
                continue
            if round_number in mother.guaranteed or rng.random() < 0.75:
                writer.attend(training, mother.person)
                present_children(mother, training)
            else:
                writer.attend(training, mother.person, rng.choice([ABSENT, EXCUSED]))
            if mother.children and rng.random() < 0.5:
                writer.attend(bonding, mother.person)
                present_children(mother, bonding)
            if rng.random() < 0.3:
                writer.attend(group, mother.person)
        # Individual consultations: six a visit, pregnant women first.
        eligible = [m for m in here if not m.never_present]
        eligible.sort(key=lambda m: (not (m.rounds == [3] or 2 in m.guaranteed), rng.random()))
        for slot, mother in enumerate(eligible[:6]):
            start = at(third, "14:00") + dt.timedelta(minutes=50 * slot)
            consultation = writer.session(
                kind=SessionKind.INDIVIDUAL_COUNSELLING,
                topic="Individual consultation with the perinatal psychologist",
                start=start,
                end=start + dt.timedelta(minutes=45),
                audience=mums,
                capacity=1,
                specialists=[specialists["perinatal"]],
                **common,
            )
            writer.attend(consultation, mother.person)


def _staff_sessions(writer, rng, visits, round_number, staff, officer, specialists, common):
    """Burnout counselling (group and individual) and, from the second visit, a refresher."""
    day = visits[round_number - 1]
    on_staff = [member for member in staff if member.since <= day]
    burnout = writer.session(
        kind=SessionKind.BURNOUT_COUNSELLING,
        topic="Preventing emotional burnout: group counselling for children's-home staff",
        start=at(day, "16:30"),
        end=at(day, "18:00"),
        audience=[Audience.CHILDRENS_HOME_STAFF],
        specialists=[specialists["psychologist"]],
        **common,
    )
    for member in on_staff:
        first_visit = min(visit for visit in visits if member.since <= visit) == day
        if member.never_present:
            writer.attend(burnout, member.person, EXCUSED)
        elif first_visit or rng.random() < 0.7:
            writer.attend(burnout, member.person)
        else:
            writer.attend(burnout, member.person, EXCUSED)
    if round_number == 1:
        writer.attend(
            burnout,
            officer,
            reason="Duty officer of the children's home block; asked to take part.",
        )
    present = [member for member in on_staff if not member.never_present]
    start = at(day + DAY, "17:00")
    individual = writer.session(
        kind=SessionKind.BURNOUT_COUNSELLING,
        topic="Individual counselling against burnout",
        start=start,
        end=start + dt.timedelta(minutes=50),
        audience=[Audience.CHILDRENS_HOME_STAFF],
        capacity=1,
        specialists=[specialists["psychologist"]],
        **common,
    )
    writer.attend(individual, present[(round_number - 1) % len(present)].person)
    if round_number == 1:
        return
    refresher = writer.session(
        kind=SessionKind.RESUSCITATION_REFRESHER,
        topic="Resuscitation of children under three: refresher course",
        start=at(day + 2 * DAY, "09:00"),
        end=at(day + 2 * DAY, "12:00"),
        audience=[Audience.CHILDRENS_HOME_STAFF, Audience.PRISON_STAFF],
        specialists=[specialists["neonatologist"]],
        **common,
    )
    for member in on_staff:
        if member.never_present:
            writer.attend(refresher, member.person, EXCUSED)
        else:
            writer.attend(refresher, member.person, PRESENT if rng.random() < 0.85 else ABSENT)
    writer.attend(refresher, officer)
