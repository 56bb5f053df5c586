"""A project's KPI table: each indicator with how it is counted, its live actual,
the per cent achieved and, on request, the breakdown by facility and by month.

The page and the API both read it from here; the numbers come from
:mod:`kinbridge.programmes.indicators`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
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


def kpi_row(
    indicator: Indicator,
    *,
    breakdown: bool = False,
    period: indicators.Period = indicators.ALL_TIME,
) -> KpiRow:
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
    if kind is None:
        return row
    try:
        result = indicators.compute(indicator, period, breakdown)
    except ValidationError:
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


def kpi_rows(project, *, breakdown: bool = False) -> list[KpiRow]:
    """Every indicator of the project, in the table's order, with its live actual."""
    return [kpi_row(indicator, breakdown=breakdown) for indicator in project.indicators.all()]
