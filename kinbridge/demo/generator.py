"""A synthetic registry for benchmarks and demos, generated fast and reproducibly.

``generate_registry`` makes N people in families: prisoners (mostly women)
with their children (some under 3, some living inside with their mother),
the children's grandparents, aunts, fathers and guardians, who hold parental
responsibility and with whom each child lives now; plus some staff and
volunteers. Names are Russian (Cyrillic, sometimes in Latin papers),
Lithuanian and English, in the proportions of the programmes.

Speed: rows are built in memory and written with ``bulk_create`` in batches,
skipping the per-row action, yet every row gets exactly the derived fields
``people.actions.create_person`` gives it (``refresh_names``, a unique
``reference_code``). The whole run is one transaction with one audit event.

The same seed gives the same people, relationships and teams on the same
day (reference codes are random, as for any person).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from kinbridge.accounts.access import require_administrator
from kinbridge.accounts.models import Region, Team
from kinbridge.audit.actions import record
from kinbridge.audit.models import Action
from kinbridge.custody.generator import generate_custody
from kinbridge.demo import namebank
from kinbridge.demo.facility_catalogue import catalogue
from kinbridge.facilities.models import Facility
from kinbridge.lib import names
from kinbridge.lib.codes import reference_code
from kinbridge.people.models import (
    Gender,
    Person,
    PersonRole,
    PersonTeam,
    Relationship,
)
from kinbridge.people.models import PersonRoleKind as Role
from kinbridge.people.models import RelationshipKind as Kind

YEAR = 365

# Teams the generator makes when asked to (or when there are none): name, region.
GENERATED_TEAM_REGIONS = [
    ("Samara Region", "RU"),
    ("Vilnius County", "LT"),
    ("London", "GB"),
    ("Republic of Mordovia", "RU"),
    ("Sverdlovsk Region", "RU"),
    ("Kaunas County", "LT"),
]
DEFAULT_TEAM_COUNT = 3
# How many families a team of each country gets: the programmes are mostly Russian.
COUNTRY_WEIGHT = {"RU": 6.0, "LT": 2.5, "GB": 1.5}
# Whose names a team of each country registers: (culture, share).
CULTURES = {
    "RU": (("ru", 1.0),),
    "LT": (("lt", 0.8), ("ru", 0.2)),
    "GB": (("en", 0.9), ("lt", 0.05), ("ru", 0.05)),
}
OTHER_CULTURES = (("ru", 0.65), ("lt", 0.2), ("en", 0.15))
# Share of Russian names written in Latin letters (from foreign papers) by country of the team.
LATIN_SHARE = {"RU": 0.0, "LT": 0.5, "GB": 0.9}
COUNTRY_LANGUAGE = {"RU": "ru", "LT": "lt", "GB": "en"}
SHARED_FAMILY_SHARE = 0.02
# A family has at most this many people; fewer left to make: single people instead.
MAX_FAMILY = 10


class RefusedInProduction(Exception):
    """Synthetic people must never be mixed into a real registry."""


@dataclass
class FamilyRecord:
    """What a later step (custody) needs about a generated family."""

    team: Team
    country: str
    prisoner: Person
    released: bool
    children: list[Person] = field(default_factory=list)
    # Children under 3 who live in the facility with their mother.
    children_inside: list[Person] = field(default_factory=list)


@dataclass
class Family:
    """The people being made together: their names' culture and script, teams, languages."""

    culture: str
    latin: bool
    country: str
    teams: list[tuple[Team, bool]]
    languages: str


@dataclass
class Run:
    seed: int
    people: int
    batch: int
    with_facilities: bool
    today: dt.date
    rng: random.Random
    teams: list[Team] = field(default_factory=list)
    facilities: list[Facility] = field(default_factory=list)
    families: list[FamilyRecord] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)


# --- The run ----------------------------------------------------------------------


