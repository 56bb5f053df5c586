"""Every change to sessions and their recurring series.

Who may act: administrators and the team's programme managers
(``can_plan_for_team``); which records they reach is decided by the access
helpers before an action runs. ``actor=None`` is the system (demo data,
imports). Views and the API call these functions and nothing else.

A series is a first session's details repeated every N weeks, N times, at
the same local wall-clock time (a weekly 18:00 group stays at 18:00 across a
change to summer time). Editing "this and following" applies the changed
fields to the later planned sessions of the series and moves their times by
as much as this one moved; cancelling "this and following" cancels the later
planned ones.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinbridge.accounts.models import Team, User
from kinbridge.accounts.roles import Role
from kinbridge.audit.actions import record_created, record_updated, snapshot
from kinbridge.facilities.models import Facility, FacilityKind
from kinbridge.people.models import Person, PersonRoleKind
from kinbridge.programmes.access import can_plan_for_team
from kinbridge.programmes.models import (
    Audience,
    Course,
    PlaceKind,
    Project,
    Session,
    SessionKind,
    SessionSeries,
    SessionStatus,
)

# What a form or the API may set on a session; the rest is derived or bookkeeping.
SESSION_FIELDS = (
    "team",
    "project",
    "course",
    "kind",
    "topic",
    "module",
    "status",
    "place_kind",
    "facility",
    "venue",
    "online_link",
    "start",
    "end",
    "audience",
    "capacity",
    "unnamed_headcount",
    "notes",
)
# Users who may be named as a session's facilitators.
FACILITATOR_ROLES = (Role.FACILITATOR, Role.CASEWORKER, Role.PROGRAMME_MANAGER)
MAX_EVERY_WEEKS = 52
MAX_OCCURRENCES = 200


def require_planner(actor, team_id) -> None:
    if actor is not None and not can_plan_for_team(actor, team_id):
        raise PermissionDenied


def planning_teams(user):
    """Teams the user may plan sessions and courses for."""
    teams = Team.objects.active().order_by("name")
    if user.has_role(Role.ADMINISTRATOR):
        return teams
    if user.has_role(Role.PROGRAMME_MANAGER):
        return teams.filter(pk__in=user.team_ids)
    return teams.none()


def facilitator_candidates(team_ids):
    """Active users of these teams whose role lets them run a session."""
    return (
        User.objects.filter(is_active=True, memberships__team_id__in=team_ids)
        .filter(groups__name__in=FACILITATOR_ROLES)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def specialist_candidates(user):
    """People visible to the user who are currently external specialists."""
    return (
        Person.objects.visible_to(user)
        .filter(roles__role=PersonRoleKind.SPECIALIST, roles__end__isnull=True)
        .order_by("family_name", "given_name", "id")
    )


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def validate_session(fields: dict) -> None:
    """The rules a form and the API both respect; raises ValidationError by field."""
    errors: dict[str, str] = {}
    team = fields.get("team")
    if team is None:
        errors["team"] = _("Choose the team that runs the session.")
    if fields.get("kind") not in SessionKind.values:
        errors["kind"] = _("Choose the type of session.")
    if not (fields.get("topic") or "").strip():
        errors["topic"] = _("Enter the topic.")
    if fields.get("status") not in SessionStatus.values:
        errors["status"] = _("Choose a status.")
    start, end = fields.get("start"), fields.get("end")
    if start is None:
        errors["start"] = _("Enter when the session starts.")
    if end is None:
        errors["end"] = _("Enter when the session ends.")
    elif start is not None and end <= start:
        errors["end"] = _("The session must end after it starts.")
    project, course = fields.get("project"), fields.get("course")
    if team is not None and project is not None and project.team_id != team.pk:
        errors["project"] = _("This project belongs to another team.")
    if team is not None and course is not None and course.team_id != team.pk:
        errors["course"] = _("This course belongs to another team.")
    elif (
        project is not None
        and course is not None
        and course.project_id
        not in (
            None,
            project.pk,
        )
    ):
        errors["course"] = _("This course belongs to another project.")
    errors |= _place_errors(fields)
    unknown = [code for code in fields.get("audience") or [] if code not in Audience.values]
    if unknown:
        errors["audience"] = _("Choose the audience from the list.")
    headcount = fields.get("unnamed_headcount") or 0
    if headcount < 0:
        errors["unnamed_headcount"] = _("The number of people cannot be negative.")
    capacity = fields.get("capacity")
    if capacity is not None and capacity < 1:
        errors["capacity"] = _("Leave places empty, or give at least 1.")
    if errors:
        raise ValidationError(errors)


def _place_errors(fields: dict) -> dict:
    place, facility = fields.get("place_kind"), fields.get("facility")
    if place not in PlaceKind.values:
        return {"place_kind": _("Choose where the session takes place.")}
    if place == PlaceKind.FACILITY:
        if facility is None:
            return {"facility": _("Choose the facility where the session takes place.")}
        if facility.kind == FacilityKind.COMMUNITY_VENUE:
            return {
                "facility": _(
                    "%(venue)s is a community venue: choose “Community venue” as the place."
                )
                % {"venue": facility.name}
            }
    if place == PlaceKind.COMMUNITY:
        if facility is not None and facility.kind != FacilityKind.COMMUNITY_VENUE:
            return {
                "facility": _("%(facility)s is not a community venue.")
                % {"facility": facility.name}
            }
        if facility is None and not (fields.get("venue") or "").strip():
            return {"venue": _("Name the venue, or choose a community venue from the list.")}
    if place == PlaceKind.ONLINE and not (fields.get("online_link") or "").strip():
        return {"online_link": _("An online session needs the link to join.")}
    return {}


def _normalise(fields: dict) -> dict:
    """Clear what the chosen place does not use, so no stale venue or link lingers."""
    fields = dict(fields)
    for name in ("topic", "module", "venue", "online_link", "notes"):
        fields[name] = (fields.get(name) or "").strip()
    fields["audience"] = sorted(set(fields.get("audience") or []))
    fields["unnamed_headcount"] = fields.get("unnamed_headcount") or 0
    place = fields.get("place_kind")
    if place == PlaceKind.FACILITY:
        fields["venue"] = ""
        fields["online_link"] = ""
    elif place == PlaceKind.COMMUNITY:
        fields["online_link"] = ""
        if fields.get("facility") is not None:
            fields["venue"] = ""
    elif place == PlaceKind.ONLINE:
        fields["facility"] = None
        fields["venue"] = ""
    return fields


def _check_people(actor, team_id, facilitators, external) -> None:
    errors = {}
    allowed = set(facilitator_candidates([team_id]).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in facilitators):
        errors["facilitators"] = _(
            "Facilitators are members of the session's team who facilitate, do casework "
            "or manage programmes."
        )
    if external:
        ids = {person.pk for person in external}
        found = specialist_candidates(actor) if actor is not None else None
        known = (
            set(found.filter(pk__in=ids).values_list("pk", flat=True))
            if found is not None
            else set(
                Person.objects.filter(
                    pk__in=ids, roles__role=PersonRoleKind.SPECIALIST, roles__end__isnull=True
                ).values_list("pk", flat=True)
            )
        )
        if ids - known:
            errors["external_facilitators"] = _(
                "External specialists are people you can see whose role is external specialist."
            )
    if errors:
        raise ValidationError(errors)


def _people_state(session: Session) -> dict:
    return {
        "facilitators": sorted(session.facilitators.values_list("pk", flat=True)),
        "external_facilitators": sorted(session.external_facilitators.values_list("pk", flat=True)),
    }


def _prepare(actor, fields, facilitators, external) -> dict:
    fields = _normalise({name: fields.get(name) for name in SESSION_FIELDS})
    fields["status"] = fields.get("status") or SessionStatus.PLANNED
    validate_session(fields)
    require_planner(actor, fields["team"].pk)
    _check_people(actor, fields["team"].pk, facilitators or (), external or ())
    return fields


@transaction.atomic
def create_session(actor, *, facilitators=(), external_facilitators=(), **fields) -> Session:
    """Plan (or record) one session."""
    fields = _prepare(actor, fields, facilitators, external_facilitators)
    session = Session.objects.create(**fields)
    session.facilitators.set(facilitators)
    session.external_facilitators.set(external_facilitators)
    record_created(actor, session, extra=_people_state(session))
    return session


def _apply(actor, session: Session, fields: dict, facilitators, external) -> None:
    before = snapshot(session, extra=_people_state(session))
    for name, value in fields.items():
        setattr(session, name, value)
    session.save()
    if facilitators is not None:
        session.facilitators.set(facilitators)
    if external is not None:
        session.external_facilitators.set(external)
    record_updated(actor, session, before, extra=_people_state(session))


@transaction.atomic
def update_session(
    actor,
    session: Session,
    *,
    facilitators=None,
    external_facilitators=None,
    following: bool = False,
    **changes,
) -> Session:
    """Change a session; with ``following``, also the later planned sessions of its series.

    Later sessions get the fields that changed here, and move by as much as
    this one's start moved (their length becomes this one's length).
    """
    require_planner(actor, session.team_id)
    current = Session.objects.select_for_update().get(pk=session.pk)
    if "team" in changes and changes["team"] is not None and changes["team"] != current.team:
        require_planner(actor, changes["team"].pk)
    merged = {name: getattr(current, name) for name in SESSION_FIELDS} | {
        name: value for name, value in changes.items() if name in SESSION_FIELDS
    }
    people_now = {
        "facilitators": list(current.facilitators.all()),
        "external_facilitators": list(current.external_facilitators.all()),
    }
    fields = _prepare(
        actor,
        merged,
        people_now["facilitators"] if facilitators is None else facilitators,
        people_now["external_facilitators"]
        if external_facilitators is None
        else external_facilitators,
    )
    changed = {name: value for name, value in fields.items() if getattr(current, name) != value}
    original_start = current.start
    moved_by = fields["start"] - current.start
    length = fields["end"] - fields["start"]
    _apply(actor, current, changed, facilitators, external_facilitators)
    if following and current.series_id:
        later_changes = {
            name: value for name, value in changed.items() if name not in ("start", "end")
        }
        for later in _later_in_series(current, before_start=original_start):
            later_fields = dict(later_changes)
            if moved_by or "end" in changed:
                start = _shift(later.start, moved_by)
                later_fields |= {"start": start, "end": start + length}
            merged = {name: getattr(later, name) for name in SESSION_FIELDS} | later_fields
            validate_session(_normalise(merged))
            _apply(actor, later, later_fields, facilitators, external_facilitators)
    session.refresh_from_db()
    return session


def _shift(value: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """Move by ``delta`` in local wall-clock time."""
    return _local(value) + delta


def _later_in_series(session: Session, *, before_start: dt.datetime):
    return list(
        Session.objects.select_for_update()
        .filter(series_id=session.series_id, start__gt=before_start, status=SessionStatus.PLANNED)
        .exclude(pk=session.pk)
        .order_by("start", "id")
    )


@transaction.atomic
def cancel_session(actor, session: Session, *, following: bool = False) -> list[Session]:
    """Cancel this session (and, with ``following``, the later planned ones of its series)."""
    require_planner(actor, session.team_id)
    current = Session.objects.select_for_update().get(pk=session.pk)
    if current.status == SessionStatus.HELD:
        raise ValidationError(
            {"status": _("This session was held; it cannot be cancelled. Correct its status.")}
        )
    sessions = [current]
    if following and current.series_id:
        sessions += _later_in_series(current, before_start=current.start)
    cancelled = []
    for item in sessions:
        if item.status == SessionStatus.CANCELLED:
            continue
        _apply(actor, item, {"status": SessionStatus.CANCELLED}, None, None)
        cancelled.append(item)
    return cancelled


def validate_series(every_weeks, occurrences) -> None:
    errors = {}
    if not isinstance(every_weeks, int) or not 1 <= every_weeks <= MAX_EVERY_WEEKS:
        errors["every_weeks"] = _("Repeat every 1 to %(max)d weeks.") % {"max": MAX_EVERY_WEEKS}
    if not isinstance(occurrences, int) or not 1 <= occurrences <= MAX_OCCURRENCES:
        errors["occurrences"] = _("A series has 1 to %(max)d sessions.") % {"max": MAX_OCCURRENCES}
    if errors:
        raise ValidationError(errors)


def series_times(
    start: dt.datetime, end: dt.datetime, every_weeks: int, occurrences: int
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The start and end of each occurrence, at the first one's local wall-clock time."""
    start, length = _local(start), end - start
    times = []
    for number in range(occurrences):
        begins = start + dt.timedelta(weeks=every_weeks * number)
        times.append((begins, begins + length))
    return times


