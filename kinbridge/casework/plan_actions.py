"""Every change to a case's needs and plan, and to the organisation's list of needs.

Needs have no version: a worker changes one field (severity or status) at a time.
Goals are edited in a form, so they lock by version (:mod:`.locking`). A plan review
sets the case's next review date and is a moment on the case timeline.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kinbridge.accounts.access import is_administrator
from kinbridge.audit.actions import record_created, record_updated, snapshot
from kinbridge.casework.case_actions import require_editor
from kinbridge.casework.locking import lock
from kinbridge.casework.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CaseNeed,
    Goal,
    GoalStatus,
    NeedStatus,
    NeedType,
    PlanReview,
    Severity,
)
from kinbridge.casework.needs import BUILT_IN_NEEDS

GOAL_FIELDS = ("description", "need", "target_date", "status")


def refuse_closed(case: Case) -> None:
    """A closed case's plan and services are history: reopen it to add to them."""
    if not case.is_open:
        raise ValidationError(
            {"case": _("This case is closed. Reopen it before adding to it or changing it.")}
        )


def _not_in_future(errors: dict, field: str, day: dt.date | None, message: str) -> None:
    if day and day > timezone.localdate():
        errors[field] = message


# --- Needs on a case -------------------------------------------------------------------


@transaction.atomic
def add_need(
    actor,
    case: Case,
    *,
    need: NeedType | None,
    severity: int = Severity.MEDIUM,
    identified_on: dt.date | None = None,
    note: str = "",
) -> CaseNeed:
    require_editor(actor, case)
    refuse_closed(case)
    identified_on = identified_on or timezone.localdate()
    errors = {}
    if need is None:
        errors["need"] = _("Choose a need.")
    elif not need.is_active:
        errors["need"] = _("This need is no longer in use; choose another.")
    elif CaseNeed.objects.filter(case=case, need=need).exists():
        errors["need"] = _(
            "“%(need)s” is already on this case; change its severity or status there."
        ) % {"need": need}
    if severity not in Severity.values:
        errors["severity"] = _("Choose a severity.")
    _not_in_future(
        errors, "identified_on", identified_on, _("A need cannot be identified in the future.")
    )
    if identified_on < case.opened_on and "identified_on" not in errors:
        errors["identified_on"] = _(
            "The case was opened on %(date)s; choose that day or later."
        ) % {"date": case.opened_on.isoformat()}
    if errors:
        raise ValidationError(errors)
    case_need = CaseNeed.objects.create(
        case=case, need=need, severity=severity, identified_on=identified_on, note=note.strip()
    )
    record_created(actor, case_need)
    return case_need


@transaction.atomic
def update_need(
    actor,
    case_need: CaseNeed,
    *,
    severity: int | None = None,
    status: str | None = None,
    note: str | None = None,
) -> CaseNeed:
    """Change a need's severity, status (open, met, no longer relevant) or note."""
    require_editor(actor, case_need.case)
    refuse_closed(case_need.case)
    errors = {}
    if severity is not None and severity not in Severity.values:
        errors["severity"] = _("Choose a severity.")
    if status is not None and status not in NeedStatus.values:
        errors["status"] = _("Choose a status.")
    if errors:
        raise ValidationError(errors)
    current = CaseNeed.objects.select_for_update().get(pk=case_need.pk)
    before = snapshot(current)
    if severity is not None:
        current.severity = severity
    if status is not None:
        current.status = status
    if note is not None:
        current.note = note.strip()
    current.save()
    record_updated(actor, current, before)
    return current


# --- The organisation's list of needs (administrators) -------------------------------


def require_need_admin(actor) -> None:
    if actor is not None and not is_administrator(actor):
        raise PermissionDenied


