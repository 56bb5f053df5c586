"""The KPI engine: indicator kinds, and actuals computed live from records.

An indicator kind says how an actual is counted and which settings it
takes. Kinds live in a registry, so another app adds its own (casework
registers "persons receiving a service type") with :func:`register`::

    register(MyKind())

Each kind computes, for one indicator and an optional period, the total
and a breakdown by facility and by month, in a fixed number of queries
whatever the number of sessions or attendance rows. People are counted
once per indicator (distinct persons), however many sessions they attend;
in a breakdown a person counts once in each facility or month they came.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Exists, F, Func, OuterRef, Q, Sum
from django.db.models.fields import DateField
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from kinbridge.people.models import Gender, PersonRole, PersonRoleKind
from kinbridge.programmes.models import (
    Attendance,
    AttendanceStatus,
    Indicator,
    Session,
    SessionKind,
    SessionStatus,
)

# --- Dates in SQL, computed by each database's own date functions -------------------


class AddYears(Func):
    """``date + N years`` (SQLite's date() and PostgreSQL's intervals: no Python per row)."""

    output_field = DateField()

    def __init__(self, expression, years: int, **extra):
        self.years = int(years)
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template=f"date(%(expressions)s, '+{self.years} years')", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template=f"((%(expressions)s) + make_interval(years => {self.years}))::date",
            **extra,
        )


class MidYear(Func):
    """1 July of a year: the estimate for someone whose birth year alone is known."""

    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="date(CAST(%(expressions)s AS TEXT) || '-07-01')",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="make_date(%(expressions)s, 7, 1)", **extra
        )


def birth(prefix: str = "person__"):
    """The date of birth, or 1 July of the estimated year of birth."""
    return Coalesce(F(f"{prefix}birth_date"), MidYear(F(f"{prefix}birth_year")))


def younger_than(years: int, prefix: str = "person__") -> Q:
    """Under ``years`` on the day of the session (the birth date known or estimated)."""
    return Q(session__start_date__lt=AddYears(birth(prefix), years))


def at_least(years: int, prefix: str = "person__") -> Q:
    return Q(session__start_date__gte=AddYears(birth(prefix), years))


def age_unknown(prefix: str = "person__") -> Q:
    return Q(**{f"{prefix}birth_date__isnull": True, f"{prefix}birth_year__isnull": True})


def holds_role(*roles: str) -> Exists:
    """The person held one of ``roles`` on the day of the session."""
    return Exists(
        PersonRole.objects.filter(person_id=OuterRef("person_id"), role__in=roles)
        .filter(Q(start__isnull=True) | Q(start__lte=OuterRef("session__start_date")))
        .filter(Q(end__isnull=True) | Q(end__gt=OuterRef("session__start_date")))
    )


# --- Characteristics of participants --------------------------------------------------


@dataclass(frozen=True)
class Characteristic:
    """Who counts. ``condition`` is the rule on one attendance row (a Q on Attendance;
    ``years`` is the age limit where one applies). The other fields say the same rule
    per person, so the engine can count everyone in one pass (see ``_count_people``):
    a role held on the day of a session, or a gender and an age on the day of a session.
    """

    code: str
    label: object
    condition: object
    takes_age: bool = False
    roles: tuple[str, ...] = ()  # held one of these on the day of a session
    gender: str = ""  # and is of this gender
    adult: bool = False  # 18 or over on the day of a session (or the age is unknown)
    under_age: bool = False  # under the age limit on the day of a session (age known)

    def __post_init__(self):
        # Per person, "a role on some day" and "an age on some day" are separate days;
        # a characteristic needing both on the same day cannot be counted that way.
        if self.roles and (self.adult or self.under_age or self.gender):
            raise ValueError("A characteristic is defined by roles, or by gender and age.")


def _women(_years):
    return Q(person__gender=Gender.FEMALE) & (age_unknown() | at_least(18))


def _role(code: str, label, *roles: str) -> Characteristic:
    return Characteristic(code, label, lambda _years: Q(holds_role(*roles)), roles=roles)


CHARACTERISTICS: dict[str, Characteristic] = {
    c.code: c
    for c in [
        Characteristic("anyone", _("anyone"), lambda _years: Q()),
        Characteristic("women", _("women"), _women, gender=Gender.FEMALE, adult=True),
        _role("pregnant", _("pregnant women"), PersonRoleKind.PREGNANT),
        Characteristic(
            "children",
            _("children under the age limit at the time of attendance"),
            lambda years: ~age_unknown() & younger_than(years or 18),
            takes_age=True,
            under_age=True,
        ),
        _role(
            "childrens_home_staff",
            _("staff of children's homes"),
            PersonRoleKind.CHILDRENS_HOME_STAFF,
        ),
        _role("prison_staff", _("prison staff"), PersonRoleKind.PRISON_STAFF),
        _role("relatives", _("relatives and caregivers"), PersonRoleKind.RELATIVE),
        _role("prisoners", _("prisoners"), PersonRoleKind.PRISONER),
        _role(
            "professionals",
            _("professionals (specialists, prison and children's home staff)"),
            PersonRoleKind.SPECIALIST,
            PersonRoleKind.PRISON_STAFF,
            PersonRoleKind.CHILDRENS_HOME_STAFF,
        ),
    ]
}


# --- Results ----------------------------------------------------------------------------


@dataclass
class Breakdown:
    # (facility id or None, facility name or None) -> value
    by_facility: dict[tuple[int | None, str | None], Decimal] = field(default_factory=dict)
    # first day of month -> value
    by_month: dict[dt.date, Decimal] = field(default_factory=dict)


@dataclass
class Result:
    indicator: Indicator
    actual: Decimal
    breakdown: Breakdown | None = None

    @property
    def target(self) -> Decimal:
        return self.indicator.target

    @property
    def percent(self) -> Decimal | None:
        """Per cent of the target achieved (None for a zero target)."""
        if not self.indicator.target:
            return None
        return (Decimal(self.actual) * 100 / self.indicator.target).quantize(Decimal("1"))


@dataclass(frozen=True)
class Period:
    start: dt.date | None = None
    end: dt.date | None = None  # inclusive

    def sessions(self, sessions, prefix: str = ""):
        if self.start:
            sessions = sessions.filter(**{f"{prefix}start_date__gte": self.start})
        if self.end:
            sessions = sessions.filter(**{f"{prefix}start_date__lte": self.end})
        return sessions


ALL_TIME = Period()


# --- Kinds ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    """One setting of a kind, shown as a form field.

    Besides the engine's own kinds of setting, another app's kind offers its own
    lists with "choice" (one of ``choices``) or "choices" (several of them); the
    indicator form and the validation handle them without knowing the app.
    """

    name: str
    label: object
    kind: str  # "session_kinds" (several), "characteristic" (one), "integer", "choice(s)"
    required: bool = False
    help_text: object = ""
    choices: tuple[tuple[str, object], ...] = ()  # (value, label) for "choice" and "choices"


class IndicatorKind:
    code: str = ""
    label: object = ""
    help_text: object = ""
    parameters: tuple[Parameter, ...] = ()
    manual: bool = False

    def clean_parameters(self, raw: dict) -> dict:
        """Validated settings, or ValidationError keyed by parameter name."""
        raw = raw or {}
        cleaned, errors = {}, {}
        for parameter in self.parameters:
            value = raw.get(parameter.name)
            if value in (None, "", []):
                if parameter.required:
                    errors[parameter.name] = _(
                        "This setting is required for this kind of indicator."
                    )
                continue
            try:
                cleaned[parameter.name] = _clean_value(parameter, value)
            except ValidationError as error:
                errors[parameter.name] = error.messages
        unknown = set(raw) - {p.name for p in self.parameters}
        if unknown:
            errors["parameters"] = _("Unknown settings: %(names)s.") % {
                "names": ", ".join(sorted(unknown))
            }
        if errors:
            raise ValidationError(errors)
        return cleaned

    def sessions(self, indicator: Indicator, period: Period):
        parameters = indicator.parameters or {}
        sessions = Session.objects.filter(
            project_id=indicator.project_id, status=SessionStatus.HELD
        )
        if parameters.get("session_kinds"):
            sessions = sessions.filter(kind__in=parameters["session_kinds"])
        if parameters.get("min_days"):
            sessions = sessions.filter(day_count__gte=parameters["min_days"])
        return period.sessions(sessions)

    def compute(
        self, indicator: Indicator, period: Period = ALL_TIME, breakdown: bool = False
    ) -> Result:
        raise NotImplementedError

    def compute_many(
        self, indicators, period: Period = ALL_TIME, breakdown: bool = False
    ) -> list[Result]:
        """Several indicators of this kind at once, in order. A kind that can share work
        between them (one pass over the attendance) overrides this."""
        return [self.compute(indicator, period, breakdown) for indicator in indicators]

    def describe(self, parameters: dict) -> str:
        """The settings in words, for the KPI table."""
        parts = []
        labels = dict(SessionKind.choices)
        if parameters.get("session_kinds"):
            parts.append(", ".join(str(labels.get(k, k)) for k in parameters["session_kinds"]))
        if parameters.get("min_days"):
            parts.append(str(_("at least %(days)s days")) % {"days": parameters["min_days"]})
        if parameters.get("characteristic"):
            characteristic = CHARACTERISTICS.get(parameters["characteristic"])
            if characteristic:
                parts.append(str(characteristic.label))
        if parameters.get("age_years"):
            parts.append(str(_("under %(years)s years")) % {"years": parameters["age_years"]})
        return "; ".join(parts)


def _clean_value(parameter: Parameter, value):
    if parameter.kind == "session_kinds":
        values = value if isinstance(value, (list, tuple)) else [value]
        valid = set(SessionKind.values)
        wrong = [v for v in values if v not in valid]
        if wrong:
            raise ValidationError(
                _("Unknown session type: %(value)s.") % {"value": ", ".join(map(str, wrong))}
            )
        return sorted(set(values))
    if parameter.kind == "characteristic":
        if value not in CHARACTERISTICS:
            raise ValidationError(_("Choose one of the listed characteristics."))
        return value
    if parameter.kind in ("choice", "choices"):
        several = parameter.kind == "choices"
        values = value if several and isinstance(value, (list, tuple)) else [value]
        valid = {choice for choice, _label in parameter.choices}
        wrong = [v for v in values if not isinstance(v, str) or v not in valid]
        if wrong:
            raise ValidationError(
                _("Not one of the choices: %(value)s.") % {"value": ", ".join(map(str, wrong))}
            )
        return sorted(set(values)) if several else value
    if parameter.kind == "integer":
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError(_("Enter a whole number.")) from None
        if number < 1 or number > 100:
            raise ValidationError(_("Enter a whole number from 1 to 100."))
        return number
    raise ValidationError(_("Unknown setting."))


SESSION_KINDS = Parameter(
    "session_kinds", _("session types"), "session_kinds", help_text=_("Empty: every type.")
)
MIN_DAYS = Parameter(
    "min_days",
    _("at least this many days"),
    "integer",
    help_text=_("2 counts two-day trainings only."),
)


def _decimal(value) -> Decimal:
    return Decimal(value or 0)


class SessionCount(IndicatorKind):
    code = "sessions"
    label = _("Number of sessions")
    help_text = _("Sessions held, of the chosen types, optionally lasting several days.")
    parameters = (SESSION_KINDS, MIN_DAYS)

    def compute(self, indicator, period=ALL_TIME, breakdown=False):
        sessions = self.sessions(indicator, period)
        result = Result(indicator, _decimal(sessions.count()))
        if breakdown:
            result.breakdown = Breakdown(
                by_facility={
                    (row["facility_id"], row["facility__name"]): _decimal(row["n"])
                    for row in sessions.values("facility_id", "facility__name").annotate(
                        n=Count("id")
                    )
                },
                by_month={
                    row["month"]: _decimal(row["n"])
                    for row in sessions.values("month").annotate(n=Count("id")).order_by("month")
                },
            )
        return result


class DistinctParticipants(IndicatorKind):
    code = "participants"
    label = _("Distinct participants with a characteristic")
    help_text = _(
        "People present at least once at the project's sessions, "
        "counted once however often they came."
    )
    parameters = (
        Parameter("characteristic", _("who counts"), "characteristic", required=True),
        Parameter(
            "age_years",
            _("age limit in years"),
            "integer",
            help_text=_("For children: 3 counts children under 3 on the day they attended."),
        ),
        SESSION_KINDS,
        MIN_DAYS,
    )

    def attendance(self, indicator, period):
        parameters = indicator.parameters or {}
        characteristic = CHARACTERISTICS[parameters.get("characteristic", "anyone")]
        rows = Attendance.objects.filter(
            session__in=self.sessions(indicator, period), status=AttendanceStatus.PRESENT
        )
        return rows.filter(characteristic.condition(parameters.get("age_years")))

    def compute(self, indicator, period=ALL_TIME, breakdown=False):
        return self.compute_many([indicator], period, breakdown)[0]

    def compute_many(self, indicators, period=ALL_TIME, breakdown=False):
        """Indicators on the same sessions are counted together: one pass by person and
        one by role for the total, again for the facilities and the months (see
        ``_count_people``)."""
        if connection.vendor not in _BIRTH_SQL:
            return [self.compute_rows(indicator, period, breakdown) for indicator in indicators]
        groups: dict[tuple, list[Indicator]] = {}
        for indicator in indicators:
            groups.setdefault(_sessions_key(indicator), []).append(indicator)
        results = {}
        for group in groups.values():
            if len(group) == 1 and not _reads_person(group[0]):
                # Alone, a count by role (or of anyone) is cheaper row by row: no person
                # to read, and one DISTINCT instead of a grouping (docs/benchmarks.md).
                results[id(group[0])] = self.compute_rows(group[0], period, breakdown)
                continue
            sessions = self.sessions(group[0], period)
            totals = _count_people(sessions, group)[None]
            for number, indicator in enumerate(group):
                results[id(indicator)] = Result(indicator, _decimal(totals[number]))
            if breakdown:
                by_facility = _count_people(sessions, group, by="facility")
                by_month = _count_people(sessions, group, by="month")
                for number, indicator in enumerate(group):
                    results[id(indicator)].breakdown = Breakdown(
                        by_facility={
                            key: _decimal(counts[number])
                            for key, counts in by_facility.items()
                            if counts[number]
                        },
                        by_month={
                            key: _decimal(counts[number])
                            for key, counts in sorted(by_month.items())
                            if counts[number]
                        },
                    )
        return [results[id(indicator)] for indicator in indicators]

    def compute_rows(self, indicator, period=ALL_TIME, breakdown=False):
        """The same numbers, row by row through ``attendance`` (any database)."""
        rows = self.attendance(indicator, period)
        total = rows.aggregate(n=Count("person_id", distinct=True))["n"]
        result = Result(indicator, _decimal(total))
        if breakdown:
            result.breakdown = Breakdown(
                by_facility={
                    (row["session__facility_id"], row["session__facility__name"]): _decimal(
                        row["n"]
                    )
                    for row in rows.values(
                        "session__facility_id", "session__facility__name"
                    ).annotate(n=Count("person_id", distinct=True))
                },
                by_month={
                    row["session__month"]: _decimal(row["n"])
                    for row in rows.values("session__month")
                    .annotate(n=Count("person_id", distinct=True))
                    .order_by("session__month")
                },
            )
        return result


def _characteristic(indicator) -> Characteristic:
    return CHARACTERISTICS[(indicator.parameters or {}).get("characteristic", "anyone")]


def _reads_person(indicator) -> bool:
    """Whether the rule needs the person's gender or age (not only roles)."""
    characteristic = _characteristic(indicator)
    return bool(characteristic.gender or characteristic.adult or characteristic.under_age)


