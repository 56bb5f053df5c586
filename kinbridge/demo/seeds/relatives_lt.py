"""Seed 001, relatives of convicts in Lithuania, March 2024 to August 2025.

What the seed reports, as records the KPI engine counts:

* 22 community meetings in different towns with 332 participants: most of
  them counted without names (a headcount per meeting), a few named, and a
  named person who came to two meetings is counted once;
* 3 remote seminars with 42 relatives (several came to more than one);
* 4 family days in two prisons with 38 people (prisoners, children, carers);
* trainings for professionals: 130 specialists (relatives who spoke at a
  training, and specialists who registered but never came, do not count);
* 3 self-help groups (each a series of meetings every two weeks) with 18
  relatives.

The 188 relatives who received targeted assistance are casework: the
indicator counts the people who received those services in the project's
cases, which :mod:`kinbridge.demo.casework` loads after this seed.
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
    AttendanceSource,
    Audience,
    PlaceKind,
    ProjectStatus,
    SessionKind,
    SessionSeries,
)

SEED = "001"
TEAM = "Family support Vilnius"
WEEK = dt.timedelta(weeks=1)

# (date, town, venue, people counted without names)
COMMUNITY_MEETINGS = [
    (dt.date(2024, 4, 18), "Vilnius", None, 22),
    (dt.date(2024, 4, 25), "Kaunas", "Kauno bendruomenių centras", 16),
    (dt.date(2024, 5, 9), "Klaipėda", "Klaipėdos miesto savivaldybės viešoji biblioteka", 14),
    (dt.date(2024, 5, 23), "Šiauliai", "Šiaulių socialinių paslaugų centras", 12),
    (dt.date(2024, 6, 6), "Panevėžys", "Panevėžio socialinių paslaugų centras", 15),
    (dt.date(2024, 6, 20), "Alytus", "Alytaus kultūros centras", 11),
    (dt.date(2024, 7, 4), "Marijampolė", "Marijampolės bendruomenės namai", 13),
    (dt.date(2024, 8, 29), "Utena", "Utenos kultūros centras", 10),
    (dt.date(2024, 9, 12), "Mažeikiai", "Mažeikių bendruomenės centras", 9),
    (dt.date(2024, 9, 26), "Jonava", "Jonavos viešoji biblioteka", 12),
    (dt.date(2024, 10, 10), "Kėdainiai", "Kėdainių daugiakultūris centras", 14),
    (dt.date(2024, 10, 24), "Telšiai", "Telšių bendruomenės namai", 11),
    (dt.date(2024, 11, 7), "Tauragė", "Tauragės kultūros centras", 16),
    (dt.date(2024, 11, 21), "Ukmergė", "Ukmergės socialinių paslaugų centras", 13),
    (dt.date(2024, 12, 5), "Visaginas", "Visagino kultūros centras", 17),
    (dt.date(2025, 1, 23), "Plungė", "Plungės bendruomenės centras", 12),
    (dt.date(2025, 2, 6), "Kretinga", "Kretingos muziejus, konferencijų salė", 15),
    (dt.date(2025, 2, 20), "Šilutė", "Šilutės bendruomenės namai", 21),
    (dt.date(2025, 3, 6), "Radviliškis", "Radviliškio viešoji biblioteka", 14),
    (dt.date(2025, 3, 20), "Druskininkai", "Druskininkų bendruomenės centras", 16),
    (dt.date(2025, 4, 3), "Rokiškis", "Rokiškio kultūros centras", 13),
    (dt.date(2025, 4, 17), "Biržai", "Biržų bendruomenės namai", 16),
]
# People who gave their names at a meeting (to be contacted later): how many at
# which meeting; the first two of them came to a second meeting too.
NAMED_AT_MEETINGS = [0, 0, 1, 2, 0, 3, 2, 0, 1, 0, 2, 0, 1, 1, 0, 2, 0, 1, 2, 0, 1, 1]
SEMINARS = [
    (dt.date(2024, 10, 15), "Reacting to change and adapting to loss"),
    (dt.date(2025, 1, 21), "Keeping relationships alive across prison walls"),
    (dt.date(2025, 4, 8), "Stress, its effect on health, and ways of coping"),
]
# (date, prison, region): two in the women's prison, two in a men's prison.
FAMILY_DAYS = [
    (dt.date(2024, 6, 1), "Panevėžio pataisos namai", "Panevėžys County"),
    (dt.date(2024, 9, 28), "Marijampolės pataisos namai", "Marijampolė County"),
    (dt.date(2024, 12, 14), "Panevėžio pataisos namai", "Panevėžys County"),
    (dt.date(2025, 5, 17), "Marijampolės pataisos namai", "Marijampolė County"),
]
# (date, town, venue): trainings for professionals, one day each.
TRAININGS = [
    (dt.date(2024, 11, 14), "Vilnius", None),
    (dt.date(2024, 12, 12), "Kaunas", "Kauno bendruomenių centras"),
    (dt.date(2025, 2, 13), "Klaipėda", "Klaipėdos miesto savivaldybės viešoji biblioteka"),
    (dt.date(2025, 3, 13), "Šiauliai", "Šiaulių socialinių paslaugų centras"),
    (dt.date(2025, 4, 10), "Panevėžys", "Panevėžio socialinių paslaugų centras"),
    (dt.date(2025, 5, 15), "Alytus", "Alytaus kultūros centras"),
    (dt.date(2025, 6, 12), "Vilnius", None),
]
# (town, venue or None for the Vilnius centre, first meeting, start time)
SELF_HELP_GROUPS = [
    ("Vilnius", None, dt.date(2025, 1, 8), "18:00"),
    ("Kaunas", "Kauno bendruomenių centras", dt.date(2025, 1, 14), "17:30"),
    ("Panevėžys", "Panevėžio socialinių paslaugų centras", dt.date(2025, 1, 16), "17:30"),
]
CENTRE = ("Vilnius family support centre", "Vilnius County")
# Counted from casework (kinbridge.demo.casework), not from sessions.
TARGETED_ASSISTANCE = projects.KPI(
    "Relatives who received targeted assistance",
    "service_recipients",
    188,
    {
        "service_types": ["counselling", "information", "mediation", "representation", "escort"],
        "case_types": ["targeted_assistance"],
    },
)

PLAN = projects.Plan(
    team=TEAM,
    programme="Bausmė šeimoje: relatives of convicts",
    programme_description=(
        "Help for the relatives of people in prison: an information platform, targeted "
        "assistance, community meetings, self-help groups, family days in prisons and "
        "training for professionals."
    ),
    website="https://bausmesseselyje.lt/",
    title="Relatives of convicts: recognition, a help network and new services",
    code="ACF-LT-2024",
    start=dt.date(2024, 3, 1),
    end=dt.date(2025, 8, 31),
    status=ProjectStatus.CLOSED,
    currency="EUR",
    total_budget=99_907,
    fundings=[
        ("Active Citizens Fund (EEA and Norway Grants)", "https://eeagrants.org/", 89_916),
        ("Vilnius City Municipality", "https://vilnius.lt/", 9_991),
    ],
    budget=[
        ("Staff: social workers and a psychologist", 52_800, 52_800),
        ("Community meetings: travel and venues", 11_240, 10_968),
        ("Remote seminars and self-help groups", 6_430, 6_102),
        ("Family days in prisons", 4_180, 4_455),
        ("Methodological guidelines and training of professionals", 14_257, 14_257),
        ("Information platform bausmesseselyje.lt", 5_600, 5_600),
        ("International trainings and networking of the team", 5_400, 5_212),
    ],
    facilities=[(name, region) for _day, name, region in FAMILY_DAYS[:2]] + [CENTRE],
    regions=[("Vilnius County", "LT"), ("Panevėžys County", "LT"), ("Marijampolė County", "LT")],
    description=(
        "Getting to know the relatives of convicts, a so far undiscovered vulnerable group, "
        "through participatory advocacy and awareness-raising; new services that answer their "
        "needs; training for professionals who meet them."
    ),
    target_beneficiaries=(
        "Relatives of people in prison, children first; regional communities; social "
        "workers, teachers, probation and prison staff."
    ),
    report_notes=(
        "Targeted assistance (counselling, information, mediation, representation, escort) "
        "reached 188 relatives; it is recorded as casework, not as sessions, and counted "
        "from the project's cases."
    ),
    kpis=[
        projects.KPI(
            "Regional communities informed, mobilised and involved",
            "sessions",
            21,
            {"session_kinds": [SessionKind.COMMUNITY_MEETING]},
        ),
        projects.KPI(
            "Participants of community meetings",
            "event_participants",
            300,
            {"session_kinds": [SessionKind.COMMUNITY_MEETING]},
        ),
        projects.KPI(
            "Remote seminars for relatives",
            "sessions",
            3,
            {"session_kinds": [SessionKind.ONLINE_SEMINAR]},
        ),
        projects.KPI(
            "Relatives at remote seminars",
            "participants",
            40,
            {"characteristic": "relatives", "session_kinds": [SessionKind.ONLINE_SEMINAR]},
        ),
        projects.KPI(
            "Family days in prisons",
            "sessions",
            4,
            {"session_kinds": [SessionKind.FAMILY_DAY]},
        ),
        projects.KPI(
            "People at family days",
            "event_participants",
            40,
            {"session_kinds": [SessionKind.FAMILY_DAY]},
        ),
        projects.KPI(
            "Specialists trained to work with relatives of convicts",
            "participants",
            80,
            {"characteristic": "professionals", "session_kinds": [SessionKind.TRAINING]},
        ),
        projects.KPI(
            "Self-help groups of relatives initiated",
            "series",
            3,
            {"session_kinds": [SessionKind.SELF_HELP_GROUP]},
        ),
        projects.KPI(
            "Relatives in self-help groups",
            "participants",
            18,
            {"characteristic": "relatives", "session_kinds": [SessionKind.SELF_HELP_GROUP]},
        ),
        TARGETED_ASSISTANCE,
    ],
)


class _People:
    def __init__(self, writer: Writer, rng: random.Random):
        self.writer = writer
        self.rng = rng

    def adult(self, role: str, since: dt.date, *, gender: str | None = None) -> Person:
        rng = self.rng
        gender = gender or ("female" if rng.random() < 0.8 else "male")
        family = namebank.family_name(
            "lt", namebank.pick(rng, "lt", "family"), gender, married=rng.random() < 0.6
        )
        return self.writer.person(
            namebank.pick(rng, "lt", gender),
            family,
            gender=gender,
            birth_date=dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 38 * 365)),
            languages="lt" if rng.random() < 0.8 else "lt, ru",
            roles=[Role(role, since)],
        )

    def relative(self, since: dt.date) -> Person:
        return self.adult(R.RELATIVE, since)

    def since(self, day: dt.date) -> dt.date:
        """When someone became what they are, some time before ``day``."""
        return day - dt.timedelta(days=self.rng.randint(200, 2000))

    def family(self, prisoner_gender: str, children: int, carer: bool) -> list[Person]:
        """A prisoner with children and, optionally, the adult who brings them."""
        rng, writer = self.rng, self.writer
        surname = namebank.pick(rng, "lt", "family")
        since = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
        prisoner = writer.person(
            namebank.pick(rng, "lt", prisoner_gender),
            namebank.family_name("lt", surname, prisoner_gender, married=True),
            gender=prisoner_gender,
            birth_date=dt.date(1982, 1, 1) + dt.timedelta(days=rng.randint(0, 14 * 365)),
            languages="lt",
            roles=[Role(R.PRISONER, since)],
        )
        parent = RelationshipKind.MOTHER if prisoner_gender == "female" else RelationshipKind.FATHER
        kids = []
        for _ in range(children):
            gender = rng.choice(["female", "male"])
            born = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randint(0, 12 * 365))
            child = writer.person(
                namebank.pick(rng, "lt", gender),
                namebank.family_name("lt", surname, gender),
                gender=gender,
                birth_date=born,
                languages="lt",
                roles=[Role(R.CHILD, born)],
            )
            writer.link(child, prisoner, parent, responsible=True)
            kids.append(child)
        people = [prisoner, *kids]
        if carer:
            # A father in prison: the children's mother brings them; a mother in
            # prison: the children's grandmother, who looks after them.
            grandmother = prisoner_gender == "female"
            adult = writer.person(
                namebank.pick(rng, "lt", "female"),
                namebank.family_name("lt", surname, "female", married=True),
                gender="female",
                birth_date=dt.date(1958 if grandmother else 1980, 1, 1)
                + dt.timedelta(days=rng.randint(0, 10 * 365)),
                languages="lt",
                roles=[Role(R.RELATIVE, since)],
            )
            kind = RelationshipKind.GRANDPARENT if grandmother else RelationshipKind.MOTHER
            for child in kids:
                writer.link(child, adult, kind, responsible=True, lives=True)
            people.append(adult)
        return people


def load(demo: dict) -> bool:
    """Create the programme unless it is there; True when it was created."""
    if projects.existing(PLAN):
        return False
    project = projects.create(PLAN)
    team = Team.objects.get(name=TEAM)
    caseworker = User.objects.filter(username="caseworker").first()
    coordinator = User.objects.filter(username="coordinator").first()
    writer = Writer(team, recorded_by=caseworker)
    rng = random.Random(2024_001)  # noqa: S311  (reproducible demo data)
    people = _People(writer, rng)
    centre = projects.facility(*CENTRE)
    psychologist = people.adult(R.SPECIALIST, dt.date(2023, 9, 1), gender="female")
    common = {"project": project}
    _community_meetings(writer, people, common, centre)
    _seminars(writer, people, common, psychologist)
    _family_days(writer, people, common, demo, [u for u in (coordinator, caseworker) if u])
    _trainings(writer, people, common, centre, psychologist)
    users = [caseworker] if caseworker else []
    _self_help_groups(writer, people, common, team, centre, psychologist, users)
    counts = writer.flush()
    projects.audit(project, SEED, counts)
    return True


def _place(common: dict, centre, venue: str | None, town: str) -> dict:
    if venue is None:  # the Vilnius centre, a registered community venue
        return {**common, "place_kind": PlaceKind.COMMUNITY, "facility": centre}
    return {**common, "place_kind": PlaceKind.COMMUNITY, "venue": f"{venue}, {town}"}


def _community_meetings(writer, people, common, centre):
    named: list[Person] = []
    for index, (day, town, venue, headcount) in enumerate(COMMUNITY_MEETINGS):
        meeting = writer.session(
            kind=SessionKind.COMMUNITY_MEETING,
            topic=f"Relatives of prisoners among us: a community meeting in {town}",
            start=at(day, "17:00"),
            end=at(day, "19:00"),
            audience=[Audience.PUBLIC, Audience.RELATIVES, Audience.PROFESSIONALS],
            unnamed_headcount=headcount,
            **_place(common, centre, venue, town),
        )
        for _ in range(NAMED_AT_MEETINGS[index]):
            person = people.relative(people.since(day))
            named.append(person)
            writer.attend(meeting, person, source=AttendanceSource.SCREEN)
        if index in (12, 19):  # two people came again, to a meeting in another town
            writer.attend(meeting, named[index == 19], source=AttendanceSource.SCREEN)


def _seminars(writer, people, common, psychologist):
    """Three online seminars: 42 relatives, many at two or three; two never joined."""
    first = SEMINARS[0][0]
    relatives = [people.relative(people.since(first)) for _ in range(44)]
    sessions = [
        writer.session(
            kind=SessionKind.ONLINE_SEMINAR,
            topic=topic,
            start=at(day, "18:00"),
            end=at(day, "20:00"),
            audience=[Audience.RELATIVES],
            place_kind=PlaceKind.ONLINE,
            online_link=f"https://meet.example.org/bausme-seminaras-{number}",
            capacity=30,
            specialists=[psychologist],
            **common,
        )
        for number, (day, topic) in enumerate(SEMINARS, start=1)
    ]
    rng = people.rng
    for index, person in enumerate(relatives):
        if index >= 42:  # registered for every seminar, joined none
            for session in sessions:
                writer.attend(session, person, ABSENT, source=AttendanceSource.SCREEN)
            continue
        mine = {index % 3} | {n for n in range(3) if rng.random() < 0.35}
        for number, session in enumerate(sessions):
            status = PRESENT if number in mine else rng.choice([ABSENT, EXCUSED])
            writer.attend(session, person, status, source=AttendanceSource.SCREEN)


def _family_days(writer, people, common, demo, users):
    """Two family days in each of two prisons: 38 people, each family at one prison."""
    # (prisoner's gender, children, a carer comes): 17 people in the women's prison,
    # 21 in the men's prison with Tomas Kazlauskas, his partner and their daughter.
    women = [
        ("female", 2, True),
        ("female", 1, True),
        ("female", 2, False),
        ("female", 2, True),
        ("female", 1, True),
    ]
    men = [
        ("male", 2, True),
        ("male", 1, True),
        ("male", 2, True),
        ("male", 2, True),
        ("male", 1, True),
    ]
    families = {
        "Panevėžio pataisos namai": [people.family(*row) for row in women],
        "Marijampolės pataisos namai": [people.family(*row) for row in men]
        + [[demo["tomas"], demo["ugne"], demo["sarune"]]],
    }
    # A grandfather who signed up for the first day at Marijampolė and could not come.
    grandfather = people.adult(R.RELATIVE, dt.date(2022, 5, 1), gender="male")
    held: dict[str, int] = {}
    rng = people.rng
    for day, prison, region in FAMILY_DAYS:
        number = held[prison] = held.get(prison, 0) + 1
        session = writer.session(
            kind=SessionKind.FAMILY_DAY,
            topic="Family day: games, a shared meal and time together",
            start=at(day, "10:00"),
            end=at(day, "15:00"),
            audience=[Audience.PRISONERS, Audience.CHILDREN, Audience.RELATIVES],
            place_kind=PlaceKind.FACILITY,
            facility=projects.facility(prison, region),
            capacity=25,
            users=users,
            **common,
        )
        for family_number, family in enumerate(families[prison]):
            # Each family comes at least once (the first day for even families).
            if (family_number + number) % 2 == 1 or rng.random() < 0.4:
                for person in family:
                    writer.attend(session, person)
        if prison.startswith("Marijampolės") and number == 1:
            writer.attend(session, grandfather, EXCUSED)


def _trainings(writer, people, common, centre, psychologist):
    """One-day trainings in six towns: 130 specialists, a few at two of them."""
    first = TRAININGS[0][0]
    specialists = [people.adult(R.SPECIALIST, people.since(first)) for _ in range(105)]
    specialists += [people.adult(R.PRISON_STAFF, people.since(first)) for _ in range(25)]
    people.rng.shuffle(specialists)
    registered_only = [people.adult(R.SPECIALIST, people.since(first)) for _ in range(6)]
    speakers = [people.relative(people.since(first)) for _ in range(2)]
    sessions = [
        writer.session(
            kind=SessionKind.TRAINING,
            topic=(
                "Working with relatives of convicts: the Collaborative Assistance Delivery Model"
            ),
            module="Methodological guidelines",
            start=at(day, "09:30"),
            end=at(day, "16:30"),
            audience=[Audience.PROFESSIONALS],
            capacity=25,
            specialists=[psychologist],
            **_place(common, centre, venue, town),
        )
        for day, town, venue in TRAININGS
    ]
    for index, person in enumerate(specialists):
        writer.attend(sessions[index % len(sessions)], person)
        if index % 9 == 0:  # some came back to the second training in Vilnius
            writer.attend(sessions[-1], person)
    for index, person in enumerate(registered_only):
        writer.attend(sessions[index % len(sessions)], person, ABSENT)
    for session in (sessions[0], sessions[-1]):
        for person in speakers:
            writer.attend(
                session,
                person,
                reason="A relative of a prisoner, sharing her experience with the group.",
            )


def _self_help_groups(writer, people, common, team, centre, psychologist, users):
    """Three groups meeting every two weeks: six relatives each, 18 in all."""
    rng = people.rng
    for town, venue, first, time in SELF_HELP_GROUPS:
        series = SessionSeries.objects.create(
            team=team, title=f"Self-help group for relatives, {town}", every_weeks=2, occurrences=12
        )
        members = [people.relative(people.since(first)) for _ in range(6)]
        dropped_out = people.relative(people.since(first)) if town == "Kaunas" else None
        for number in range(series.occurrences):
            day = first + number * 2 * WEEK
            meeting = writer.session(
                kind=SessionKind.SELF_HELP_GROUP,
                topic="Self-help group meeting",
                series=series,
                start=at(day, time),
                end=at(day, time) + dt.timedelta(minutes=90),
                audience=[Audience.RELATIVES],
                capacity=10,
                users=users if venue is None else [],
                specialists=[psychologist] if venue is not None else [],
                **_place(common, centre, venue, town),
            )
            for member in members:
                came = number == 0 or rng.random() < 0.75
                writer.attend(meeting, member, PRESENT if came else rng.choice([ABSENT, EXCUSED]))
            if dropped_out is not None and number < 2:
                writer.attend(meeting, dropped_out, EXCUSED)