def _check_name(name: str, *, exclude_pk=None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the need a name.")})
    others = NeedType.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError({"name": _("A need with this name is already on the list.")})
    return name


@transaction.atomic
def create_need_type(actor, *, name: str, position: int | None = None) -> NeedType:
    """Add one of the organisation's own needs (named in its working language)."""
    require_need_admin(actor)
    name = _check_name(name)
    base = "org-" + (slugify(name)[:30] or "need")
    code, number = base, 1
    while NeedType.objects.filter(code=code).exists():
        number += 1
        code = f"{base}-{number}"
    if position is None:
        position = (NeedType.objects.aggregate(last=Max("position"))["last"] or 0) + 10
    need_type = NeedType.objects.create(code=code, name=name, position=position)
    record_created(actor, need_type)
    return need_type


@transaction.atomic
def update_need_type(
    actor,
    need_type: NeedType,
    *,
    name: str | None = None,
    is_active: bool | None = None,
    position: int | None = None,
) -> NeedType:
    """Rename, retire (or bring back) and reorder a need. Cases keep retired needs."""
    require_need_admin(actor)
    current = NeedType.objects.select_for_update().get(pk=need_type.pk)
    before = snapshot(current)
    if name is not None and name.strip() != current.name:
        if current.code in BUILT_IN_NEEDS:
            raise ValidationError(
                {
                    "name": _(
                        "A built-in need keeps its translated name. Retire it and add your "
                        "own instead."
                    )
                }
            )
        current.name = _check_name(name, exclude_pk=current.pk)
    if is_active is not None:
        current.is_active = is_active
    if position is not None:
        current.position = position
    current.save()
    record_updated(actor, current, before)
    return current


# --- Goals -------------------------------------------------------------------------------


def _validate_goal(case: Case, fields: dict) -> None:
    errors = {}
    if "description" in fields and not (fields["description"] or "").strip():
        errors["description"] = _("Describe the goal.")
    need = fields.get("need")
    if need is not None and need.case_id != case.pk:
        errors["need"] = _("Choose one of this case's needs.")
    target = fields.get("target_date")
    if target and target < case.opened_on:
        errors["target_date"] = _(
            "The target date cannot be before the case was opened (%(date)s)."
        ) % {"date": case.opened_on.isoformat()}
    if "status" in fields and fields["status"] not in GoalStatus.values:
        errors["status"] = _("Choose a status.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_goal(
    actor,
    case: Case,
    *,
    description: str,
    need: CaseNeed | None = None,
    target_date: dt.date | None = None,
    status: str = GoalStatus.PLANNED,
) -> Goal:
    require_editor(actor, case)
    refuse_closed(case)
    fields = {"description": description, "need": need, "target_date": target_date}
    _validate_goal(case, fields | {"status": status})
    goal = Goal.objects.create(
        case=case,
        description=description.strip(),
        need=need,
        target_date=target_date,
        status=status,
    )
    record_created(actor, goal)
    return goal


@transaction.atomic
def update_goal(actor, goal: Goal, *, version: int, **fields) -> Goal:
    """Save an edit of the goal made on ``version`` (StaleEdit if someone saved since)."""
    require_editor(actor, goal.case)
    refuse_closed(goal.case)
    fields = {name: value for name, value in fields.items() if name in GOAL_FIELDS}
    current = lock(Goal, goal.pk, version, fields)
    _validate_goal(goal.case, fields)
    before = snapshot(current)
    for name, value in fields.items():
        setattr(current, name, value.strip() if name == "description" else value)
    current.version += 1
    current.save()
    record_updated(actor, current, before)
    return current


# --- Plan reviews ---------------------------------------------------------------------


@transaction.atomic
def review_plan(
    actor,
    case: Case,
    *,
    reviewed_on: dt.date | None = None,
    next_review_on: dt.date | None = None,
    note: str = "",
) -> PlanReview:
    """Record that the plan was reviewed; the case's next review date follows it."""
    require_editor(actor, case)
    refuse_closed(case)
    reviewed_on = reviewed_on or timezone.localdate()
    errors = {}
    _not_in_future(
        errors, "reviewed_on", reviewed_on, _("A review cannot be recorded in the future.")
    )
    if reviewed_on < case.opened_on:
        errors["reviewed_on"] = _("The plan cannot be reviewed before the case was opened.")
    if next_review_on and next_review_on <= reviewed_on:
        errors["next_review_on"] = _("The next review must come after this one.")
    if errors:
        raise ValidationError(errors)
    review = PlanReview.objects.create(
        case=case,
        reviewed_on=reviewed_on,
        next_review_on=next_review_on,
        note=note.strip(),
        by=actor,
    )
    record_created(actor, review)
    current = lock(Case, case.pk, None)
    before = snapshot(current)
    current.next_review_on = next_review_on
    current.version += 1
    current.save()
    record_updated(actor, current, before)
    CaseEvent.objects.create(
        case=current, kind=CaseEventKind.PLAN_REVIEWED, reason=review.note, by=actor
    )
    case.next_review_on, case.version = current.next_review_on, current.version
    return review
