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
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from kinbridge.accounts.models import Membership, Team, User
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


def notes_visible_to(user):
    """Notes of the cases the user sees; confidential ones only of the cases they work on."""
    notes = Note.objects.filter(case__in=Case.objects.visible_to(user))
    if user.has_role(Role.ADMINISTRATOR):
        return notes
    works_on = Q(case__lead_worker=user) | Exists(
        CaseWorker.objects.filter(case_id=OuterRef("case_id"), user=user)
    )
    return notes.filter(Q(confidential=False) | works_on)


def get_note_by_id_for_user(request, pk) -> Note:
    """A note found by its own id (edit and history pages, the API); 404 unless its case
    is visible and, for a confidential note, the user may read it. Confidential reads
    are audited."""
    require_casework(request.user)
    try:
        case_id = (
            Note.objects.filter(pk=pk, case__in=Case.objects.visible_to(request.user))
            .values_list("case_id", flat=True)
            .first()
        )
    except (ValueError, TypeError):
        raise Http404 from None
    if case_id is None:
        raise Http404
    case = get_case_for_user(request, case_id, audit=False)
    note = get_note_for_user(request, case, pk)
    note.case = case
    return note


def get_case_record_for_user(request, model, pk):
    """A need, goal, plan review or service, by its own id, if the user sees its case:
    403 for roles without casework, 404 otherwise."""
    require_casework(request.user)
    try:
        return model.objects.select_related(
            "case", "case__client", "case__team", "case__lead_worker"
        ).get(pk=pk, case__in=Case.objects.visible_to(request.user))
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def case_workers_for_services(case: Case):
    """Who may be named as the worker of a service: active casework users of the case's
    team, and the case's own workers (lead and others) whatever their team."""
    return (
        User.objects.filter(is_active=True, groups__name__in=[Role.ADMINISTRATOR, *CASE_ROLES])
        .filter(
            Q(memberships__team_id=case.team_id)
            | Q(pk=case.lead_worker_id)
            | Q(case_links__case_id=case.pk)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def can_edit_service(user, service) -> bool:
    """The service's own worker, or whoever may edit its case."""
    if does_casework(user) and service.worker_id == user.pk:
        return True
    return can_edit_case(user, service.case)


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
    """The task, if the user may see it (assignee, or sees its case); 403 without casework."""
    require_casework(request.user)
    try:
        return Task.objects.visible_to(request.user).select_related("case", "assignee").get(pk=pk)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_edit_task(user, task: Task) -> bool:
    if not does_casework(user):
        return False
    if task.assignee_id == user.pk or user.has_role(Role.ADMINISTRATOR):
        return True
    return task.case is not None and can_edit_case(user, task.case)


# --- risks-dashboards -------------------------------------------------------------------


def get_risk_flag_for_user(request, pk) -> RiskFlag:
    """A flag of a case the user sees (404 otherwise); 403 for those who see the case
    but not its flags (they know only that a restricted flag exists)."""
    require_casework(request.user)
    try:
        flag = RiskFlag.objects.select_related("case", "case__client", "case__lead_worker").get(
            pk=pk, case__in=Case.objects.visible_to(request.user)
        )
    except (RiskFlag.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_see_risk_flags(request.user, flag.case):
        raise PermissionDenied
    return flag


def risk_flags_visible_to(user):
    """Every flag the user may read: of the cases they work on, and of the teams they
    supervise (all, for administrators). One query, whatever the cases."""
    if not does_casework(user):
        return RiskFlag.objects.none()
    if user.has_role(Role.ADMINISTRATOR):
        return RiskFlag.objects.all()
    works_on = Q(case__lead_worker=user) | Q(
        Exists(CaseWorker.objects.filter(case_id=OuterRef("case_id"), user=user))
    )
    if user.has_role(*SUPERVISOR_ROLES):
        works_on |= Q(case__team_id__in=user.team_ids)
    return RiskFlag.objects.filter(works_on)


def is_supervisor(user) -> bool:
    """Supervisors (programme managers) and administrators: the team caseloads page and
    the team's tasks."""
    return does_casework(user) and user.has_role(Role.ADMINISTRATOR, *SUPERVISOR_ROLES)


def supervised_teams(user):
    """The active teams whose caseloads the user supervises."""
    if not is_supervisor(user):
        return Team.objects.none()
    teams = Team.objects.active()
    if user.has_role(Role.ADMINISTRATOR):
        return teams
    return teams.filter(pk__in=user.team_ids)


# --- tasks -----------------------------------------------------------------------------------


def task_assignees(case: Case | None):
    """Who may be given a task: active casework users who see ``case`` (any, if none)."""
    users = User.objects.filter(
        is_active=True, groups__name__in=[Role.ADMINISTRATOR, *CASE_ROLES]
    ).distinct()
    if case is None:
        return users
    return users.filter(
        Q(groups__name=Role.ADMINISTRATOR)
        | Q(groups__name__in=CASE_ROLES, memberships__team_id=case.team_id)
        | Q(pk=case.lead_worker_id)
        | Q(case_links__case=case)
    )


def can_be_assigned(user, case: Case | None) -> bool:
    """``user`` does casework and sees ``case``: a task nobody can open is no task."""
    if not does_casework(user):
        return False
    return case is None or Case.objects.visible_to(user).filter(pk=case.pk).exists()


def can_assign_without_case(actor, assignee) -> bool:
    """A task tied to no case goes to yourself, or to a member of one of your teams."""
    if actor.pk == assignee.pk or actor.has_role(Role.ADMINISTRATOR):
        return True
    return bool(actor.team_ids & assignee.team_ids)


def team_tasks(user):
    """The tasks of the user's teams: tied to a team's case or given to a team member."""
    teams = user.team_ids
    members = Membership.objects.filter(user_id=OuterRef("assignee_id"), team_id__in=teams)
    return Task.objects.visible_to(user).filter(Q(case__team_id__in=teams) | Exists(members))


def case_staff(team_ids):
    """Active users who may work on the cases of ``team_ids``: the teams' caseworkers and
    programme managers (the choices for lead and other workers)."""
    return (
        User.objects.filter(
            is_active=True, memberships__team_id__in=team_ids, groups__name__in=CASE_ROLES
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
