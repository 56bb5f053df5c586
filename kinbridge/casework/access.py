"""Who may see and change which casework record: one helper per kind of record.

* **Cases** (and their needs, plan, services, ordinary notes, tasks, referrals
  out, timeline): administrators; caseworkers and programme managers of the
  case's team; and anyone assigned to the case (lead or other worker), of any
  team ("shared with them"). Other roles (facilitators, volunteer
  coordinators, volunteers, analysts) get 403 on every casework page: they see
  no case content at all. A caseworker of another team gets 404.
* **Confidential notes**: only the case's own workers (lead and others) and
  administrators; every read is audited.
* **Risk flags**: the case's workers, the team's supervisors (programme
  managers) and administrators. Others who see the case see only that a
  restricted flag exists.
* **Referrals in** (the intake queue): administrators; caseworkers and
  programme managers of the referral's team, or of any team while it has none.
* **Tasks**: the assignee, and whoever sees the task's case.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kinbridge.accounts.roles import Role
from kinbridge.audit.actions import record_read, record_reads
from kinbridge.casework.models import (
    CASE_ROLES,
    SUPERVISOR_ROLES,
    Case,
    CaseWorker,
    Note,
    Referral,
    ReferralOut,
    RiskFlag,
    Task,
)


def does_casework(user) -> bool:
    """Holds a role that works with cases at all (the rest get 403 on casework pages)."""
    return (
        user.is_authenticated and user.is_active and user.has_role(Role.ADMINISTRATOR, *CASE_ROLES)
    )


def require_casework(user) -> None:
    if not does_casework(user):
        raise PermissionDenied


def get_case_for_user(request, pk, *, audit: bool = True, for_update: bool = False) -> Case:
    """The case, if the user may see it; 403 for roles without casework, 404 otherwise.

    Case records hold health, offence and family data: each read by the case
    page or the API detail is audited.
    """
    require_casework(request.user)
    cases = Case.objects.visible_to(request.user).select_related(
        "client", "team", "lead_worker", "project"
    )
    if for_update:
        cases = cases.select_for_update(of=("self",))
    try:
        case = cases.get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if audit:
        record_read(request.user, case)
    return case


def is_case_worker(user, case: Case) -> bool:
    """The lead or another assigned worker of this case."""
    if case.lead_worker_id == user.pk:
        return True
    return CaseWorker.objects.filter(case=case, user=user).exists()


def can_edit_case(user, case: Case) -> bool:
    """May change the case and add to it (services, notes, plan, tasks, referrals out)."""
    if not does_casework(user):
        return False
    if user.has_role(Role.ADMINISTRATOR):
        return True
    return case.team_id in user.team_ids or is_case_worker(user, case)


def can_read_confidential(user, case: Case) -> bool:
    if user.has_role(Role.ADMINISTRATOR):
        return True
    return is_case_worker(user, case)


def supervises(user, team_id) -> bool:
    if user.has_role(Role.ADMINISTRATOR):
        return True
    return user.has_role(*SUPERVISOR_ROLES) and team_id in user.team_ids


def can_see_risk_flags(user, case: Case) -> bool:
    return supervises(user, case.team_id) or is_case_worker(user, case)


def notes_for(user, case: Case):
    """The notes of ``case`` the user may read (confidential ones only for its workers)."""
    notes = Note.objects.filter(case=case)
    if not can_read_confidential(user, case):
        notes = notes.filter(confidential=False)
    return notes


def audit_note_reads(user, notes) -> None:
    """Every confidential note shown is an audited read (one query for the lot)."""
    record_reads(user, [note for note in notes if note.confidential])


def get_note_for_user(request, case: Case, pk) -> Note:
    """A note of ``case``; a confidential one is 404 for those who may not read it."""
    try:
        note = notes_for(request.user, case).get(pk=pk)
    except (Note.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if note.confidential:
        record_read(request.user, note)
    return note


def risk_flags_for(user, case: Case):
    if can_see_risk_flags(user, case):
        return RiskFlag.objects.filter(case=case)
    return RiskFlag.objects.none()


def get_referral_for_user(request, pk, *, audit: bool = True) -> Referral:
    require_casework(request.user)
    try:
        referral = (
            Referral.objects.visible_to(request.user)
            .select_related("team", "partner", "facility", "region", "person", "case")
            .get(pk=pk)
        )
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if audit:
        record_read(request.user, referral)
    return referral


def can_triage(user, referral: Referral) -> bool:
    """May accept or decline: casework roles of the referral's team (any, if none yet)."""
    if not does_casework(user):
        return False
    if user.has_role(Role.ADMINISTRATOR):
        return True
    return referral.team_id is None or referral.team_id in user.team_ids


def get_referral_out_for_user(request, pk) -> ReferralOut:
    """A referral out of a case the user sees (403 without casework, 404 otherwise)."""
    require_casework(request.user)
    try:
        return (
            ReferralOut.objects.filter(case__in=Case.objects.visible_to(request.user))
            .select_related("case", "case__client", "partner", "consent")
            .get(pk=pk)
        )
    except (ReferralOut.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_task_for_user(request, pk) -> Task:
    if not request.user.is_authenticated:
        raise Http404
    try:
        return Task.objects.visible_to(request.user).select_related("case", "assignee").get(pk=pk)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_edit_task(user, task: Task) -> bool:
    if task.assignee_id == user.pk or user.has_role(Role.ADMINISTRATOR):
        return True
    return task.case is not None and can_edit_case(user, task.case)
