"""The funder report of a project for a period, built once as plain data.

:func:`build` returns dicts, lists, numbers and strings (and
:class:`~kinbridge.programmes.suppression.Hidden` marks in the external
variant); the web page, the PDF, the XLSX file, the JSON of the API and the
dashboard all render that one structure, so they always agree. Labels are
translated when the report is built: build it inside
``translation.override(language)``.

Figures come from records, in a fixed number of queries whatever the number
of sessions, attendance rows or indicators:

* KPIs: planned (target) vs actual, as the KPI engine counts them
  (:mod:`kinbridge.programmes.indicators`), every indicator in one query.
* Beneficiaries: distinct people, see :data:`DEFINITIONS`.
* Activities: sessions held and participations (people present at each
  session, added up, plus unnamed headcounts) by month and place.
* Budget: lines planned vs spent, funders' contributions and shares.

Variants: *internal* (exact figures) and *external* (counts of people below
``KINBRIDGE_SUPPRESSION_THRESHOLD`` hidden, with secondary suppression in
tables with totals; see :mod:`kinbridge.programmes.suppression`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from kinbridge.accounts.roles import Role
from kinbridge.people.models import (
    PARENT_KINDS,
    Person,
    PersonRoleKind,
    Relationship,
)
from kinbridge.programmes import indicators
from kinbridge.programmes.models import (
    Attendance,
    AttendanceStatus,
    ExternalFacilitator,
    PlaceKind,
    Project,
    Session,
    SessionStatus,
)
from kinbridge.programmes.report_kpis import counts_people, kpi_actuals
from kinbridge.programmes.suppression import Grid, Hidden, hide_small, suppress_table

INTERNAL = "internal"
EXTERNAL = "external"
VARIANTS = (INTERNAL, EXTERNAL)
CHILD_AGE = 18
# Roles of the project's team who read exact figures; analysts read the external variant.
INTERNAL_READERS = (
    Role.PROGRAMME_MANAGER,
    Role.CASEWORKER,
    Role.FACILITATOR,
    Role.VOLUNTEER_COORDINATOR,
)


def allowed_variants(user, project: Project) -> tuple[str, ...]:
    """Administrators and the team's staff: both; everyone else who sees the project
    (analysts): the external variant only."""
    if user.has_role(Role.ADMINISTRATOR) or (
        user.has_role(*INTERNAL_READERS) and project.team_id in user.team_ids
    ):
        return VARIANTS
    return (EXTERNAL,)


def threshold() -> int:
    return settings.KINBRIDGE_SUPPRESSION_THRESHOLD


def month_span(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` inclusive, as funders write periods."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months + (1 if end.day >= start.day - 1 else 0)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of every month from ``start``'s to ``end``'s."""
    month, last, months = start.replace(day=1), end.replace(day=1), []
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


# --- Beneficiaries -------------------------------------------------------------------


def _children(start: dt.date) -> Q:
    """Under 18 on the day of the session.

    The first part compares the birth date with a constant (anyone under 18 on
    a day from ``start`` on was born after ``start`` minus 18 years): it rules
    out most adults before the exact date arithmetic runs row by row.
    """
    cut = dt.date(start.year - CHILD_AGE, start.month, 1) - dt.timedelta(days=1)
    born_late = Q(person__birth_date__gt=cut) | Q(
        person__birth_date__isnull=True, person__birth_year__gte=cut.year - 1
    )
    return born_late & ~indicators.age_unknown() & indicators.younger_than(CHILD_AGE)


def _families(rows, start: dt.date) -> int:
    """Distinct family groups, each named by its parent figure (see DEFINITIONS).

    Worked out per person who took part, not per attendance row: a child names
    their first recorded parent figure, else the adult they came with (the
    first by id), else themselves; a parent figure who took part and was never
    a child at the sessions names their own family.
    """
    child_ids = rows.filter(_children(start)).values("person_id")
    parent = (
        Relationship.objects.filter(person_id=OuterRef("pk"), kind__in=PARENT_KINDS)
        .order_by("relative_id")
        .values("relative_id")[:1]
    )
    came_with = (
        rows.filter(person_id=OuterRef("pk"), with_adult__isnull=False)
        .order_by("with_adult_id")
        .values("with_adult_id")[:1]
    )
    children = (
        Person.objects.filter(pk__in=child_ids)
        .annotate(
            anchor=Coalesce(
                Subquery(parent), Subquery(came_with), F("pk"), output_field=IntegerField()
            )
        )
        .values("anchor")
        .order_by()
    )
    parents = Relationship.objects.filter(kind__in=PARENT_KINDS).values("relative_id")
    adults = (
        Person.objects.filter(pk__in=rows.values("person_id"))
        .filter(pk__in=parents)
        .exclude(pk__in=child_ids)
        .annotate(anchor=Coalesce(F("pk"), F("pk"), output_field=IntegerField()))
        .values("anchor")
        .order_by()
    )
    return children.union(adults).count()


