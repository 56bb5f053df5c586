"""Who may see and change which programme record: one helper per kind of record.

* Projects, their indicators and reports: administrators; programme managers,
  caseworkers, facilitators, coordinators and analysts of the project's team.
  Analysts see aggregates only (never a roster or a name).
* Sessions and courses: administrators; managers, caseworkers and
  coordinators of the team; facilitators only the sessions they run;
  analysts the team's sessions without rosters. Volunteers: nothing.
* Rosters (enrolments, attendance, handout receipts, paper registers): as
  sessions, without analysts.
* Planning (projects, budgets, targets, sessions, courses): administrators
  and the team's programme managers. Attendance: those, plus the session's
  own facilitators. Enrolment: those, plus the team's caseworkers.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kinbridge.accounts.roles import Role
from kinbridge.audit.actions import record_read
from kinbridge.programmes.models import (
    TEAM_ROSTER_READERS,
    Course,
    Project,
    Session,
)


def _in_team(user, team_id) -> bool:
    return team_id in user.team_ids


def get_project_for_user(request, pk) -> Project:
    """The project, if the user's role and teams allow it; 404 otherwise."""
    try:
        return (
            Project.objects.visible_to(request.user).select_related("team", "programme").get(pk=pk)
        )
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_edit_project(user, project: Project) -> bool:
    if user.has_role(Role.ADMINISTRATOR):
        return True
    return user.has_role(Role.PROGRAMME_MANAGER) and _in_team(user, project.team_id)


def can_plan_for_team(user, team_id) -> bool:
    """May create projects, sessions and courses for this team."""
    if user.has_role(Role.ADMINISTRATOR):
        return True
    return user.has_role(Role.PROGRAMME_MANAGER) and _in_team(user, team_id)


def can_plan(user) -> bool:
    return user.has_role(Role.ADMINISTRATOR, Role.PROGRAMME_MANAGER)


def get_session_for_user(request, pk) -> Session:
    """The session, if the user may see it; 404 otherwise."""
    try:
        return (
            Session.objects.visible_to(request.user)
            .select_related("team", "project", "course", "facility", "series")
            .get(pk=pk)
        )
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def runs_session(user, session: Session) -> bool:
    return session.facilitators.filter(pk=user.pk).exists()


def can_see_roster(user, session: Session) -> bool:
    """May read who was enrolled in or attended the session (names)."""
    if user.has_role(Role.ADMINISTRATOR):
        return True
    if user.has_role(*TEAM_ROSTER_READERS) and _in_team(user, session.team_id):
        return True
    return user.has_role(Role.FACILITATOR) and runs_session(user, session)


def can_edit_session(user, session: Session) -> bool:
    return can_plan_for_team(user, session.team_id)


def can_record_attendance(user, session: Session) -> bool:
    if can_plan_for_team(user, session.team_id):
        return True
    return user.has_role(Role.FACILITATOR) and runs_session(user, session)


def require_roster(request, session: Session, *, audit: bool = True) -> None:
    """Refuse (403) anyone who may see the session but not its roster; audit the read."""
    if not can_see_roster(request.user, session):
        raise PermissionDenied
    if audit:
        record_read(request.user, session)


def _runs_courses(user):
    return Course.objects.filter(
        pk__in=Session.objects.filter(facilitators=user, course__isnull=False).values("course_id")
    )


def courses_visible_to(user):
    """Courses for lists: the team's, except that facilitators who hold no team-wide
    role see only the courses whose sessions they run."""
    if (
        user.is_authenticated
        and user.has_role(Role.FACILITATOR)
        and not user.has_role(Role.ADMINISTRATOR, *TEAM_ROSTER_READERS, Role.ANALYST)
    ):
        return _runs_courses(user)
    return Course.objects.visible_to(user)


def courses_with_rosters_for(user):
    """Courses whose enrolees (names) the user may read; see :func:`can_see_course_roster`."""
    if not user.is_authenticated or not user.is_active:
        return Course.objects.none()
    if user.has_role(Role.ADMINISTRATOR):
        return Course.objects.all()
    courses = Course.objects.none()
    if user.has_role(*TEAM_ROSTER_READERS):
        courses = Course.objects.filter(team_id__in=user.team_ids)
    if user.has_role(Role.FACILITATOR):
        courses = courses | _runs_courses(user)
    return courses


def get_course_for_user(request, pk) -> Course:
    """The course, if the user may see it (:func:`courses_visible_to`); 404 otherwise."""
    try:
        return courses_visible_to(request.user).select_related("team", "project").get(pk=pk)
    except (Course.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_see_course_roster(user, course: Course) -> bool:
    if user.has_role(Role.ADMINISTRATOR):
        return True
    if user.has_role(*TEAM_ROSTER_READERS) and _in_team(user, course.team_id):
        return True
    return user.has_role(Role.FACILITATOR) and course.sessions.filter(facilitators=user).exists()


def can_manage_enrolment(user, course: Course) -> bool:
    if can_plan_for_team(user, course.team_id):
        return True
    return user.has_role(Role.CASEWORKER) and _in_team(user, course.team_id)