def generate_registry(
    actor=None,
    *,
    people: int,
    seed: int = 1,
    team_count: int = 0,
    batch: int = 2000,
    facilities: bool = True,
    force: bool = False,
) -> Run:
    """Generate ``people`` synthetic people (and facilities); one audit event for the run.

    ``team_count`` > 0: spread them over "Generated team 1..k" (made if missing);
    0: over the existing active teams, or three generated ones if there are none.
    ``actor`` None is the system (a command); a user must be an administrator.
    """
    if settings.PRODUCTION and not force:
        raise RefusedInProduction(
            "This is a production install (KINBRIDGE_PRODUCTION): synthetic people "
            "would pollute the real registry."
        )
    if actor is not None:
        require_administrator(actor)
    run = Run(
        seed=seed,
        people=people,
        batch=max(1, batch),
        with_facilities=facilities,
        today=timezone.localdate(),
        rng=random.Random(seed),  # noqa: S311  (reproducible data, not secrets)
    )
    with transaction.atomic():
        run.teams = _teams(run, team_count)
        for step in STEPS:
            step(run)
        record(
            Action.CREATE,
            actor=actor,
            object_type="demo.syntheticregistry",
            object_repr=f"Synthetic registry: {run.counts['people']} people, seed {seed}",
            seed=seed,
            counts=dict(sorted(run.counts.items())),
            teams=[team.pk for team in run.teams],
        )
    _refresh_statistics()
    return run