def _sessions_key(indicator) -> tuple:
    parameters = indicator.parameters or {}
    return (
        indicator.project_id,
        tuple(sorted(parameters.get("session_kinds") or ())),
        parameters.get("min_days") or 0,
    )


# --- Counting people once, in two passes ------------------------------------------------
#
# Counting distinct people row by row joins every attendance row to its person
# (100,000 look-ups for 100,000 rows) and evaluates dates per row, once per
# indicator. Instead, for all the indicators on the same sessions:
#
# * by person (gender and age): the attendance rows are grouped by person (and by
#   facility or month for a breakdown) with the first and last day each came; the
#   person is read once per group, and each indicator's rule is a sum over the
#   groups: a woman is 18 or over on her last day, a child under the limit on the
#   first;
# * by role: one pass joins the rows to the roles of every set at once and counts
#   distinct people per set (the few role holders, not everyone, are kept).
#
# Same numbers as ``compute_rows`` (the tests compare them); docs/benchmarks.md
# says how fast.

_BIRTH_SQL = {
    # The date of birth, or 1 July of the estimated year of birth.
    "sqlite": "COALESCE(p.{birth_date}, date(CAST(p.{birth_year} AS TEXT) || '-07-01'))",
    "postgresql": "COALESCE(p.{birth_date}, make_date(p.{birth_year}, 7, 1))",
}
_ADD_YEARS_SQL = {
    "sqlite": "date({date}, '+{years} years')",
    "postgresql": "(({date}) + make_interval(years => {years}))::date",
}


