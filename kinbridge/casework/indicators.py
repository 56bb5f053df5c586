"""Casework's KPI indicator kinds, registered with the programmes engine.

A project's casework counts towards its KPIs through the cases linked to it
(``Case.project``):

* "persons receiving a service type" (``service_recipients``): the distinct
  people who received services of the chosen types, each counted once however
  many services they had (and only when they had at least the minimum number);
* "cases opened or closed" (``cases``): the project's cases opened, or closed,
  in the period.

Only what falls within the project's own dates counts (and within the report
period, when one is asked for): a long-term case's services after the project
ended belong to no funder's figures. The breakdown is by month (a person counts
once in each month they received a service); casework has no facility, so the
breakdown by facility stays empty. Each actual costs one query, and one more
for the breakdown, whatever the number of cases and services.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from kinbridge.casework.models import Case, CaseType, Service, ServiceType
from kinbridge.programmes.indicators import (
    ALL_TIME,
    Breakdown,
    IndicatorKind,
    Parameter,
    Period,
    Result,
    register,
)

SERVICE_TYPES = Parameter(
    "service_types",
    _("services"),
    "choices",
    help_text=_("Empty: every service."),
    choices=tuple(ServiceType.choices),
)
CASE_TYPES = Parameter(
    "case_types",
    _("case types"),
    "choices",
    help_text=_("Empty: every case type."),
    choices=tuple(CaseType.choices),
)
MIN_SERVICES = Parameter(
    "min_services",
    _("at least this many services per person"),
    "integer",
    help_text=_("2 leaves out people seen only once."),
)
OPENED, CLOSED = "opened", "closed"
EVENT = Parameter(
    "event",
    _("cases that were"),
    "choice",
    required=True,
    choices=((OPENED, _("opened")), (CLOSED, _("closed"))),
)
EVENT_DATES = {OPENED: "opened_on", CLOSED: "closed_on"}


def _within(rows, date_field: str, project: str, period: Period):
    """Rows dated within the project's dates (``project``: the path to it) and the period."""
    rows = rows.filter(
        **{f"{date_field}__gte": F(f"{project}start"), f"{date_field}__lte": F(f"{project}end")}
    )
    if period.start:
        rows = rows.filter(**{f"{date_field}__gte": period.start})
    if period.end:
        rows = rows.filter(**{f"{date_field}__lte": period.end})
    return rows


def _by_month(rows, date_field: str, count) -> dict:
    return {
        row["month"]: Decimal(row["n"])
        for row in rows.annotate(month=TruncMonth(date_field))
        .values("month")
        .annotate(n=count)
        .order_by("month")
    }


def _in_words(parameter: Parameter, values) -> str:
    labels = dict(parameter.choices)
    return ", ".join(str(labels.get(value, value)) for value in values)


class ServiceRecipients(IndicatorKind):
    code = "service_recipients"
    label = _("Persons receiving a service type")
    help_text = _(
        "People who received services of the chosen types in the project's cases, "
        "counted once however many services they had."
    )
    parameters = (SERVICE_TYPES, CASE_TYPES, MIN_SERVICES)

    def services(self, indicator, period: Period):
        parameters = indicator.parameters or {}
        services = Service.objects.filter(case__project_id=indicator.project_id)
        if parameters.get("service_types"):
            services = services.filter(service_type__in=parameters["service_types"])
        if parameters.get("case_types"):
            services = services.filter(case__case_type__in=parameters["case_types"])
        services = _within(services, "date", "case__project__", period)
        minimum = int(parameters.get("min_services") or 1)
        if minimum > 1:
            # Those who had enough services in the period, as a subquery of the same query.
            enough = (
                services.order_by()
                .values("recipient_id")
                .annotate(n=Count("id"))
                .filter(n__gte=minimum)
                .values("recipient_id")
            )
            services = services.filter(recipient_id__in=enough)
        return services

    def compute(self, indicator, period=ALL_TIME, breakdown=False):
        services = self.services(indicator, period)
        people = Count("recipient_id", distinct=True)
        result = Result(indicator, Decimal(services.aggregate(n=people)["n"]))
        if breakdown:
            result.breakdown = Breakdown(by_month=_by_month(services, "date", people))
        return result

    def describe(self, parameters):
        parts = []
        if parameters.get("service_types"):
            parts.append(_in_words(SERVICE_TYPES, parameters["service_types"]))
        if parameters.get("case_types"):
            parts.append(_in_words(CASE_TYPES, parameters["case_types"]))
        if parameters.get("min_services"):
            parts.append(
                str(_("at least %(count)s services each")) % {"count": parameters["min_services"]}
            )
        return "; ".join(parts)


class CasesOpenedClosed(IndicatorKind):
    code = "cases"
    label = _("Cases opened or closed")
    help_text = _("The project's cases opened, or closed, in the period.")
    parameters = (EVENT, CASE_TYPES)

    def cases(self, indicator, period: Period):
        parameters = indicator.parameters or {}
        cases = Case.objects.filter(project_id=indicator.project_id)
        if parameters.get("case_types"):
            cases = cases.filter(case_type__in=parameters["case_types"])
        return _within(cases, self.date_field(indicator), "project__", period)

    @staticmethod
    def date_field(indicator) -> str:
        return EVENT_DATES[(indicator.parameters or {}).get("event", OPENED)]

    def compute(self, indicator, period=ALL_TIME, breakdown=False):
        cases = self.cases(indicator, period)
        result = Result(indicator, Decimal(cases.count()))
        if breakdown:
            by_month = _by_month(cases, self.date_field(indicator), Count("id"))
            result.breakdown = Breakdown(by_month=by_month)
        return result

    def describe(self, parameters):
        parts = [_in_words(EVENT, [parameters.get("event", OPENED)])]
        if parameters.get("case_types"):
            parts.append(_in_words(CASE_TYPES, parameters["case_types"]))
        return "; ".join(parts)


register(ServiceRecipients())
register(CasesOpenedClosed())