def _beneficiaries(sessions, unnamed: int, start: dt.date) -> list[dict]:
    rows = Attendance.objects.filter(session__in=sessions, status=AttendanceStatus.PRESENT)
    roles = (
        PersonRoleKind.SPECIALIST,
        PersonRoleKind.PRISON_STAFF,
        PersonRoleKind.CHILDRENS_HOME_STAFF,
    )
    counts = rows.aggregate(
        named=Count("person_id", distinct=True),
        children=Count("person_id", distinct=True, filter=_children(start)),
    )
    # A join to the roles held on the day (one filter() call: the same role row),
    # not a subquery per attendance row.
    professionals = rows.filter(
        Q(person__roles__role__in=roles)
        & (
            Q(person__roles__start__isnull=True)
            | Q(person__roles__start__lte=F("session__start_date"))
        )
        & (Q(person__roles__end__isnull=True) | Q(person__roles__end__gt=F("session__start_date")))
    ).aggregate(n=Count("person_id", distinct=True))["n"]
    leaders = ExternalFacilitator.objects.filter(session__in=sessions).aggregate(
        n=Count("person_id", distinct=True)
    )["n"]
    return [
        {
            "key": "participants",
            "label": _("People who took part"),
            "value": counts["named"] + unnamed,
            "note": 1,
        },
        {"key": "children", "label": _("Children"), "value": counts["children"], "note": 2},
        {"key": "families", "label": _("Families"), "value": _families(rows, start), "note": 3},
        {
            "key": "professionals",
            "label": _("Specialists and professionals who took part"),
            "value": professionals,
            "note": 4,
        },
        {
            "key": "external_specialists",
            "label": _("External specialists who led sessions"),
            "value": leaders,
            "note": 5,
        },
    ]


# --- Activities by month and place ------------------------------------------------------


def _place_key(facility_id, place_kind) -> tuple:
    return ("facility", facility_id) if facility_id else (place_kind or "", None)


def _activities(sessions, months: list[dt.date]) -> dict:
    # People present per session: the attendance index alone answers it (no join),
    # then the sessions (one row each) put the numbers in their month and place.
    present_at = dict(
        Attendance.objects.filter(session__in=sessions, status=AttendanceStatus.PRESENT)
        .order_by()
        .values("session_id")
        .annotate(n=Count("id"))
        .values_list("session_id", "n")
    )
    names = {}
    unnamed = 0
    held: dict[tuple, int] = {}
    present: dict[tuple, int] = {}
    for row in sessions.order_by().values(
        "id", "month", "facility_id", "facility__name", "place_kind", "unnamed_headcount"
    ):
        place = _place_key(row["facility_id"], row["place_kind"])
        names[place] = row["facility__name"]
        key = (row["month"], place)
        held[key] = held.get(key, 0) + 1
        present[key] = present.get(key, 0) + row["unnamed_headcount"] + present_at.get(row["id"], 0)
        unnamed += row["unnamed_headcount"]
    kinds = dict(PlaceKind.choices)
    order = {PlaceKind.COMMUNITY: 1, PlaceKind.ONLINE: 2}
    places = sorted(
        names,
        key=lambda p: (order.get(p[0], 0), (names[p] or "").lower(), p[1] or 0),
    )
    labels = [names[p] if p[0] == "facility" else str(kinds.get(p[0], p[0])) for p in places]
    return {
        "months": months,
        "places": labels,
        "sessions": [[held.get((m, p), 0) for p in places] for m in months],
        "participations": [[present.get((m, p), 0) for p in places] for m in months],
        "unnamed": unnamed,
    }


def _table(body: list[list], months: list[dt.date], places: list[str], *, hide: bool) -> dict:
    """A table of months by places with totals, small counts hidden when ``hide``."""
    grid = suppress_table(body, threshold()) if hide and places else Grid.of(body)
    return {
        "columns": places,
        "rows": [
            {"month": month, "cells": cells, "total": total}
            for month, cells, total in zip(months, grid.rows, grid.row_totals, strict=True)
        ],
        "column_totals": grid.column_totals,
        "total": grid.total,
    }


# --- Budget ---------------------------------------------------------------------------


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


def _budget(project: Project, fundings: list) -> dict:
    lines = list(project.budget_lines.all())
    planned = sum((line.planned for line in lines), Decimal(0))
    spent = sum((line.spent for line in lines), Decimal(0))
    funded = sum((funding.amount for funding in fundings), Decimal(0))
    other = project.total_budget - funded
    return {
        "currency": project.currency,
        "lines": [
            {
                "name": line.name,
                "planned": line.planned,
                "spent": line.spent,
                "remaining": line.planned - line.spent,
                "percent_spent": _percent(line.spent, line.planned),
            }
            for line in lines
        ],
        "planned": planned,
        "spent": spent,
        "remaining": planned - spent,
        "percent_spent": _percent(spent, planned),
        "total_budget": project.total_budget,
        "funders": [
            {
                "name": funding.funder.name,
                "amount": funding.amount,
                "share": _percent(funding.amount, project.total_budget),
            }
            for funding in fundings
        ],
        "other_sources": {"amount": other, "share": _percent(other, project.total_budget)}
        if other > 0
        else None,
    }