def _refresh_statistics() -> None:
    """Tell PostgreSQL's planner about the new rows now rather than at autovacuum's leisure.

    Stale statistics after a bulk load make it guess one row per table and pick
    nested loops; SQLite plans without statistics and needs nothing.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Person, PersonTeam, PersonRole, Relationship):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _region(name: str, country: str, run: Run) -> Region:
    region, created = Region.objects.get_or_create(name=name, country=country)
    run.counts["regions"] += created
    return region


def _teams(run: Run, team_count: int) -> list[Team]:
    if team_count <= 0:
        existing = list(Team.objects.active().select_related("region").order_by("id"))
        if existing:
            return existing
        team_count = DEFAULT_TEAM_COUNT
    teams = []
    for number in range(1, team_count + 1):
        region_name, country = GENERATED_TEAM_REGIONS[(number - 1) % len(GENERATED_TEAM_REGIONS)]
        team = Team.objects.filter(name=f"Generated team {number}").first()
        if team is None:
            team = Team.objects.create(
                name=f"Generated team {number}",
                region=_region(region_name, country, run),
                description="Synthetic data for benchmarks and demos.",
            )
            run.counts["teams"] += 1
        teams.append(team)
    return teams


# --- Steps -------------------------------------------------------------------------


def generate_facilities(run: Run) -> None:
    """The facility catalogue (idempotent: facilities already there are kept)."""
    if not run.with_facilities:  # custody then uses the facilities already registered
        run.facilities = list(Facility.objects.filter(is_active=True).select_related("region"))
        return
    for row in catalogue():
        region = _region(row.region, row.country, run)
        facility = Facility.objects.filter(region=region, name=row.name).first()
        if facility is None:
            facility = Facility.objects.create(
                name=row.name,
                kind=row.kind,
                region=region,
                children_capacity=row.children_capacity,
                child_age_limit_months=row.child_age_limit_months,
                extension_if_release_within_months=row.extension_if_release_within_months,
            )
            run.counts["facilities"] += 1
        run.facilities.append(facility)


def generate_people(run: Run) -> None:
    """People in families, written in batches."""
    writer = _Writer(run)
    maker = _FamilyMaker(run, writer)
    teams = run.teams
    countries = [team.region.country for team in teams]
    per_country = Counter(countries)
    weights = [COUNTRY_WEIGHT.get(c, 1.0) / per_country[c] for c in countries]
    rng = run.rng
    while writer.made < run.people:
        index = rng.choices(range(len(teams)), weights=weights)[0]
        team = teams[index]
        shared = None
        if len(teams) > 1 and rng.random() < SHARED_FAMILY_SHARE:
            shared = rng.choice([other for other in teams if other is not team])
        if run.people - writer.made < MAX_FAMILY or rng.random() < 0.12:
            maker.single(team, countries[index])
        else:
            maker.family(team, countries[index], shared)
        if len(writer.people) >= run.batch:
            writer.flush()
    writer.flush()


# The steps of a run, in order; each takes the Run and writes its rows in bulk.
# Custody comes after the people: run.facilities holds the facilities,
# run.families each prisoner with her children and those living inside with her.
STEPS: list[Callable[[Run], None]] = [generate_facilities, generate_people, generate_custody]


# --- Writing in bulk -----------------------------------------------------------------


class _Writer:
    """Collects new rows and writes them with bulk_create, people first."""

    def __init__(self, run: Run):
        self.run = run
        self.made = 0
        self.people: list[Person] = []
        self.team_links: list[PersonTeam] = []
        self.roles: list[PersonRole] = []
        self.links: list[Relationship] = []
        self.references = set(Person.objects.values_list("reference", flat=True))

    def person(self, teams, roles, start: dt.date, **fields) -> Person:
        person = Person(**fields)
        person.refresh_names()  # exactly what create_person derives
        reference = reference_code("P")
        while reference in self.references:
            reference = reference_code("P")
        self.references.add(reference)
        person.reference = reference
        self.people.append(person)
        self.made += 1
        for team, shared in teams:
            self.team_links.append(PersonTeam(person=person, team=team, shared=shared))
        for role in roles:
            self.roles.append(PersonRole(person=person, role=role, start=start))
        return person

    def flush(self) -> None:
        if not self.people:
            return
        size = self.run.batch
        Person.objects.bulk_create(self.people, batch_size=size)
        PersonTeam.objects.bulk_create(self.team_links, batch_size=size)
        PersonRole.objects.bulk_create(self.roles, batch_size=size)
        Relationship.objects.bulk_create(self.links, batch_size=size)
        counts = self.run.counts
        counts["people"] += len(self.people)
        counts["team_links"] += len(self.team_links)
        counts["roles"] += len(self.roles)
        counts["relationships"] += len(self.links)
        self.people, self.team_links, self.roles, self.links = [], [], [], []


# --- Families ------------------------------------------------------------------------


class _FamilyMaker:
    def __init__(self, run: Run, writer: _Writer):
        self.run = run
        self.rng = run.rng
        self.today = run.today
        self.writer = writer

    # Small helpers ------------------------------------------------------------------
    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def born(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def age_days(self, low: float, high: float, mode: float | None = None) -> int:
        years = self.rng.triangular(low, high, mode) if mode else self.rng.uniform(low, high)
        return int(years * YEAR)

    def registered(self, birth: dt.date) -> dt.date:
        return max(birth, self.born(self.rng.randint(0, 5 * YEAR)))

    def culture(self, country: str) -> tuple[str, bool]:
        options = CULTURES.get(country, OTHER_CULTURES)
        culture = self.rng.choices([c for c, _ in options], weights=[w for _, w in options])[0]
        latin = culture == "ru" and self.chance(LATIN_SHARE.get(country, 0.5))
        return culture, latin

    def languages(self, culture: str, country: str) -> str:
        local = COUNTRY_LANGUAGE.get(country, "")
        if culture == "lt" and country == "LT" and self.chance(0.3):
            return "lt, ru"
        return culture if local in ("", culture) else f"{culture}, {local}"

    def contacts(self, culture: str, given: str, family: str, age: int) -> dict:
        rng = self.rng
        contact = {}
        if age >= 16 * YEAR and self.chance(0.55):
            digits = f"{rng.randrange(10**7):07d}"
            # Numbers that cannot ring anyone: area code 000 in Russia and Lithuania,
            # Ofcom's drama range 07700 900xxx in the UK.
            contact["phone"] = {
                "ru": f"+7 000 {digits[:3]}-{digits[3:5]}-{digits[5:]}",
                "lt": f"+370 000 {digits[:5]}",
            }.get(culture, f"+44 7700 900{digits[:3]}")
        if age >= 16 * YEAR and age < 65 * YEAR and self.chance(0.25):
            local = names.fold(f"{given} {family}").replace(" ", ".")
            contact["email"] = f"{local}.{rng.randrange(10000)}@example.org"
        return contact

    def add(
        self,
        family: Family,
        gender: str,
        given: str,
        surname: str,
        *,
        age: int,
        roles,
        patronymic: str = "",
        loosely_known: bool = False,
    ) -> Person:
        """One person of ``family``, ``age`` days old, in the family's script and teams.

        ``loosely_known``: an adult known through others (a relative, a volunteer): the
        birth may be only an estimated year or unknown, and a relative may volunteer too.
        """
        culture = family.culture
        preferred = ""
        if culture != "lt" and age >= 14 * YEAR and self.chance(0.08):
            preferred = namebank.preferred_name(culture, given)
        if family.latin:
            rng = self.rng
            given = namebank.latin_spelling(rng, given, names.to_latin(given))
            surname = namebank.latin_spelling(rng, surname, names.to_latin(surname))
            preferred = names.to_latin(preferred)
            patronymic = ""  # foreign papers do not carry it
        birth_date, birth_year = self.born(age), None
        if loosely_known:
            roll = self.rng.random()
            if roll < 0.06:
                birth_date, birth_year = None, self.born(age).year
            elif roll < 0.075:
                birth_date = None
        if loosely_known and self.chance(0.005):
            gender = Gender.UNKNOWN
        role_list = list(roles)
        start = self.registered(self.born(age))
        if loosely_known and Role.VOLUNTEER not in role_list and self.chance(0.03):
            role_list.append(Role.VOLUNTEER)  # a relative who now volunteers
        person = self.writer.person(
            family.teams,
            role_list,
            start,
            given_name=given,
            family_name=surname,
            patronymic=patronymic,
            preferred_name=preferred,
            birth_date=birth_date,
            birth_year=birth_year,
            gender=gender,
            languages=family.languages,
            **self.contacts(culture, given, surname, age),
        )
        return person

    def link(self, person, relative, kind, *, responsible=False, lives=False) -> None:
        self.writer.links.append(
            Relationship(
                person=person,
                relative=relative,
                kind=kind,
                parental_responsibility=responsible,
                lives_with=lives,
            )
        )

    def given(self, culture: str, gender: str) -> str:
        return namebank.pick(self.rng, culture, "male" if gender == Gender.MALE else "female")

    def surname(self, culture: str) -> str:
        return namebank.pick(self.rng, culture, "family")

    # People ---------------------------------------------------------------------------
    def single(self, team: Team, country: str) -> None:
        """A member of staff, a specialist or a volunteer, with no family on file."""
        culture, latin = self.culture(country)
        family = Family(culture, latin, country, [(team, False)], self.languages(culture, country))
        if country == "RU":
            options = [
                Role.PRISON_STAFF,
                Role.CHILDRENS_HOME_STAFF,
                Role.SPECIALIST,
                Role.VOLUNTEER,
            ]
            role = self.rng.choices(options, weights=[4, 3, 2, 1])[0]
        else:
            options = [Role.VOLUNTEER, Role.SPECIALIST, Role.PRISON_STAFF]
            role = self.rng.choices(options, weights=[5, 3, 2])[0]
        gender = Gender.FEMALE if self.chance(0.8) else Gender.MALE
        married = self.chance(0.6)
        self.add(
            family,
            gender,
            self.given(culture, gender),
            namebank.family_name(culture, self.surname(culture), gender, married=married),
            age=self.age_days(20, 65, 38),
            roles=[role],
            patronymic=namebank.patronymic(culture, self.given(culture, Gender.MALE), gender),
            loosely_known=True,
        )

    def family(self, team: Team, country: str, shared: Team | None) -> None:
        """A prisoner (four times in five a mother) with her family."""
        culture, latin = self.culture(country)
        teams = [(team, False)] + ([(shared, True)] if shared else [])
        family = Family(culture, latin, country, teams, self.languages(culture, country))
        if self.chance(0.8):
            household = self.mother_in_prison(family)
        else:
            household = self.father_in_prison(family)
        self.run.families.append(household)

    def child_ages(self, mother_age: int) -> list[int]:
        """Ages (days) of a mother's children: none younger than her 17th year allows."""
        limit = min(mother_age - 17 * YEAR, 25 * YEAR)
        if limit <= 0:
            return []
        count = self.rng.choices([0, 1, 2, 3, 4], weights=[15, 35, 28, 14, 8])[0]
        ages = []
        if count and self.chance(0.45):
            ages.append(self.rng.randint(1, min(3 * YEAR - 1, limit)))  # a baby or toddler
        while len(ages) < count:
            ages.append(self.rng.randint(0, limit))
        return sorted(ages)

    def mother_in_prison(self, family: Family) -> FamilyRecord:
        c, chance = family.culture, self.chance
        F, M = Gender.FEMALE, Gender.MALE
        maiden = self.surname(c)
        her_father = self.given(c, M)
        age = self.age_days(19, 50, 30)
        partner_age = max(18 * YEAR, age + self.rng.randint(-3 * YEAR, 8 * YEAR))
        has_partner = chance(0.45)
        married = has_partner and chance(0.6)
        partner_surname = self.surname(c) if has_partner else ""
        partner_given = self.given(c, M)
        released = chance(0.08)
        prisoner = self.add(
            family,
            F,
            self.given(c, F),
            namebank.family_name(c, partner_surname if married else maiden, F, married=married),
            age=age,
            roles=[],
            patronymic=namebank.patronymic(c, her_father, F),
        )
        self.prisoner_role(prisoner, age, released)
        household = FamilyRecord(family.teams[0][0], family.country, prisoner, released)

        partner = None
        if has_partner:
            partner = self.add(
                family,
                M,
                partner_given,
                partner_surname,
                age=partner_age,
                roles=[Role.RELATIVE],
                patronymic=namebank.patronymic(c, self.given(c, M), M),
                loosely_known=True,
            )
            self.link(prisoner, partner, Kind.PARTNER)
        grandmother = None
        if chance(0.6):
            grandmother = self.add(
                family,
                F,
                self.given(c, F),
                namebank.family_name(c, maiden, F, married=True),
                age=min(88 * YEAR, age + self.rng.randint(18 * YEAR, 32 * YEAR)),
                roles=[Role.RELATIVE],
                patronymic=namebank.patronymic(c, self.given(c, M), F),
                loosely_known=True,
            )
            self.link(prisoner, grandmother, Kind.MOTHER)
        aunt = None
        if chance(0.2):
            aunt = self.add(
                family,
                F,
                self.given(c, F),
                namebank.family_name(c, maiden, F),
                age=max(18 * YEAR, age + self.rng.randint(-8 * YEAR, 10 * YEAR)),
                roles=[Role.RELATIVE],
                patronymic=namebank.patronymic(c, her_father, F),
                loosely_known=True,
            )
            self.link(prisoner, aunt, Kind.SIBLING)

        father_on_file = partner is not None and chance(0.7)
        children_surname = partner_surname if father_on_file or married else maiden
        father_given = partner_given if father_on_file else self.given(c, M)
        guardian = None
        children = []
        youngest_parent = min(age, partner_age) if father_on_file else age
        for child_age in self.child_ages(youngest_parent):
            gender = F if chance(0.5) else M
            adult = child_age >= 18 * YEAR
            child = self.add(
                family,
                gender,
                self.given(c, gender),
                namebank.family_name(c, children_surname, gender),
                age=child_age,
                roles=[Role.RELATIVE if adult else Role.CHILD],
                patronymic=namebank.patronymic(c, father_given, gender),
            )
            children.append(child)
            household.children.append(child)
            inside = not released and child_age < 3 * YEAR and chance(0.5)
            if inside:
                household.children_inside.append(child)
            self.link(
                child, prisoner, Kind.MOTHER, responsible=not adult and chance(0.95), lives=inside
            )
            if adult:
                continue
            # Who the child lives with now, outside.
            carer = None
            if not inside:
                if father_on_file and chance(0.35):
                    carer = partner
                elif grandmother is not None and chance(0.75):
                    carer = grandmother
                elif aunt is not None:
                    carer = aunt
                elif chance(0.6):
                    if guardian is None:
                        guardian = self.guardian(family)
                    carer = guardian
            if father_on_file:
                self.link(child, partner, Kind.FATHER, responsible=True, lives=carer is partner)
            if grandmother is not None:
                cares = carer is grandmother
                self.link(child, grandmother, Kind.GRANDPARENT, responsible=cares, lives=cares)
            if carer is not None and carer in (aunt, guardian):
                kind = Kind.CARER if carer is aunt else Kind.GUARDIAN
                self.link(
                    child, carer, kind, responsible=carer is guardian or chance(0.5), lives=True
                )
        self.siblings(children)
        return household

    def father_in_prison(self, family: Family) -> FamilyRecord:
        c, chance = family.culture, self.chance
        F, M = Gender.FEMALE, Gender.MALE
        surname = self.surname(c)
        age = self.age_days(20, 55, 33)
        released = chance(0.08)
        prisoner = self.add(
            family,
            M,
            self.given(c, M),
            surname,
            age=age,
            roles=[],
            patronymic=namebank.patronymic(c, self.given(c, M), M),
        )
        self.prisoner_role(prisoner, age, released)
        household = FamilyRecord(family.teams[0][0], family.country, prisoner, released)
        partner = None
        partner_age = max(18 * YEAR, age + self.rng.randint(-10 * YEAR, 3 * YEAR))
        if chance(0.75):
            married = chance(0.6)
            partner = self.add(
                family,
                F,
                self.given(c, F),
                namebank.family_name(
                    c, surname if married else self.surname(c), F, married=married
                ),
                age=partner_age,
                roles=[Role.RELATIVE],
                patronymic=namebank.patronymic(c, self.given(c, M), F),
                loosely_known=True,
            )
            self.link(prisoner, partner, Kind.PARTNER)
        grandmother = None
        if chance(0.4):
            grandmother = self.add(
                family,
                F,
                self.given(c, F),
                namebank.family_name(c, surname, F, married=True),
                age=min(88 * YEAR, age + self.rng.randint(18 * YEAR, 32 * YEAR)),
                roles=[Role.RELATIVE],
                patronymic=namebank.patronymic(c, self.given(c, M), F),
                loosely_known=True,
            )
            self.link(prisoner, grandmother, Kind.MOTHER)
        children = []
        mother_age = partner_age if partner else age
        for child_age in self.child_ages(min(age, mother_age)):
            gender = F if chance(0.5) else M
            adult = child_age >= 18 * YEAR
            child = self.add(
                family,
                gender,
                self.given(c, gender),
                namebank.family_name(c, surname, gender),
                age=child_age,
                roles=[Role.RELATIVE if adult else Role.CHILD],
                patronymic=namebank.patronymic(c, prisoner.given_name, gender),
            )
            children.append(child)
            household.children.append(child)
            self.link(child, prisoner, Kind.FATHER, responsible=not adult)
            if partner is not None:
                self.link(child, partner, Kind.MOTHER, responsible=not adult, lives=not adult)
            if grandmother is not None:
                cares = partner is None and not adult
                self.link(child, grandmother, Kind.GRANDPARENT, responsible=cares, lives=cares)
        self.siblings(children)
        return household

    def guardian(self, family: Family) -> Person:
        """A foster carer or guardian from outside the family."""
        c = family.culture
        gender = Gender.FEMALE if self.chance(0.85) else Gender.MALE
        return self.add(
            family,
            gender,
            self.given(c, gender),
            namebank.family_name(c, self.surname(c), gender, married=True),
            age=self.age_days(30, 65),
            roles=[Role.RELATIVE],
            patronymic=namebank.patronymic(c, self.given(c, Gender.MALE), gender),
            loosely_known=True,
        )

    def prisoner_role(self, prisoner: Person, age: int, released: bool) -> None:
        since = self.rng.randint(20, min(6 * YEAR, age - 18 * YEAR))
        start = self.born(since)
        end = self.born(self.rng.randint(0, since)) if released else None
        self.writer.roles.append(
            PersonRole(person=prisoner, role=Role.PRISONER, start=start, end=end)
        )

    def siblings(self, children: list[Person]) -> None:
        """Each pair once: the younger is the person, the older the relative."""
        for index, younger in enumerate(children):
            for older in children[index + 1 :]:
                self.link(younger, older, Kind.SIBLING)