@transaction.atomic
def create_series(
    actor,
    *,
    every_weeks: int,
    occurrences: int,
    title: str = "",
    numbered: bool = False,
    facilitators=(),
    external_facilitators=(),
    **fields,
) -> SessionSeries:
    """A series and all its sessions, from the first session's details.

    ``numbered`` adds "(3/10)" to each topic (a course's meetings).
    """
    validate_series(every_weeks, occurrences)
    fields = _prepare(actor, fields, facilitators, external_facilitators)
    series = SessionSeries.objects.create(
        team=fields["team"],
        title=(title or "").strip()[:300] or fields["topic"],
        every_weeks=every_weeks,
        occurrences=occurrences,
    )
    record_created(actor, series)
    sessions = []
    for number, (start, end) in enumerate(
        series_times(fields["start"], fields["end"], every_weeks, occurrences), start=1
    ):
        topic = fields["topic"]
        if numbered:
            topic = f"{topic} ({number}/{occurrences})"[:300]
        session = Session(**(fields | {"series": series, "start": start, "end": end}))
        session.topic = topic
        session.fill_calendar()
        sessions.append(session)
    Session.objects.bulk_create(sessions)
    saved = list(series.sessions.order_by("start", "id"))
    Through = Session.facilitators.through
    Through.objects.bulk_create(
        Through(session_id=session.pk, user_id=user.pk)
        for session in saved
        for user in facilitators
    )
    External = Session.external_facilitators.through
    External.objects.bulk_create(
        External(session_id=session.pk, person_id=person.pk)
        for session in saved
        for person in external_facilitators
    )
    for session in saved:
        record_created(
            actor, session, extra=_people_state_from(facilitators, external_facilitators)
        )
    return series


