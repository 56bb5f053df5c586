"""KPI actuals for the funder report: every indicator of a project in one query.

The KPI engine (:mod:`kinbridge.programmes.indicators`) computes one indicator
at a time. The report needs them all with a query count that does not grow with
the number of indicators, so each built-in kind's own filters (``sessions``,
``attendance``) become scalar subqueries of a single SELECT; manual indicators
and kinds other apps register fall back to ``indicators.compute``.
``test_reports_figures`` checks the numbers agree with ``project_results``.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, IntegerField, Subquery, Sum
from django.db.models.functions import Coalesce

from kinbridge.programmes import indicators
from kinbridge.programmes.models import Attendance, AttendanceStatus, Project


def _scalar(queryset):
    """One number from a one-row grouped queryset, inside the report's single query."""
    return Coalesce(Subquery(queryset.order_by()[:1], output_field=IntegerField()), 0)


def _actual_expression(indicator, period):
    """The indicator's actual as a subquery, for the kinds the engine ships; else None.

    Each uses the kind's own filters (``sessions``, ``attendance``), so the
    numbers are the engine's; ``test_reports_figures`` checks they agree with
    ``indicators.project_results``.
    """
    kind = indicators.KINDS.get(indicator.kind)
    if isinstance(kind, indicators.SessionCount):
        sessions = kind.sessions(indicator, period).order_by()
        return _scalar(sessions.values("project_id").annotate(n=Count("id")).values("n"))
    if isinstance(kind, indicators.DistinctParticipants):
        rows = kind.attendance(indicator, period).order_by()
        return _scalar(
            rows.values("session__project_id")
            .annotate(n=Count("person_id", distinct=True))
            .values("n")
        )
    if isinstance(kind, indicators.EventParticipants):
        sessions = kind.sessions(indicator, period).order_by()
        named = (
            Attendance.objects.filter(session__in=sessions, status=AttendanceStatus.PRESENT)
            .order_by()
            .values("session__project_id")
            .annotate(n=Count("person_id", distinct=True))
            .values("n")
        )
        unnamed = sessions.values("project_id").annotate(n=Sum("unnamed_headcount")).values("n")
        return _scalar(named) + _scalar(unnamed)
    return None


def counts_people(indicator) -> bool:
    """Whether the actual is a number of people (suppressed in the external variant)."""
    kind = indicators.KINDS.get(indicator.kind)
    return not isinstance(kind, (indicators.SessionCount, indicators.Manual))


def kpi_actuals(project: Project, period: indicators.Period) -> list[indicators.Result]:
    """Every indicator with its actual: one query for all the engine's kinds."""
    project_indicators = list(project.indicators.all())
    expressions = {}
    for indicator in project_indicators:
        expression = _actual_expression(indicator, period)
        if expression is not None:
            expressions[f"i{indicator.pk}"] = expression
    values = (
        Project.objects.filter(pk=project.pk).values(**expressions).get() if expressions else {}
    )
    results = []
    for indicator in project_indicators:
        key = f"i{indicator.pk}"
        if key in values:
            results.append(indicators.Result(indicator, Decimal(values[key] or 0)))
        else:  # manual, or a kind another app registered
            results.append(indicators.compute(indicator, period))
    return results
