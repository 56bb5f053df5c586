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
    code: str
    label: object
    # A filter on Attendance rows; ``years`` is the age limit where one applies.
    condition: object
    takes_age: bool = False


def _women(_years):
    return Q(person__gender=Gender.FEMALE) & (age_unknown() | at_least(18))


CHARACTERISTICS: dict[str, Characteristic] = {
    c.code: c
    for c in [
        Characteristic("anyone", _("anyone"), lambda _years: Q()),
        Characteristic("women", _("women"), _women),
        Characteristic(
            "pregnant",
            _("pregnant women"),
            lambda _years: Q(holds_role(PersonRoleKind.PREGNANT)),
        ),
        Characteristic(
            "children",
            _("children under the age limit at the time of attendance"),
            lambda years: ~age_unknown() & younger_than(years or 18),
            takes_age=True,
        ),
        Characteristic(
            "childrens_home_staff",
            _("staff of children's homes"),
            lambda _years: Q(holds_role(PersonRoleKind.CHILDRENS_HOME_STAFF)),
        ),
        Characteristic(
            "prison_staff",
            _("prison staff"),
            lambda _years: Q(holds_role(PersonRoleKind.PRISON_STAFF)),
        ),
        Characteristic(
            "relatives",
            _("relatives and caregivers"),
            lambda _years: Q(holds_role(PersonRoleKind.RELATIVE)),
        ),
        Characteristic(
            "prisoners", _("prisoners"), lambda _years: Q(holds_role(PersonRoleKind.PRISONER))
        ),
        Characteristic(
            "professionals",
            _("professionals (specialists, prison and children's home staff)"),
            lambda _years: Q(
                holds_role(
                    PersonRoleKind.SPECIALIST,
                    PersonRoleKind.PRISON_STAFF,
                    PersonRoleKind.CHILDRENS_HOME_STAFF,
                )
            ),
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
    """One setting of a kind, shown as a form field."""

    name: str
    label: object
    kind: str  # "session_kinds" (several), "characteristic" (one), "integer"
    required: bool = False
    help_text: object = ""


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
    """Every indicator of a project with its live actual (fixed queries per indicator)."""
    return [compute(indicator, period, breakdown) for indicator in project.indicators.all()]
