"""Every change to programmes, funders, projects (with their fundings and budget lines).

A project is saved with its fundings, budget lines, facilities and regions in
one transaction, after validating all of it, so bad input saves nothing. An
edit names the ``version`` it was made on; if someone saved the project in the
meantime, :class:`StaleEdit` is raised and nothing changes. Indicators have
their own actions in :mod:`kinbridge.programmes.actions_indicators`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kinbridge.accounts.models import Team
from kinbridge.accounts.roles import Role
from kinbridge.audit.actions import record_created, record_updated, snapshot
from kinbridge.programmes.access import can_edit_project, can_plan, can_plan_for_team
from kinbridge.programmes.models import (
    CURRENCIES,
    PROGRAMME_READERS,
    BudgetLine,
    Funder,
    Funding,
    Programme,
    Project,
    ProjectStatus,
)

# What a form or the API sets on a project; team is chosen once, at creation.
PROJECT_FIELDS = (
    "programme",
    "title",
    "code",
    "status",
    "start",
    "end",
    "currency",
    "total_budget",
    "description",
    "target_beneficiaries",
    "report_notes",
)
PROGRAMME_FIELDS = ("name", "description", "website")
MONEY_LIMIT = Decimal("999999999999.99")  # 14 digits, 2 decimals


class StaleEdit(Exception):
    """The project changed since the editor loaded it."""

    def __init__(self, current: Project):
        super().__init__("stale edit")
        self.current = current


def can_see_projects(user) -> bool:
    """Roles that see projects at all (their teams'); volunteers do not."""
    return user.is_authenticated and user.is_active and user.has_role(*PROGRAMME_READERS)


def require_reader(user) -> None:
    """Volunteers (and anyone without a programme role) are refused outright (403)."""
    if not can_see_projects(user):
        raise PermissionDenied


def _money(value, *, allow_zero: bool = True) -> tuple[Decimal | None, str | None]:
    """The amount as a Decimal, or the reason it is not a usable amount."""
    if value is None or value == "":
        return None, _("Enter an amount.")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None, _("Enter an amount as a number, such as 1500 or 1500.50.")
    if not amount.is_finite():
        return None, _("Enter an amount as a number, such as 1500 or 1500.50.")
    if amount < 0:
        return None, _("An amount cannot be negative.")
    if not allow_zero and amount == 0:
        return None, _("The amount must be more than zero.")
    if amount > MONEY_LIMIT:
        return None, _("This amount is too large.")
    return amount, None


def money_display(amount: Decimal, currency: str) -> str:
    """1 234 567,00 RUB, grouped as the current language writes numbers."""
    return f"{number_format(amount, 2, use_l10n=True, force_grouping=True)} {currency}".strip()


# --- Programmes and funders ----------------------------------------------------------


def _require_planner(actor, team_id) -> None:
    if actor is not None and not can_plan_for_team(actor, team_id):
        raise PermissionDenied(_("Only administrators and the team's programme managers plan."))


def programme_errors(fields: dict, *, team, instance: Programme | None = None) -> dict:
    errors = {}
    name = (fields.get("name") or "").strip()
    if not name:
        errors["name"] = _("A name is needed.")
    elif team is not None:
        same = Programme.objects.filter(team=team, name__iexact=name)
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        if same.exists():
            errors["name"] = _("This team already has a programme with this name.")
    return errors


@transaction.atomic
def create_programme(actor, *, team, **fields) -> Programme:
    if team is None:
        raise ValidationError({"team": _("Choose the team.")})
    _require_planner(actor, team.pk)
    errors = programme_errors(fields, team=team)
    if errors:
        raise ValidationError(errors)
    programme = Programme(team=team, **{k: fields[k] for k in PROGRAMME_FIELDS if k in fields})
    programme.name = programme.name.strip()
    programme.save()
    record_created(actor, programme)
    return programme


@transaction.atomic
def update_programme(actor, programme: Programme, **fields) -> Programme:
    _require_planner(actor, programme.team_id)
    current = Programme.objects.select_for_update().get(pk=programme.pk)
    merged = {name: getattr(current, name) for name in PROGRAMME_FIELDS} | fields
    errors = programme_errors(merged, team=current.team, instance=current)
    if errors:
        raise ValidationError(errors)
    before = snapshot(current)
    for name in PROGRAMME_FIELDS:
        if name in fields:
            setattr(current, name, fields[name])
    current.name = current.name.strip()
    current.save()
    record_updated(actor, current, before)
    return current


def find_funder(name: str) -> Funder | None:
    return Funder.objects.filter(name__iexact=(name or "").strip()).first()


@transaction.atomic
def create_funder(actor, *, name: str, website: str = "") -> Funder:
    if actor is not None and not can_plan(actor):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("A name is needed.")})
    if find_funder(name):
        raise ValidationError({"name": _("A funder with this name is already registered.")})
    funder = Funder.objects.create(name=name, website=website or "")
    record_created(actor, funder)
    return funder