# --- The report -----------------------------------------------------------------------

DEFINITIONS = {
    1: lambda: _(
        "People who took part: distinct people recorded as present at least once at a "
        "session held in the period, plus people counted without names at public events."
    ),
    2: lambda: (
        _(
            "Children: distinct people present who were under %(age)s on the day of the "
            "session (from the date of birth, or the estimated year of birth); people whose "
            "age is not recorded are not counted as children."
        )
        % {"age": CHILD_AGE}
    ),
    3: lambda: _(
        "Families: distinct family groups reached. A family is named by a parent figure "
        "on record (mother, father, guardian or carer). A child who took part counts for "
        "the family of their parent figure (the first recorded; if none, the adult they "
        "came with; otherwise the child alone); an adult who took part and is recorded as "
        "the parent figure of someone counts for their own family. Each family counts once, "
        "however many of its members came; two parents who both took part count as two "
        "families."
    ),
    4: lambda: _(
        "Specialists and professionals: distinct people present who were, on the day, "
        "external specialists, prison staff or staff of children's homes."
    ),
    5: lambda: _(
        "External specialists who led sessions: distinct people recorded as leading at "
        "least one session held in the period."
    ),
    6: lambda: _(
        "Participations: the people present at each session added up (a person at three "
        "sessions counts three times), plus unnamed headcounts. Only sessions held count; "
        "planned and cancelled sessions do not."
    ),
}


def _footnotes(variant: str, limit: int) -> list[str]:
    notes = [f"{number}. {text()}" for number, text in DEFINITIONS.items()]
    if variant == EXTERNAL and limit > 1:
        notes.append(
            f"{len(notes) + 1}. "
            + _(
                "Small numbers are not published: a count of people from 1 to %(below)s "
                "is shown as “<%(limit)s” (zero is shown as 0). In tables with totals, "
                "a further cell is hidden as “*” wherever a total would otherwise give a "
                "hidden number back. Numbers of sessions and money are not hidden."
            )
            % {"below": limit - 1, "limit": limit}
        )
    return notes


def build(project: Project, start: dt.date, end: dt.date, variant: str) -> dict:
    """The whole report (see the module's docstring)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    hide = variant == EXTERNAL
    limit = threshold()

    def count(value):
        return hide_small(int(value), limit) if hide else int(value)

    period = indicators.Period(start, end)
    sessions = period.sessions(
        Session.objects.filter(project_id=project.pk, status=SessionStatus.HELD)
    )
    fundings = list(project.fundings.select_related("funder").order_by("-amount", "funder__name"))
    months = months_between(start, end)
    activities = _activities(sessions, months)
    kpis = []
    for result in kpi_actuals(project, period):
        indicator = result.indicator
        people = counts_people(indicator)
        actual = count(result.actual) if people else _number(result.actual)
        kpis.append(
            {
                "name": indicator.name,
                "kind": indicator.kind,
                "counted_as": _kind_label(indicator),
                "counts_people": people,
                "target": _number(indicator.target),
                "actual": actual,
                "percent": None if isinstance(actual, Hidden) else result.percent,
                "evidence": indicator.evidence_note
                or (indicator.evidence.name.rsplit("/", 1)[-1] if indicator.evidence else ""),
            }
        )
    beneficiaries = _beneficiaries(sessions, activities["unnamed"], start)
    for row in beneficiaries:
        row["value"] = count(row["value"])
    return {
        "variant": variant,
        "threshold": limit if hide else None,
        "generated_at": timezone.now(),
        "period": {"start": start, "end": end, "months": month_span(start, end)},
        "header": {
            "organisation": settings.ORGANISATION_NAME,
            "project_id": project.pk,
            "title": project.title,
            "code": project.code,
            "programme": project.programme.name,
            "team": project.team.name,
            "funders": [{"name": f.funder.name, "amount": f.amount} for f in fundings],
            "total_budget": project.total_budget,
            "currency": project.currency,
            "start": project.start,
            "end": project.end,
            "months": project.months,
            "facilities": [facility.name for facility in project.facilities.all()],
            "regions": [region.name for region in project.regions.all()],
            "target_beneficiaries": project.target_beneficiaries,
        },
        "kpis": kpis,
        "beneficiaries": beneficiaries,
        "activities": {
            "sessions": _table(activities["sessions"], months, activities["places"], hide=False),
            "participations": _table(
                activities["participations"], months, activities["places"], hide=hide
            ),
        },
        "budget": _budget(project, fundings),
        "notes": project.report_notes,
        "footnotes": _footnotes(variant, limit),
    }


def _number(value: Decimal) -> int | Decimal:
    """Whole numbers as int (targets and actuals are stored with two decimals)."""
    return int(value) if value == value.to_integral_value() else value


def _kind_label(indicator) -> str:
    kind = indicators.KINDS.get(indicator.kind)
    if kind is None:
        return indicator.kind
    described = kind.describe(indicator.parameters or {})
    return f"{kind.label}: {described}" if described else str(kind.label)


def plain(value):
    """The report as JSON-ready data: hidden counts as their mark, money as strings."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, Hidden):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
