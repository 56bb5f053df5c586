"""Every change to a case itself: opening, editing, workers and family members, and
the status workflow (with closure and reopening). Each action checks the actor may do
it, validates by field (ValidationError), locks by version where a person edits a form
(:mod:`.locking`) and writes the audit trail in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinbridge.accounts.models import User
from kinbridge.accounts.roles import Role
from kinbridge.audit.actions import record_created, record_deleted, record_updated, snapshot
from kinbridge.casework.access import can_edit_case, does_casework
from kinbridge.casework.locking import lock
from kinbridge.casework.models import (
    CASE_ROLES,
    TRANSITIONS,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseMember,
    CaseStatus,
    CaseWorker,
    Task,
    TaskStatus,
)
from kinbridge.lib.codes import reference_code
from kinbridge.people.actions import refuse_erased


class OpenTasks:
    """What to do with a case's open tasks when it closes."""

    ASK = ""  # refuse, listing them
    CANCEL = "cancel"  # cancel them
    CARRY = "carry"  # keep them with their assignees, no longer tied to the case


def require_editor(actor, case: Case) -> None:
    if actor is not None and not can_edit_case(actor, case):
        raise PermissionDenied


def _can_open_for_team(actor, team) -> bool:
    if actor is None or actor.has_role(Role.ADMINISTRATOR):
        return True
    return actor.has_role(*CASE_ROLES) and team.pk in actor.team_ids


def check_worker(user: User | None, field: str) -> None:
    """A lead or other worker must be an active user who does casework."""
    if user is None:
        return
    if not (user.is_active and user.has_role(Role.ADMINISTRATOR, *CASE_ROLES)):
        raise ValidationError(
            {
                field: _("%(user)s does not work on cases (no caseworker or manager role).")
                % {"user": user.get_full_name() or user.get_username()}
            }
        )


def validate_case(fields: dict) -> None:
    errors = {}
    today = timezone.localdate()
    opened_on = fields.get("opened_on")
    if opened_on and opened_on > today:
        errors["opened_on"] = _("A case cannot be opened in the future.")
    review = fields.get("next_review_on")
    if review and opened_on and review < opened_on:
        errors["next_review_on"] = _("The plan review cannot be before the case was opened.")
    project = fields.get("project")
    team = fields.get("team")
    if project is not None and team is not None and project.team_id != team.pk:
        errors["project"] = _("Choose a project of the case's team.")
    if errors:
        raise ValidationError(errors)


def _event(actor, case: Case, kind: str, *, from_status="", to_status="", reason=""):
    return CaseEvent.objects.create(
        case=case, kind=kind, from_status=from_status, to_status=to_status, reason=reason, by=actor
    )


@transaction.atomic
def create_case(
    actor,
    *,
    client,
    team,
    case_type: str,
    lead_worker=None,
    opened_on: dt.date | None = None,
    summary: str = "",
    project=None,
    next_review_on=None,
    workers=(),
    members=(),
) -> Case:
    """Open a case (status "referred") for ``client``; ``members``: (person, role) pairs."""
    if actor is not None and not does_casework(actor):
        raise PermissionDenied
    if not _can_open_for_team(actor, team):
        raise PermissionDenied(_("You can only open cases for your own teams."))
    refuse_erased(client)
    opened_on = opened_on or timezone.localdate()
    validate_case(
        {"opened_on": opened_on, "next_review_on": next_review_on, "project": project, "team": team}
    )
    check_worker(lead_worker, "lead_worker")
    case = Case(
        client=client,
        team=team,
        case_type=case_type,
        lead_worker=lead_worker,
        opened_on=opened_on,
        summary=summary,
        project=project,
        next_review_on=next_review_on,
        created_by=actor,
    )
    for _attempt in range(5):
        case.reference = reference_code("C")
        try:
            with transaction.atomic():
                case.full_clean(exclude=["reference", "client", "team", "project", "lead_worker"])
                case.save()
            break
        except IntegrityError:
            if Case.objects.filter(reference=case.reference).exists():
                case.pk = None
                continue
            raise
    for user in workers:
        check_worker(user, "workers")
        if user.pk != getattr(lead_worker, "pk", None):
            CaseWorker.objects.get_or_create(case=case, user=user)
    for person, role_in_case in members:
        if person.pk != client.pk:
            refuse_erased(person)
            CaseMember.objects.get_or_create(
                case=case, person=person, defaults={"role_in_case": role_in_case}
            )
    record_created(actor, case, extra=_extra(case))
    _event(actor, case, CaseEventKind.OPENED, to_status=case.status)
    return case