def _funder_for(actor, row: dict) -> Funder:
    """The funder a row names: picked, found by name (any case), or new."""
    if row.get("funder") is not None:
        return row["funder"]
    name = (row.get("funder_name") or "").strip()
    return find_funder(name) or create_funder(actor, name=name)


# --- Projects ------------------------------------------------------------------------


def project_errors(fields: dict) -> dict[str, str]:
    """Rules of a project's own fields, for forms and the API alike."""
    errors = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = _("A title is needed.")
    start, end = fields.get("start"), fields.get("end")
    if not start:
        errors["start"] = _("Enter the date the project starts.")
    if not end:
        errors["end"] = _("Enter the date the project ends.")
    if start and end and end < start:
        errors["end"] = _("The project cannot end before it starts.")
    _budget, problem = _money(fields.get("total_budget"))
    if problem:
        errors["total_budget"] = problem
    if fields.get("currency") not in dict(CURRENCIES):
        errors["currency"] = _("Choose one of the listed currencies.")
    if fields.get("status") not in ProjectStatus.values:
        errors["status"] = _("Choose one of the listed statuses.")
    return errors


def _rows(rows, check, template: str) -> list[str]:
    problems = []
    for number, row in enumerate(rows, start=1):
        for message in check(row):
            problems.append(template % {"number": number, "problem": message})
    return problems


def _funding_problems(row: dict) -> list[str]:
    problems = []
    if row.get("funder") is None and not (row.get("funder_name") or "").strip():
        problems.append(_("name the funder."))
    _amount, problem = _money(row.get("amount"), allow_zero=False)
    if problem:
        problems.append(problem)
    return problems


def _budget_problems(row: dict) -> list[str]:
    problems = []
    if not (row.get("name") or "").strip():
        problems.append(_("name the budget line."))
    for field in ("planned", "spent"):
        value = row.get(field)
        if field == "spent" and value in (None, ""):
            continue
        _amount, problem = _money(value)
        if problem:
            problems.append(problem)
    return problems


def _funder_key(row: dict):
    if row.get("funder") is not None:
        return row["funder"].name.casefold()
    return (row.get("funder_name") or "").strip().casefold()


def _validate(fields: dict, *, team, fundings, budget_lines, project=None) -> None:
    errors: dict[str, list[str]] = {k: [v] for k, v in project_errors(fields).items()}
    programme = fields.get("programme")
    if programme is None and not (fields.get("programme_name") or "").strip():
        errors["programme"] = [_("Choose a programme or name a new one.")]
    elif programme is not None and team is not None and programme.team_id != team.pk:
        errors["programme"] = [_("Choose a programme of the project's team.")]
    if fundings is not None:
        problems = _rows(fundings, _funding_problems, _("Funder %(number)d: %(problem)s"))
        keys = [_funder_key(row) for row in fundings]
        if len(set(keys)) != len(keys):
            problems.append(_("Each funder can be listed once; add up their contributions."))
        budget, _problem = _money(fields.get("total_budget"))
        if not problems and budget is not None:
            total = sum((Decimal(str(row["amount"])) for row in fundings), Decimal(0))
            if total > budget:
                problems.append(
                    _(
                        "The funders' contributions add up to %(total)s, more than the "
                        "total budget of %(budget)s."
                    )
                    % {
                        "total": money_display(total, fields.get("currency") or ""),
                        "budget": money_display(budget, fields.get("currency") or ""),
                    }
                )
        if problems:
            errors["fundings"] = problems
    if budget_lines is not None:
        problems = _rows(budget_lines, _budget_problems, _("Budget line %(number)d: %(problem)s"))
        names = [(row.get("name") or "").strip().casefold() for row in budget_lines]
        if len(set(names)) != len(names):
            problems.append(_("Each budget line needs its own name."))
        known = set(project.budget_lines.values_list("pk", flat=True)) if project else set()
        if any(row.get("id") and row["id"] not in known for row in budget_lines):
            problems.append(_("A budget line belongs to another project."))
        if problems:
            errors["budget_lines"] = problems
    if errors:
        raise ValidationError(errors)


def _extra(project: Project) -> dict:
    return {
        "fundings": [
            f"{funding.funder.name}: {funding.amount}"
            for funding in project.fundings.select_related("funder").order_by("funder__name")
        ],
        "budget_lines": [
            f"{line.name}: {line.planned} / {line.spent}" for line in project.budget_lines.all()
        ],
        "facilities": sorted(project.facilities.values_list("pk", flat=True)),
        "regions": sorted(project.regions.values_list("pk", flat=True)),
    }