def _people_state_from(facilitators, external) -> dict:
    return {
        "facilitators": sorted(user.pk for user in facilitators),
        "external_facilitators": sorted(person.pk for person in external),
    }


def visible_projects(user, team_ids):
    return Project.objects.visible_to(user).filter(team_id__in=team_ids).order_by("title")


def visible_courses_for_planning(user, team_ids):
    return Course.objects.visible_to(user).filter(team_id__in=team_ids).order_by("title")


def venue_facilities():
    return Facility.objects.filter(is_active=True).order_by("name", "id")


def filter_sessions(sessions, params, user, *, now=None) -> tuple:
    """Apply ``project``, ``course``, ``kind``, ``facility``, ``status``, ``when``
    (upcoming/past), ``from``/``to`` (local dates) and ``mine``; shared by the page and
    the API. Returns the queryset and the filters as understood."""
    from kinbridge.people.models import parse_date

    now = now or timezone.now()
    filters = {
        name: (params.get(name) or "").strip()[:40]
        for name in (
            "project",
            "course",
            "kind",
            "facility",
            "status",
            "when",
            "from",
            "to",
            "mine",
        )
    }
    for name in ("project", "course", "facility"):
        if filters[name].isdigit():
            sessions = sessions.filter(**{f"{name}_id": int(filters[name])})
        else:
            filters[name] = ""
    if filters["kind"] in SessionKind.values:
        sessions = sessions.filter(kind=filters["kind"])
    if filters["status"] in SessionStatus.values:
        sessions = sessions.filter(status=filters["status"])
    if filters["when"] == "upcoming":
        sessions = sessions.filter(end__gte=now)
    elif filters["when"] == "past":
        sessions = sessions.filter(end__lt=now)
    else:
        filters["when"] = ""
    start_from, until = parse_date(filters["from"]), parse_date(filters["to"])
    if start_from:
        sessions = sessions.filter(start_date__gte=start_from)
    if until:
        sessions = sessions.filter(start_date__lte=until)
    filters["from"] = start_from.isoformat() if start_from else ""
    filters["to"] = until.isoformat() if until else ""
    if filters["mine"] in ("1", "yes", "true"):
        filters["mine"] = "1"
        sessions = sessions.filter(pk__in=Session.objects.filter(facilitators=user).values("pk"))
    else:
        filters["mine"] = ""
    return sessions, filters


def upcoming_first(sessions, *, now=None):
    """Sessions still to come (soonest first), then past ones (latest first)."""
    from django.db.models import Case, F, IntegerField, Value, When

    now = now or timezone.now()
    return sessions.annotate(
        is_past=Case(
            When(end__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
        coming_start=Case(When(end__gte=now, then=F("start")), default=None),
    ).order_by("is_past", "coming_start", "-start", "-id")


@transaction.atomic
def delete_session(actor, session: Session) -> None:
    """Delete a session planned by mistake; one with attendance or handouts is cancelled instead."""
    require_planner(actor, session.team_id)
    if (
        session.status == SessionStatus.HELD
        or session.attendance.exists()
        or session.handouts.exists()
        or session.register_sheets.exists()
    ):
        raise ValidationError(
            _("This session has attendance, handouts or registers: cancel it instead.")
        )
    record_deleted_session = _people_state(session)
    from kinbridge.audit.actions import record_deleted

    record_deleted(actor, session, extra=record_deleted_session)
    session.delete()
