"""A project's KPI table: each indicator with how it is counted, its live actual,
the per cent achieved and, on request, the breakdown by facility and by month.

The page and the API both read it from here; the numbers come from
:mod:`kinbridge.programmes.indicators`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from kinbridge.programmes import indicators
from kinbridge.programmes.models import Indicator


@dataclass
class KpiRow:
    indicator: Indicator
    kind_label: str
    how: str
    actual: Decimal | None
    percent: Decimal | None
    manual: bool = False
    # [(facility id or None, label, value)], [(first day of month, value)]
    by_facility: list[tuple[int | None, str, Decimal]] = field(default_factory=list)
    by_month: list[tuple[dt.date, Decimal]] = field(default_factory=list)
    has_breakdown: bool = False

    @property
    def target(self) -> Decimal:
        return self.indicator.target

    @property
    def bar(self) -> int:
        """The progress bar's value: the per cent achieved, capped at 100."""
        return min(int(self.percent or 0), 100)

    @property
    def achieved(self) -> bool:
        return self.actual is not None and self.actual >= self.indicator.target


def how_counted(indicator: Indicator) -> tuple[str, str]:
    """(the kind's name, its settings in words) for the KPI table."""
    kind = indicators.KINDS.get(indicator.kind)
    if kind is None:
        return _("Unknown kind of indicator (%(code)s)") % {"code": indicator.kind}, ""
    return str(kind.label), kind.describe(indicator.parameters or {})


def _row(indicator: Indicator, result: indicators.Result | None) -> KpiRow:
    label, how = how_counted(indicator)
    kind = indicators.KINDS.get(indicator.kind)
    row = KpiRow(
        indicator=indicator,
        kind_label=label,
        how=how,
        actual=None,
        percent=None,
        manual=bool(kind and kind.manual),
    )
    if result is None:  # a kind no longer registered
        return row
    row.actual, row.percent = result.actual, result.percent
    if result.breakdown is not None:
        row.has_breakdown = bool(result.breakdown.by_facility or result.breakdown.by_month)
        row.by_facility = sorted(
            (
                (facility_id, name or _("No facility (online or a community venue)"), value)
                for (facility_id, name), value in result.breakdown.by_facility.items()
            ),
            key=lambda item: (item[0] is None, item[1].casefold()),
        )
        row.by_month = sorted(result.breakdown.by_month.items())
    return row


def kpi_row(
    indicator: Indicator,
    *,
    breakdown: bool = False,
    period: indicators.Period = indicators.ALL_TIME,
) -> KpiRow:
    """One indicator with its live actual (and breakdown, when asked)."""
    kind = indicators.KINDS.get(indicator.kind)
    result = kind.compute(indicator, period, breakdown) if kind else None
    return _row(indicator, result)


def kpi_rows(
    project, *, breakdown: bool = False, period: indicators.Period = indicators.ALL_TIME
) -> list[KpiRow]:
    """Every indicator of the project, in the table's order, with its live actual.

    As ``indicators.project_results`` does, the indicators of one kind are computed
    together (people counted in one pass); an indicator whose kind is no longer
    registered is listed without an actual instead of failing the page.
    """
    project_indicators = list(project.indicators.all())
    by_kind: dict[str, list[Indicator]] = {}
    for indicator in project_indicators:
        by_kind.setdefault(indicator.kind, []).append(indicator)
    results = {}
    for code, group in by_kind.items():
        kind = indicators.KINDS.get(code)
        if kind is not None:
            for result in kind.compute_many(group, period, breakdown):
                results[id(result.indicator)] = result
    return [_row(indicator, results.get(id(indicator))) for indicator in project_indicators]
