"""Likely duplicates: before a new person is saved, and among the people a manager sees.

"Likely" means similar names in any script *and* a compatible birth: names are
folded (Мария = Mariya = Mariia = Maria, Иванова = Ivanova) and then compared
word by word, allowing a typing slip or two in longer names; births must be the
same date (or the same date with day and month swapped), or years within one
of each other when a year is estimated. When either record has no birth facts
at all, only identical folded given and family names count.

Finding candidates is one indexed query (date of birth, estimated year,
folded family name), bounded, and the scoring runs in Python on that small set.

What a user learns about people they cannot see: only that a *strong* match
(same date of birth, similar given and family names, no conflicting
patronymic) exists in a team they do not belong to. No name, reference, team or
count is shown, weaker matches say nothing, and each such hint is written to
the audit trail against the hidden person, so probing the registry is visible.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from kinbridge.accounts.roles import Role
from kinbridge.audit.actions import record_read
from kinbridge.lib import names
from kinbridge.lib.similarity import EQUAL, PREFIX, SIMILAR, name_likeness
from kinbridge.people.models import Person

CANDIDATE_ROWS = 500  # rows fetched for scoring, at most
SHOWN = 10  # candidates shown to the user, at most
PAIR_MEMBERS = 2000  # people loaded for one page of the possible-duplicates list, at most

REASONS = {
    "same_birth_date": _("same date of birth"),
    "swapped_birth_date": _("same date of birth with day and month swapped"),
    "close_birth_year": _("same or next year of birth"),
    "birth_unknown": _("no date of birth to compare"),
    "same_family_name": _("same family name"),
    "similar_family_name": _("similar family name"),
    "same_given_name": _("same given name"),
    "similar_given_name": _("similar given name"),
    "short_given_name": _("given name is a short form"),
    "names_swapped": _("given and family names swapped"),
    "same_patronymic": _("same patronymic"),
}
_BIRTH_POINTS = {
    "same_birth_date": 4,
    "swapped_birth_date": 3,
    "close_birth_year": 2,
    "birth_unknown": 0,
}
_NAME_REASON = {
    EQUAL: ("same_given_name", "same_family_name"),
    SIMILAR: ("similar_given_name", "similar_family_name"),
    PREFIX: ("short_given_name", ""),
}
# The fields a comparison reads; candidates are loaded with these (and a few more) only.
COMPARED = ("given_name", "family_name", "patronymic", "preferred_name", "birth_date", "birth_year")
FACT_FIELDS = ("id", "reference", *COMPARED, "family_key", "erased_at")


@dataclass(frozen=True)
class Facts:
    """What a comparison looks at: folded names and the birth facts."""

    given: str
    family: str
    patronymic: str
    birth_date: dt.date | None
    birth_year: int | None

    @classmethod
    def of(
        cls,
        *,
        given_name="",
        family_name="",
        patronymic="",
        preferred_name="",
        birth_date=None,
        birth_year=None,
        **_ignored,
    ) -> Facts:
        given = names.search_key(given_name or "", preferred_name or "")
        return cls(
            given=given,
            family=names.fold(family_name or ""),
            patronymic=names.fold(patronymic or ""),
            birth_date=birth_date,
            birth_year=birth_year,
        )

    @classmethod
    def of_person(cls, person: Person) -> Facts:
        return cls.of(**{name: getattr(person, name) for name in COMPARED})

    @property
    def year(self) -> int | None:
        return self.birth_date.year if self.birth_date else self.birth_year


@dataclass(frozen=True)
class Likeness:
    score: int
    reasons: tuple[str, ...]
    strong: bool  # strong enough to hint at a match the user cannot see

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[code]) for code in self.reasons]


def _swapped(day: dt.date) -> dt.date | None:
    if day.day > 12 or day.day == day.month:
        return None
    return dt.date(day.year, day.day, day.month)


def _birth(a: Facts, b: Facts) -> str | None:
    """How the births compare; None when they rule out the same person."""
    if a.year is None or b.year is None:
        return "birth_unknown"
    if a.birth_date and b.birth_date:
        if a.birth_date == b.birth_date:
            return "same_birth_date"
        if _swapped(a.birth_date) == b.birth_date:
            return "swapped_birth_date"
        return None
    return "close_birth_year" if abs(a.year - b.year) <= 1 else None


def compare(a: Facts, b: Facts) -> Likeness | None:
    """How likely ``a`` and ``b`` are one person; None when not likely."""
    birth = _birth(a, b)
    if birth is None:
        return None
    given = name_likeness(a.given, b.given)
    reasons = [birth]
    if a.family and b.family:
        family = name_likeness(a.family, b.family)
        swapped = min(name_likeness(a.given, b.family), name_likeness(a.family, b.given))
        if swapped >= SIMILAR and swapped > min(given, family):
            given = family = swapped
            reasons.append("names_swapped")
        else:
            reasons += [_NAME_REASON[given][0]] if given else []
            reasons += [_NAME_REASON[family][1]] if family >= SIMILAR else []
        if family < SIMILAR or given < PREFIX:
            return None
        if given == PREFIX and not (family == EQUAL and birth == "same_birth_date"):
            return None
    else:
        # One record has no family name: only the same given name and date of birth.
        family = 0
        if given != EQUAL or birth != "same_birth_date":
            return None
        reasons.append("same_given_name")
    names_score = given + family
    if birth == "birth_unknown" and names_score < 2 * EQUAL:
        return None
    if birth == "close_birth_year" and names_score < EQUAL + SIMILAR:
        return None
    score = names_score + _BIRTH_POINTS[birth]
    patronymic_conflict = False
    if a.patronymic and b.patronymic:
        if name_likeness(a.patronymic, b.patronymic) >= SIMILAR:
            score += 1
            reasons.append("same_patronymic")
        else:
            score -= 2
            patronymic_conflict = True
    strong = (
        birth == "same_birth_date"
        and given >= SIMILAR
        and family >= SIMILAR
        and not patronymic_conflict
    )
    return Likeness(score=score, reasons=tuple(dict.fromkeys(reasons)), strong=strong)


@dataclass
class Candidate:
    person: Person
    likeness: Likeness


@dataclass
class DuplicateCheck:
    candidates: list[Candidate] = field(default_factory=list)  # people the user may see
    elsewhere: bool = False  # a strong match in a team the user cannot see

    @property
    def found(self) -> bool:
        return bool(self.candidates) or self.elsewhere

    @property
    def token(self) -> str:
        """What the user was shown; a confirmation covers exactly this."""
        shown = [str(candidate.person.pk) for candidate in self.candidates]
        return ",".join(sorted(shown) + (["other"] if self.elsewhere else []))

    def covered_by(self, token: str) -> bool:
        """True when every current candidate was among those shown (``token``)."""
        seen = set(filter(None, (token or "").split(",")))
        return set(filter(None, self.token.split(","))) <= seen


def _candidate_filter(facts: Facts) -> Q | None:
    """Rows worth scoring: a compatible birth, or the same folded family name."""
    first_given = facts.given.split()[0] if facts.given else ""
    named = Q(family_key=facts.family) if facts.family else Q(pk__in=[])
    if first_given:
        named |= Q(search_key__contains=first_given)
    clauses = Q(pk__in=[])
    if facts.birth_date:
        year = facts.birth_date.year
        clauses |= Q(birth_date=facts.birth_date)
        swapped = _swapped(facts.birth_date)
        if swapped:
            clauses |= Q(birth_date=swapped)
        clauses |= Q(birth_year__range=(year - 1, year + 1)) & named
    elif facts.birth_year:
        year = facts.birth_year
        span = (dt.date(year - 1, 1, 1), dt.date(year + 1, 12, 31))
        clauses |= (Q(birth_year__range=(year - 1, year + 1)) | Q(birth_date__range=span)) & named
    if facts.family:
        # Identical names where a birth is missing on either side.
        no_birth = Q(birth_date__isnull=True, birth_year__isnull=True)
        if facts.year is None:
            clauses |= Q(family_key=facts.family)
        else:
            clauses |= Q(family_key=facts.family) & no_birth
    return clauses


def check_new_person(user, fields: dict, *, exclude_pk=None) -> DuplicateCheck:
    """The likely duplicates of a person about to be saved with ``fields``."""
    facts = Facts.of(**fields)
    if not facts.given:
        return DuplicateCheck()
    rows = Person.objects.filter(_candidate_filter(facts), erased_at__isnull=True)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    scored = []
    for person in rows.only(*FACT_FIELDS).order_by("-id")[:CANDIDATE_ROWS]:
        likeness = compare(facts, Facts.of_person(person))
        if likeness is not None:
            scored.append(Candidate(person, likeness))
    if not scored:
        return DuplicateCheck()
    scored.sort(key=lambda candidate: (-candidate.likeness.score, -candidate.person.pk))
    visible = set(
        Person.objects.visible_to(user)
        .filter(pk__in=[candidate.person.pk for candidate in scored])
        .values_list("pk", flat=True)
    )
    check = DuplicateCheck(
        candidates=[candidate for candidate in scored if candidate.person.pk in visible][:SHOWN]
    )
    hidden = [c for c in scored if c.person.pk not in visible and c.likeness.strong]
    if hidden:
        check.elsewhere = True
        for candidate in hidden[:SHOWN]:
            record_read(user, candidate.person, via="duplicate check", disclosed="existence only")
    return check


def can_list_pairs(user) -> bool:
    """The possible-duplicates list: administrators and programme managers (their teams)."""
    return user.is_authenticated and user.has_role(Role.ADMINISTRATOR, Role.PROGRAMME_MANAGER)


@dataclass
class Pair:
    first: Person
    second: Person
    likeness: Likeness


def _groups(people, column: str):
    """(family key, ``column``) groups of two or more people: a GROUP BY on an index."""
    return (
        people.filter(**{f"{column}__isnull": False})
        .values("family_key", column)
        .annotate(size=Count("id"))
        .filter(size__gt=1)
    )


def possible_pairs(user, *, after: str = "", families: int = 30) -> tuple[list[Pair], str | None]:
    """Likely duplicate pairs among the people ``user`` sees, ``families`` family names a page.

    Pairs share a folded family name and either the same date of birth or the
    same estimated year (GROUP BY on the indexes (family key, date of birth)
    and (family key, year)); given names and patronymics are then compared in
    Python. Near-spellings of a family name, swapped day and month, and an
    estimate against an exact date are left to the check when a person is
    added. Returns the pairs and the family key to continue after (None on the
    last page). Five queries whatever the registry's size.
    """
    people = Person.objects.visible_to(user).filter(erased_at__isnull=True).exclude(family_key="")
    if after:
        people = people.filter(family_key__gt=after)
    keys = set()
    for column in ("birth_date", "birth_year"):
        first_keys = (
            _groups(people, column)
            .order_by("family_key")
            .values_list("family_key", flat=True)
            .distinct()[:families]
        )
        keys.update(first_keys)
    keys = sorted(keys)[:families]
    if not keys:
        return [], None
    people = people.filter(family_key__in=keys)
    wanted = set()
    for column in ("birth_date", "birth_year"):
        wanted.update((row["family_key"], column, row[column]) for row in _groups(people, column))
    dates = {value for _key, column, value in wanted if column == "birth_date"}
    years = {value for _key, column, value in wanted if column == "birth_year"}
    members = people.filter(Q(birth_date__in=dates) | Q(birth_year__in=years))
    groups: dict[tuple, list[tuple[Person, Facts]]] = {}
    for person in members.only(*FACT_FIELDS).order_by("family_key", "id")[:PAIR_MEMBERS]:
        column = "birth_date" if person.birth_date else "birth_year"
        group = (person.family_key, column, getattr(person, column))
        if group in wanted:
            groups.setdefault(group, []).append((person, Facts.of_person(person)))
    pairs = []
    for group in sorted(groups, key=lambda group: (group[0], group[1], str(group[2]))):
        together = groups[group]
        for index, (first, first_facts) in enumerate(together):
            for second, second_facts in together[index + 1 :]:
                likeness = compare(first_facts, second_facts)
                if likeness is not None:
                    pairs.append(Pair(first, second, likeness))
    return pairs, (keys[-1] if len(keys) == families else None)