def _quote(alias: str, meta, name: str) -> str:
    return f"{alias}.{connection.ops.quote_name(meta.get_field(name).column)}"


def _sessions_table(sessions) -> tuple[str, list]:
    """The sessions as a derived table: sid, day, place (facility), period (month)."""
    sql, params = (
        sessions.order_by()
        .values(sid=F("pk"), day=F("start_date"), place=F("facility_id"), period=F("month"))
        .query.sql_with_params()
    )
    return f"({sql})", list(params)


def _by_key(by: str | None) -> tuple[str | None, str, str]:
    """(the sessions' key column, extra joins, extra output columns) of a breakdown."""
    from kinbridge.facilities.models import Facility

    qn = connection.ops.quote_name
    if by == "facility":
        facility = Facility._meta
        join = f"LEFT JOIN {qn(facility.db_table)} f ON f.{qn(facility.pk.column)} = g.k "
        return "place", join, f"g.k, {_quote('f', facility, 'name')}"
    if by == "month":
        return "period", "", "g.k"
    return None, "", ""


def _read_counts(sql: str, params: list, by: str | None, width: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counts = {}
    for row in rows:
        if by == "facility":
            key, values = (row[0], row[1]), row[2:]
        elif by == "month":
            key, values = _as_date(row[0]), row[1:]
        else:
            key, values = None, row
        counts[key] = [int(value or 0) for value in values[:width]]
    return counts


def _count_by_person(sessions, rules, by) -> dict:
    """Counts for rules on gender and age (or anyone): grouped by person first."""
    from kinbridge.people.models import Person

    qn = connection.ops.quote_name
    vendor = connection.vendor
    attendance, person = Attendance._meta, Person._meta
    table, params = _sessions_table(sessions)
    key, key_join, key_columns = _by_key(by)
    pid = _quote("a", attendance, "person")
    inner_columns = [f"{pid} AS pid"]
    group_by = [pid]
    if key:
        inner_columns.append(f"s.{qn(key)} AS k")
        group_by.append(f"s.{qn(key)}")
    inner_columns += [f"MIN(s.{qn('day')}) AS first_day", f"MAX(s.{qn('day')}) AS last_day"]
    # Only quoted names, numbers and placeholders go into the text; values are parameters.
    inner = (
        f"SELECT {', '.join(inner_columns)} FROM {qn(attendance.db_table)} a "  # noqa: S608
        f"INNER JOIN {table} s ON s.{qn('sid')} = {_quote('a', attendance, 'session')} "
        f"WHERE {_quote('a', attendance, 'status')} = %s GROUP BY {', '.join(group_by)}"
    )
    params.append(AttendanceStatus.PRESENT.value)

    birth = _BIRTH_SQL[vendor].format(
        birth_date=qn(person.get_field("birth_date").column),
        birth_year=qn(person.get_field("birth_year").column),
    )
    unknown = (
        f"({_quote('p', person, 'birth_date')} IS NULL "
        f"AND {_quote('p', person, 'birth_year')} IS NULL)"
    )
    sums, sum_params = [], []
    for characteristic, years in rules:
        parts = []
        if characteristic.gender:
            parts.append(f"{_quote('p', person, 'gender')} = %s")
            sum_params.append(str(characteristic.gender))
        if characteristic.adult:
            adult_from = _ADD_YEARS_SQL[vendor].format(date=birth, years=18)
            parts.append(f"({unknown} OR g.last_day >= {adult_from})")
        if characteristic.under_age:
            limit = _ADD_YEARS_SQL[vendor].format(date=birth, years=int(years))
            parts.append(f"(NOT {unknown} AND g.first_day < {limit})")
        rule = " AND ".join(parts) or "1 = 1"
        sums.append(f"SUM(CASE WHEN {rule} THEN 1 ELSE 0 END)")
    reads_person = any(c.gender or c.adult or c.under_age for c, _years in rules)
    joins = (
        f"INNER JOIN {qn(person.db_table)} p ON p.{qn(person.pk.column)} = g.pid "
        if reads_person
        else ""
    ) + key_join
    columns = ", ".join([c for c in [key_columns] if c] + sums)
    group = f" GROUP BY {key_columns}" if key_columns else ""
    sql = f"SELECT {columns} FROM ({inner}) g {joins}{group}"  # noqa: S608
    return _read_counts(sql, [*sum_params, *params], by, len(rules))


def _count_by_role(sessions, rules, by) -> dict:
    """Counts for rules on roles held on the day of a session: one join for every set."""
    qn = connection.ops.quote_name
    attendance, role = Attendance._meta, PersonRole._meta
    table, table_params = _sessions_table(sessions)
    key, key_join, key_columns = _by_key(by)
    every_role = sorted(
        {str(value) for characteristic, _years in rules for value in characteristic.roles}
    )
    day = f"s.{qn('day')}"
    pid = _quote("a", attendance, "person")
    counts, count_params = [], []
    for characteristic, _years in rules:
        placeholders = ", ".join(["%s"] * len(characteristic.roles))
        counts.append(f"COUNT(DISTINCT CASE WHEN g.role IN ({placeholders}) THEN g.pid END)")
        count_params += [str(value) for value in characteristic.roles]
    key_select = f"s.{qn(key)} AS k, " if key else ""
    inner = (
        f"SELECT {key_select}{pid} AS pid, {_quote('r', role, 'role')} AS role "  # noqa: S608
        f"FROM {qn(attendance.db_table)} a "
        f"INNER JOIN {table} s ON s.{qn('sid')} = {_quote('a', attendance, 'session')} "
        f"INNER JOIN {qn(role.db_table)} r ON {_quote('r', role, 'person')} = {pid} "
        f"AND {_quote('r', role, 'role')} IN ({', '.join(['%s'] * len(every_role))}) "
        f"AND ({_quote('r', role, 'start')} IS NULL OR {_quote('r', role, 'start')} <= {day}) "
        f"AND ({_quote('r', role, 'end')} IS NULL OR {_quote('r', role, 'end')} > {day}) "
        f"WHERE {_quote('a', attendance, 'status')} = %s"
    )
    params = [*table_params, *every_role, AttendanceStatus.PRESENT.value]
    columns = ", ".join([c for c in [key_columns] if c] + counts)
    group = f" GROUP BY {key_columns}" if key_columns else ""
    sql = f"SELECT {columns} FROM ({inner}) g {key_join}{group}"  # noqa: S608
    return _read_counts(sql, [*count_params, *params], by, len(rules))


def _count_people(sessions, indicators, by: str | None = None) -> dict:
    """``{key: [people per indicator, in order]}``; key None for the total, else
    (facility id, name) or the first day of the month. The indicators share ``sessions``."""
    rules = []
    for indicator in indicators:
        parameters = indicator.parameters or {}
        rules.append((_characteristic(indicator), int(parameters.get("age_years") or 18)))
    counts: dict = {}
    for wanted, count in (
        ([n for n, (c, _y) in enumerate(rules) if not c.roles], _count_by_person),
        ([n for n, (c, _y) in enumerate(rules) if c.roles], _count_by_role),
    ):
        if not wanted:
            continue
        for key, values in count(sessions, [rules[n] for n in wanted], by).items():
            row = counts.setdefault(key, [0] * len(rules))
            for number, value in zip(wanted, values, strict=True):
                row[number] = value
    if by is None:
        counts.setdefault(None, [0] * len(rules))
    return counts


def _as_date(value):
    """SQLite hands back dates from a raw query as text."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


class EventParticipants(IndicatorKind):
    code = "event_participants"
    label = _("Participants of events, with unnamed headcounts")
    help_text = _(
        "Named people present (each once) plus the people counted without names at public events."
    )
    parameters = (SESSION_KINDS, MIN_DAYS)

    def compute(self, indicator, period=ALL_TIME, breakdown=False):
        sessions = self.sessions(indicator, period)
        rows = Attendance.objects.filter(session__in=sessions, status=AttendanceStatus.PRESENT)
        named = rows.aggregate(n=Count("person_id", distinct=True))["n"]
        unnamed = sessions.aggregate(n=Sum("unnamed_headcount"))["n"] or 0
        result = Result(indicator, _decimal(named + unnamed))
        if breakdown:
            by_facility: dict = {}
            by_month: dict = {}
            for row in rows.values("session__facility_id", "session__facility__name").annotate(
                n=Count("person_id", distinct=True)
            ):
                key = (row["session__facility_id"], row["session__facility__name"])
                by_facility[key] = by_facility.get(key, 0) + row["n"]
            for row in sessions.values("facility_id", "facility__name").annotate(
                n=Sum("unnamed_headcount")
            ):
                key = (row["facility_id"], row["facility__name"])
                by_facility[key] = by_facility.get(key, 0) + (row["n"] or 0)
            for row in rows.values("session__month").annotate(n=Count("person_id", distinct=True)):
                by_month[row["session__month"]] = by_month.get(row["session__month"], 0) + row["n"]
            for row in sessions.values("month").annotate(n=Sum("unnamed_headcount")):
                by_month[row["month"]] = by_month.get(row["month"], 0) + (row["n"] or 0)
            result.breakdown = Breakdown(
                by_facility={k: _decimal(v) for k, v in by_facility.items() if v},
                by_month={k: _decimal(v) for k, v in sorted(by_month.items()) if v},
            )
        return result


class SeriesCount(IndicatorKind):
    code = "series"
    label = _("Number of groups or series")
    help_text = _(
        "Recurring series (a self-help group, a weekly class) of the chosen types "
        "with at least one session held."
    )
    parameters = (SESSION_KINDS,)

    def compute(self, indicator, period=ALL_TIME, breakdown=False):
        sessions = self.sessions(indicator, period).filter(series__isnull=False)
        total = sessions.aggregate(n=Count("series_id", distinct=True))["n"]
        result = Result(indicator, _decimal(total))
        if breakdown:
            result.breakdown = Breakdown(
                by_facility={
                    (row["facility_id"], row["facility__name"]): _decimal(row["n"])
                    for row in sessions.values("facility_id", "facility__name").annotate(
                        n=Count("series_id", distinct=True)
                    )
                },
                by_month={
                    row["month"]: _decimal(row["n"])
                    for row in sessions.values("month")
                    .annotate(n=Count("series_id", distinct=True))
                    .order_by("month")
                },
            )
        return result


class Manual(IndicatorKind):
    code = "manual"
    label = _("Entered by hand, with evidence")
    help_text = _("For outputs that are not sessions or people, such as a published brochure.")
    manual = True

    def compute(self, indicator, period=ALL_TIME, breakdown=False):
        result = Result(indicator, _decimal(indicator.manual_actual))
        if breakdown:
            result.breakdown = Breakdown()
        return result


# --- Registry -------------------------------------------------------------------------

KINDS: dict[str, IndicatorKind] = {}


def register(kind: IndicatorKind) -> IndicatorKind:
    """Make a kind available to every project (call from an AppConfig.ready)."""
    if not kind.code:
        raise ValueError("An indicator kind needs a code.")
    KINDS[kind.code] = kind
    return kind


for _kind in (
    SessionCount(),
    DistinctParticipants(),
    EventParticipants(),
    SeriesCount(),
    Manual(),
):
    register(_kind)


def kind_choices() -> list[tuple[str, object]]:
    return [(code, kind.label) for code, kind in KINDS.items()]


def kind_of(indicator: Indicator) -> IndicatorKind:
    try:
        return KINDS[indicator.kind]
    except KeyError:
        raise ValidationError({"kind": _("Unknown kind of indicator.")}) from None


def compute(indicator: Indicator, period: Period = ALL_TIME, breakdown: bool = False) -> Result:
    return kind_of(indicator).compute(indicator, period, breakdown)


def project_results(project, period: Period = ALL_TIME, breakdown: bool = False) -> list[Result]:
    """Every indicator of a project with its live actual, in the table's order.

    Indicators of one kind are computed together (``compute_many``): people are
    counted for all of them in one pass over the attendance.
    """
    project_indicators = list(project.indicators.all())
    by_kind: dict[str, list[Indicator]] = {}
    for indicator in project_indicators:
        by_kind.setdefault(indicator.kind, []).append(indicator)
    results = {}
    for code, group in by_kind.items():
        kind = KINDS.get(code)
        if kind is None:
            raise ValidationError({"kind": _("Unknown kind of indicator.")})
        for result in kind.compute_many(group, period, breakdown):
            results[id(result.indicator)] = result
    return [results[id(indicator)] for indicator in project_indicators]