def _sync_fundings(actor, project: Project, fundings: list[dict]) -> None:
    """The full list: funders listed keep (and update) their row; others are removed."""
    wanted = {}
    for row in fundings:
        funder = _funder_for(actor, row)
        wanted[funder.pk] = Decimal(str(row["amount"]))
    project.fundings.exclude(funder_id__in=list(wanted)).delete()
    existing = {funding.funder_id: funding for funding in project.fundings.all()}
    for funder_id, amount in wanted.items():
        funding = existing.get(funder_id) or Funding(project=project, funder_id=funder_id)
        if funding.pk is None or funding.amount != amount:
            funding.amount = amount
            funding.save()


def _sync_budget_lines(project: Project, rows: list[dict]) -> None:
    """Rows with an ``id`` update that line; rows without one add a line."""
    keep = {row["id"] for row in rows if row.get("id")}
    project.budget_lines.exclude(pk__in=keep).delete()
    existing = {line.pk: line for line in project.budget_lines.all()}
    # Lines swapping names must not trip the unique name on the way: park them first.
    for row in rows:
        line = existing.get(row.get("id"))
        if line is not None and line.name != row["name"].strip():
            line.name = f"[{line.pk}] …"
            line.save(update_fields=["name"])
    for position, row in enumerate(rows):
        line = existing.get(row.get("id")) or BudgetLine(project=project)
        line.name = row["name"].strip()
        line.planned = Decimal(str(row["planned"]))
        spent = row.get("spent")
        line.spent = Decimal(str(spent)) if spent not in (None, "") else Decimal(0)
        line.position = position
        line.save()


def _programme_for(actor, fields: dict, team) -> Programme:
    programme = fields.get("programme")
    if programme is not None:
        return programme
    name = fields["programme_name"].strip()
    found = Programme.objects.filter(team=team, name__iexact=name).first()
    return found or create_programme(actor, team=team, name=name)


def _apply(project: Project, fields: dict) -> None:
    for name in PROJECT_FIELDS:
        if name in fields and name != "programme":
            value = fields[name]
            setattr(project, name, value.strip() if isinstance(value, str) else value)
    project.total_budget = Decimal(str(project.total_budget))


@transaction.atomic
def create_project(
    actor,
    *,
    team,
    fundings=(),
    budget_lines=(),
    facilities=(),
    regions=(),
    programme_name: str = "",
    **fields,
) -> Project:
    """A new project of ``team``; ``programme_name`` makes (or finds) the team's programme."""
    if team is None:
        raise ValidationError({"team": _("Choose the team.")})
    _require_planner(actor, team.pk)
    fundings, budget_lines = list(fundings), list(budget_lines)
    fields = {"status": ProjectStatus.ACTIVE, "currency": "EUR"} | fields
    _validate(
        fields | {"programme_name": programme_name},
        team=team,
        fundings=fundings,
        budget_lines=budget_lines,
    )
    project = Project(team=team)
    _apply(project, fields)
    project.programme = _programme_for(actor, fields | {"programme_name": programme_name}, team)
    project.save()
    project.facilities.set(facilities)
    project.regions.set(regions)
    _sync_fundings(actor, project, fundings)
    _sync_budget_lines(project, budget_lines)
    record_created(actor, project, extra=_extra(project))
    return project


@transaction.atomic
def update_project(
    actor,
    project: Project,
    *,
    version: int,
    fundings=None,
    budget_lines=None,
    facilities=None,
    regions=None,
    programme_name: str = "",
    **fields,
) -> Project:
    """Save an edit made on ``version``; fundings, budget lines, facilities and regions,
    when given, are the full new lists (left out: unchanged)."""
    current = Project.objects.select_for_update().select_related("team").get(pk=project.pk)
    if actor is not None and not can_edit_project(actor, current):
        raise PermissionDenied
    if current.version != version:
        raise StaleEdit(current)
    if programme_name and "programme" not in fields:
        fields["programme"] = None
    merged = {name: getattr(current, name) for name in PROJECT_FIELDS} | fields
    _validate(
        merged | {"programme_name": programme_name},
        team=current.team,
        fundings=None if fundings is None else list(fundings),
        budget_lines=None if budget_lines is None else list(budget_lines),
        project=current,
    )
    before = snapshot(current, extra=_extra(current))
    _apply(current, fields)
    if "programme" in fields:
        current.programme = _programme_for(
            actor, merged | {"programme_name": programme_name}, current.team
        )
    current.version += 1
    current.save()
    if facilities is not None:
        current.facilities.set(facilities)
    if regions is not None:
        current.regions.set(regions)
    if fundings is not None:
        _sync_fundings(actor, current, list(fundings))
    if budget_lines is not None:
        _sync_budget_lines(current, list(budget_lines))
    record_updated(actor, current, before, extra=_extra(current))
    return current


def planning_teams(user):
    """The teams the user may create projects for."""
    teams = Team.objects.active().order_by("name")
    if user.has_role(Role.ADMINISTRATOR):
        return teams
    if user.has_role(Role.PROGRAMME_MANAGER):
        return teams.filter(pk__in=user.team_ids)
    return teams.none()