def _extra(case: Case) -> dict:
    return {
        "workers": sorted(case.worker_links.values_list("user_id", flat=True)),
        "members": sorted(case.members.values_list("person_id", flat=True)),
    }


@transaction.atomic
def update_case(actor, case: Case, *, version: int, **fields) -> Case:
    """Save an edit of the case's own fields (``Case.EDITABLE_FIELDS``) made on ``version``."""
    require_editor(actor, case)
    fields = {name: value for name, value in fields.items() if name in Case.EDITABLE_FIELDS}
    current = lock(Case, case.pk, version, fields)
    validate_case(
        {
            "opened_on": current.opened_on,
            "team": current.team,
            "project": fields.get("project", current.project),
            "next_review_on": fields.get("next_review_on", current.next_review_on),
        }
    )
    before = snapshot(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.save()
    record_updated(actor, current, before)
    return current


def _open_tasks(case: Case):
    return Task.objects.filter(case=case, status=TaskStatus.OPEN)


@transaction.atomic
def change_status(
    actor,
    case: Case,
    to: str,
    *,
    version: int | None = None,
    reason: str = "",
    lead_worker=None,
    closure_reason: str = "",
    outcome: str = "",
    outcome_note: str = "",
    closed_on: dt.date | None = None,
    open_tasks: str = OpenTasks.ASK,
) -> Case:
    """Move the case along the workflow; closing asks for a reason and an outcome, and
    what to do with open tasks. Every move is a CaseEvent on the timeline."""
    require_editor(actor, case)
    current = lock(Case, case.pk, version)
    if to not in TRANSITIONS[current.status]:
        allowed = ", ".join(str(CaseStatus(s).label) for s in TRANSITIONS[current.status])
        raise ValidationError(
            {
                "status": _(
                    "A case that is “%(current)s” cannot move to “%(to)s”. It can move to: "
                    "%(allowed)s."
                )
                % {
                    "current": CaseStatus(current.status).label,
                    "to": CaseStatus(to).label if to in CaseStatus.values else to,
                    "allowed": allowed,
                }
            }
        )
    if current.status == CaseStatus.CLOSED:
        raise ValidationError({"status": _("Reopen a closed case, giving the reason.")})
    before = snapshot(current)
    lead = lead_worker or current.lead_worker
    if to != CaseStatus.REFERRED and lead is None:
        raise ValidationError(
            {"lead_worker": _("Choose the lead worker before the case moves on from referral.")}
        )
    check_worker(lead_worker, "lead_worker")
    errors = {}
    if to == CaseStatus.CLOSED:
        closed_on = closed_on or timezone.localdate()
        if not closure_reason:
            errors["closure_reason"] = _("Say why the case is closed.")
        if not outcome:
            errors["outcome"] = _("Record the outcome of the work.")
        if closed_on > timezone.localdate():
            errors["closed_on"] = _("A case cannot be closed in the future.")
        elif closed_on < current.opened_on:
            errors["closed_on"] = _("A case cannot be closed before it was opened.")
        tasks = list(_open_tasks(current).values_list("title", flat=True)[:6])
        if tasks and open_tasks not in (OpenTasks.CANCEL, OpenTasks.CARRY):
            errors["open_tasks"] = _(
                "This case still has open tasks (%(tasks)s). Mark them done, or choose to "
                "cancel them or to carry them on without the case."
            ) % {"tasks": "; ".join(tasks)}
    if errors:
        raise ValidationError(errors)
    if to == CaseStatus.CLOSED:
        _settle_tasks(actor, current, open_tasks)
        current.closed_on = closed_on
        current.closure_reason = closure_reason
        current.outcome = outcome
        current.outcome_note = outcome_note
    from_status = current.status
    if lead_worker is not None and lead_worker.pk != current.lead_worker_id:
        current.lead_worker = lead_worker
        _event(actor, current, CaseEventKind.LEAD_CHANGED)
    current.status = to
    current.version += 1
    current.save()
    record_updated(actor, current, before)
    kind = CaseEventKind.CLOSED if to == CaseStatus.CLOSED else CaseEventKind.STATUS
    _event(
        actor,
        current,
        kind,
        from_status=from_status,
        to_status=to,
        reason=reason or (outcome_note if to == CaseStatus.CLOSED else ""),
    )
    return current


def _settle_tasks(actor, case: Case, how: str) -> None:
    for task in _open_tasks(case).select_for_update():
        before = snapshot(task)
        if how == OpenTasks.CANCEL:
            task.status = TaskStatus.CANCELLED
            task.completed_at = timezone.now()
            task.completed_by = actor
        else:
            task.case = None
            task.details = (task.details + "\n" if task.details else "") + _(
                "Carried on from case %(case)s when it closed."
            ) % {"case": case.reference}
        task.version += 1
        task.save()
        record_updated(actor, task, before)


@transaction.atomic
def reopen_case(actor, case: Case, *, reason: str, version: int | None = None) -> Case:
    """A closed case goes back to assessment; the reason is on the timeline."""
    require_editor(actor, case)
    current = lock(Case, case.pk, version)
    if current.status != CaseStatus.CLOSED:
        raise ValidationError({"status": _("Only a closed case can be reopened.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the case is reopened.")})
    before = snapshot(current)
    current.status = CaseStatus.ASSESSMENT
    current.closed_on = None
    current.closure_reason = ""
    current.outcome = ""
    current.outcome_note = ""
    current.version += 1
    current.save()
    record_updated(actor, current, before)
    _event(
        actor,
        current,
        CaseEventKind.REOPENED,
        from_status=CaseStatus.CLOSED,
        to_status=CaseStatus.ASSESSMENT,
        reason=reason.strip(),
    )
    return current


@transaction.atomic
def set_lead_worker(actor, case: Case, user, *, version: int | None = None) -> Case:
    require_editor(actor, case)
    check_worker(user, "lead_worker")
    current = lock(Case, case.pk, version)
    if user is None and current.status != CaseStatus.REFERRED:
        raise ValidationError({"lead_worker": _("A case past referral needs a lead worker.")})
    before = snapshot(current)
    current.lead_worker = user
    current.version += 1
    current.save()
    CaseWorker.objects.filter(case=current, user=user).delete()
    record_updated(actor, current, before)
    _event(actor, current, CaseEventKind.LEAD_CHANGED)
    return current


@transaction.atomic
def add_worker(actor, case: Case, user) -> CaseWorker:
    require_editor(actor, case)
    check_worker(user, "user")
    if user.pk == case.lead_worker_id or CaseWorker.objects.filter(case=case, user=user).exists():
        raise ValidationError({"user": _("This person already works on the case.")})
    link = CaseWorker.objects.create(case=case, user=user)
    record_created(actor, link)
    return link


@transaction.atomic
def remove_worker(actor, link: CaseWorker) -> None:
    require_editor(actor, link.case)
    record_deleted(actor, link)
    link.delete()


@transaction.atomic
def add_member(actor, case: Case, person, role_in_case: str = "") -> CaseMember:
    require_editor(actor, case)
    refuse_erased(person)
    if person.pk == case.client_id:
        raise ValidationError({"person": _("The client is already part of the case.")})
    if CaseMember.objects.filter(case=case, person=person).exists():
        raise ValidationError({"person": _("This person is already linked to the case.")})
    member = CaseMember.objects.create(case=case, person=person, role_in_case=role_in_case)
    record_created(actor, member)
    return member


@transaction.atomic
def remove_member(actor, member: CaseMember) -> None:
    require_editor(actor, member.case)
    if member.case.services.filter(recipient=member.person).exists():
        raise ValidationError(
            {"person": _("Services were given to this person in the case; they stay linked.")}
        )
    record_deleted(actor, member)
    member.delete()
