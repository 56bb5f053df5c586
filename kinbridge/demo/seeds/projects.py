"""A seed's programme, project, funding, budget and KPI indicators.

Only targets are written here; actuals come from sessions and attendance
through the KPI engine. The one exception is the manual kind (a printed
booklet), which carries its actual with its evidence, as in real use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from kinbridge.accounts.models import Region, Team
from kinbridge.audit.actions import record_created
from kinbridge.facilities.models import Facility
from kinbridge.programmes.indicators import KINDS
from kinbridge.programmes.models import (
    BudgetLine,
    Funder,
    Funding,
    Indicator,
    Programme,
    Project,
    ProjectStatus,
)


@dataclass
class KPI:
    name: str
    kind: str
    target: int
    parameters: dict = field(default_factory=dict)


@dataclass
class Plan:
    """What a funder sees of a project: everything but sessions and attendance."""

    team: str
    programme: str
    programme_description: str
    title: str
    code: str
    start: dt.date
    end: dt.date
    currency: str
    total_budget: int
    # (funder name, website, amount)
    fundings: list[tuple[str, str, int]]
    # (line, planned, spent)
    budget: list[tuple[str, int, int]]
    kpis: list[KPI]
    facilities: list[tuple[str, str]] = field(default_factory=list)  # (name, region name)
    regions: list[tuple[str, str]] = field(default_factory=list)  # (name, country)
    website: str = ""
    description: str = ""
    target_beneficiaries: str = ""
    report_notes: str = ""
    status: str = ProjectStatus.ACTIVE


def existing(plan: Plan) -> Project | None:
    """The project this plan made on an earlier run (its key: team, programme and code)."""
    return Project.objects.filter(
        team__name=plan.team, programme__name=plan.programme, code=plan.code
    ).first()


def facility(name: str, region: str) -> Facility:
    return Facility.objects.get(name=name, region__name=region)


def create(plan: Plan) -> Project:
    """Programme (reused when there), project, fundings, budget lines and indicators."""
    team = Team.objects.get(name=plan.team)
    programme, _created = Programme.objects.get_or_create(
        team=team,
        name=plan.programme,
        defaults={"description": plan.programme_description, "website": plan.website},
    )
    project = Project.objects.create(
        team=team,
        programme=programme,
        title=plan.title,
        code=plan.code,
        status=plan.status,
        start=plan.start,
        end=plan.end,
        currency=plan.currency,
        total_budget=Decimal(plan.total_budget),
        description=plan.description,
        target_beneficiaries=plan.target_beneficiaries,
        report_notes=plan.report_notes,
    )
    project.facilities.set([facility(name, region) for name, region in plan.facilities])
    project.regions.set(
        [Region.objects.get(name=name, country=country) for name, country in plan.regions]
    )
    for name, website, amount in plan.fundings:
        funder, _created = Funder.objects.get_or_create(name=name, defaults={"website": website})
        Funding.objects.create(project=project, funder=funder, amount=Decimal(amount))
    BudgetLine.objects.bulk_create(
        BudgetLine(
            project=project,
            name=name,
            planned=Decimal(planned),
            spent=Decimal(spent),
            position=position,
        )
        for position, (name, planned, spent) in enumerate(plan.budget, start=1)
    )
    Indicator.objects.bulk_create(
        Indicator(
            project=project,
            name=kpi.name,
            kind=kpi.kind,
            # The same validation the indicator form applies.
            parameters=KINDS[kpi.kind].clean_parameters(kpi.parameters),
            target=Decimal(kpi.target),
            position=position,
        )
        for position, kpi in enumerate(plan.kpis, start=1)
    )
    return project


def audit(project: Project, seed: str, counts: dict) -> None:
    """One audit event per seed programme loaded, with what was written in bulk."""
    record_created(None, project, extra={"demo_seed": seed, **counts})
