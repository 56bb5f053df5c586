"""Every change to custody episodes and to children living with their mothers.

Who may act: the people who may edit people (``can_edit_people``); which
records they reach is decided by the access helpers before an action runs.
``actor=None`` is the system (demo data, imports).

Release and transfer while children live with the mother: the action refuses
unless the caller says the children leave (or move) with her. Then, in the
same transaction, each child's stay ends on that day, recorded as "with the
mother", and after a transfer a new stay starts at the new facility, checked
against its children's unit like any placement. Otherwise the user first
ends the child's stay, recording where the child goes and who cares for it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinbridge.audit.actions import record_created, record_updated, snapshot
from kinbridge.custody.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    ChildResidence,
    CustodyEpisode,
    CustodyStatus,
    overlapping,
)
from kinbridge.facilities.models import Facility, FacilityKind
from kinbridge.people.actions import can_edit_people, refuse_erased
from kinbridge.people.models import PARENT_KINDS, Person, Relationship

# A recorded date may lie up to a week ahead: a transfer or release already fixed.
DAYS_AHEAD = 7
EPISODE_FIELDS = ("status", "start", "expected_release", "parole_eligibility", "notes")


def _require_editor(actor) -> None:
    if actor is not None and not can_edit_people(actor):
        raise PermissionDenied


def _day(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _lock(*people: Person) -> None:
    """Serialise changes to these people's custody (in id order, against deadlocks)."""
    ids = sorted({person.pk for person in people})
    list(Person.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))


def _too_far_ahead(day: dt.date | None) -> bool:
    return day is not None and day > timezone.localdate() + dt.timedelta(days=DAYS_AHEAD)


def _far_ahead_message() -> str:
    return ngettext(
        "This date is more than %(days)d day ahead. Record it when it is certain.",
        "This date is more than %(days)d days ahead. Record it when it is certain.",
        DAYS_AHEAD,
    ) % {"days": DAYS_AHEAD}


def validate_episode(fields: dict) -> None:
    """Date and status rules a form and the API both respect; raises by field."""
    errors: dict[str, str] = {}
    start, end, status = fields.get("start"), fields.get("end"), fields.get("status")
    if status not in CustodyStatus.values:
        errors["status"] = _("Choose a status.")
    if start is None:
        errors["start"] = _("Enter the date custody here began.")
    elif _too_far_ahead(start):
        errors["start"] = _far_ahead_message()
    if start is not None:
        if fields.get("expected_release") and fields["expected_release"] < start:
            errors["expected_release"] = _("The expected release cannot be before the start.")
        if fields.get("parole_eligibility") and fields["parole_eligibility"] < start:
            errors["parole_eligibility"] = _("Parole eligibility cannot be before custody began.")
        if end and end < start:
            errors["end"] = _("The release or transfer date cannot be before the start.")
    if end and _too_far_ahead(end) and "end" not in errors:
        errors["end"] = _far_ahead_message()
    if status in CLOSED_STATUSES and not end:
        errors["end"] = _("Give the date of the release or transfer.")
    if status in OPEN_STATUSES and end:
        errors["end"] = _(
            "An episode with an end date was a release or a transfer: choose that status, "
            "or leave the date empty."
        )
    if errors:
        raise ValidationError(errors)


def _check_place_of_custody(facility: Facility) -> None:
    if facility.kind == FacilityKind.COMMUNITY_VENUE:
        raise ValidationError(
            {
                "facility": _("%(facility)s is a community venue, not a place of custody.")
                % {"facility": facility}
            }
        )


def _check_no_overlap(person, start, end, *, exclude=None, field="start") -> None:
    others = CustodyEpisode.objects.filter(person=person).select_related("facility")
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    clash = overlapping(others, start, end).first()
    if clash is None:
        return
    if clash.end is None:
        message = _(
            "This overlaps the custody at %(facility)s since %(start)s, which is still open. "
            "Record its transfer or release first."
        ) % {"facility": clash.facility, "start": _day(clash.start)}
    else:
        message = _("This overlaps the custody at %(facility)s from %(start)s to %(end)s.") % {
            "facility": clash.facility,
            "start": _day(clash.start),
            "end": _day(clash.end),
        }
    raise ValidationError({field: message})


@transaction.atomic
def record_episode(
    actor,
    person: Person,
    *,
    facility: Facility,
    status: str,
    start: dt.date,
    expected_release: dt.date | None = None,
    parole_eligibility: dt.date | None = None,
    end: dt.date | None = None,
    notes: str = "",
) -> CustodyEpisode:
    """Open a custody episode (on remand or sentenced), or record a past one with its end."""
    _require_editor(actor)
    refuse_erased(person)
    fields = {
        "status": status,
        "start": start,
        "expected_release": expected_release,
        "parole_eligibility": parole_eligibility,
        "end": end,
        "notes": notes or "",
    }
    validate_episode(fields)
    _check_place_of_custody(facility)
    _lock(person)
    _check_no_overlap(person, start, end)
    episode = CustodyEpisode.objects.create(person=person, facility=facility, **fields)
    record_created(actor, episode)
    return episode


def _open_episode(episode: CustodyEpisode) -> CustodyEpisode:
    """The episode reloaded under lock; refused if it has already ended."""
    _lock(episode.person)
    current = CustodyEpisode.objects.select_for_update().select_related("facility", "person")
    current = current.get(pk=episode.pk)
    if current.end is not None:
        raise ValidationError(
            {NON_FIELD_ERRORS: _("This custody episode has already ended. Reload the page.")}
        )
    return current


@transaction.atomic
def update_episode(actor, episode: CustodyEpisode, **fields) -> CustodyEpisode:
    """Correct dates and status: remand to sentenced, a new expected release, notes."""
    _require_editor(actor)
    _lock(episode.person)
    current = CustodyEpisode.objects.select_for_update().select_related("facility")
    current = current.get(pk=episode.pk)
    changes = {name: value for name, value in fields.items() if name in EPISODE_FIELDS}
    merged = {name: getattr(current, name) for name in (*EPISODE_FIELDS, "end")} | changes
    merged["notes"] = merged["notes"] or ""
    if merged["status"] != current.status and (
        current.end is not None or merged["status"] not in OPEN_STATUSES
    ):
        raise ValidationError(
            {
                "status": _(
                    "An open episode is on remand or sentenced; to end it, record a release "
                    "or a transfer. An ended episode keeps its status."
                )
            }
        )
    validate_episode(merged)
    if merged["start"] != current.start:
        if current.previous_id is not None:
            raise ValidationError(
                {
                    "start": _(
                        "This episode began with a transfer on %(date)s; its start is the "
                        "transfer date."
                    )
                    % {"date": _day(current.start)}
                }
            )
        earlier_child = ChildResidence.objects.filter(
            mother_id=current.person_id,
            facility_id=current.facility_id,
            end__isnull=True,
            start__lt=merged["start"],
        ).first()
        if earlier_child is not None:
            raise ValidationError(
                {
                    "start": _("A child has lived with her here since %(date)s, before this date.")
                    % {"date": _day(earlier_child.start)}
                }
            )
        _check_no_overlap(current.person, merged["start"], current.end, exclude=current)
    before = snapshot(current)
    for name in changes:
        setattr(current, name, merged[name])
    current.save()
    record_updated(actor, current, before)
    return current


def _children_with(episode: CustodyEpisode):
    return list(
        ChildResidence.objects.current()
        .filter(mother_id=episode.person_id, facility_id=episode.facility_id)
        .select_related("child", "facility")
        .order_by("start", "id")
    )


def _names(stays) -> str:
    return ", ".join(stay.child.full_name for stay in stays)


def _end_stay(actor, stay: ChildResidence, day: dt.date, next_place: str, carer) -> None:
    before = snapshot(stay)
    stay.end, stay.next_place, stay.carer = day, next_place[:200], carer
    stay.save()
    record_updated(actor, stay, before)


@transaction.atomic
def transfer(
    actor,
    episode: CustodyEpisode,
    *,
    facility: Facility,
    date: dt.date,
    expected_release: dt.date | None = None,
    children_move_with_her: bool = False,
) -> CustodyEpisode:
    """End the episode as "transferred" on ``date`` and open the next one at ``facility``.

    The new episode keeps the status and dates (a new expected release may be
    given) and links back to the old one, so the history stays.
    """
    _require_editor(actor)
    current = _open_episode(episode)
    errors = {}
    if facility.pk == current.facility_id:
        errors["facility"] = _("The person is already at %(facility)s.") % {"facility": facility}
    if date is None:
        errors["date"] = _("Enter the date of the transfer.")
    elif date < current.start:
        errors["date"] = _(
            "The transfer cannot be before custody at %(facility)s began (%(start)s)."
        ) % {"facility": current.facility, "start": _day(current.start)}
    elif _too_far_ahead(date):
        errors["date"] = _far_ahead_message()
    release = expected_release or current.expected_release
    if date and release and release < date and "date" not in errors:
        errors["expected_release"] = _("The expected release cannot be before the transfer.")
    if errors:
        raise ValidationError(errors)
    _check_place_of_custody(facility)
    stays = _children_with(current)
    if stays and not children_move_with_her:
        raise ValidationError(
            {
                "children_move_with_her": _(
                    "%(names)s still lives with her at %(facility)s. Tick “The children move "
                    "with her”, or first end the child's stay and record where the child goes."
                )
                % {"names": _names(stays), "facility": current.facility}
            }
        )
    before = snapshot(current)
    current.status, current.end = CustodyStatus.TRANSFERRED, date
    current.save()
    record_updated(actor, current, before)
    parole = current.parole_eligibility
    following = CustodyEpisode.objects.create(
        person=current.person,
        facility=facility,
        status=before["status"],
        start=date,
        expected_release=release,
        parole_eligibility=parole if parole is None or parole >= date else None,
        previous=current,
        notes="",
    )
    record_created(actor, following)
    moved_to = _("With the mother, transferred to %(facility)s") % {"facility": facility}
    for stay in stays:
        _end_stay(actor, stay, date, moved_to, current.person)
        try:
            _place(actor, stay.child, following, date)
        except ValidationError as exc:
            raise ValidationError(
                {
                    "children_move_with_her": [
                        f"{stay.child.full_name}: {problem}" for problem in exc.messages
                    ]
                }
            ) from None
    return following


@transaction.atomic
def release(
    actor, episode: CustodyEpisode, *, date: dt.date, children_leave_with_her: bool = False
) -> CustodyEpisode:
    """Record the release on ``date``.

    Refused while a child still lives with her there, unless the children
    leave with her: their stays then end on the same day.
    """
    _require_editor(actor)
    current = _open_episode(episode)
    if date is None:
        raise ValidationError({"date": _("Enter the date of the release.")})
    if date < current.start:
        raise ValidationError(
            {
                "date": _("The release cannot be before custody began (%(start)s).")
                % {"start": _day(current.start)}
            }
        )
    if _too_far_ahead(date):
        raise ValidationError({"date": _far_ahead_message()})
    stays = _children_with(current)
    if stays and not children_leave_with_her:
        raise ValidationError(
            {
                "children_leave_with_her": _(
                    "%(names)s still lives with her at %(facility)s. Tick “The children leave "
                    "with her”, or first end the child's stay and record where the child goes."
                )
                % {"names": _names(stays), "facility": current.facility}
            }
        )
    late = [stay for stay in stays if stay.start > date]
    if late:
        raise ValidationError(
            {
                "date": _("%(names)s came to live with her after this date.")
                % {"names": _names(late)}
            }
        )
    for stay in stays:
        _end_stay(actor, stay, date, _("With the mother, on her release"), current.person)
    before = snapshot(current)
    current.status, current.end = CustodyStatus.RELEASED, date
    current.save()
    record_updated(actor, current, before)
    return current


def _stay_limit_message(facility, child, start, limit, age_limit) -> str:
    values = {
        "date": _day(start),
        "facility": facility,
        "months": facility.child_age_limit_months,
        "limit": _day(limit),
        "extension": facility.extension_if_release_within_months,
    }
    if limit > age_limit:
        return (
            _(
                "On %(date)s the child is past the extended stay at %(facility)s, which ended "
                "on %(limit)s (the mother's expected release)."
            )
            % values
        )
    message = (
        _(
            "On %(date)s the child is above the age limit of %(facility)s: %(months)s months, "
            "reached on %(limit)s."
        )
        % values
    )
    if facility.extension_if_release_within_months is not None:
        message += " " + (
            _(
                "The stay is extended only when the mother's expected release falls within "
                "%(extension)s months after that day."
            )
            % values
        )
    return message


def _place(actor, child: Person, episode: CustodyEpisode, start: dt.date) -> ChildResidence:
    """Check and record a child's stay with the mother of ``episode`` from ``start``."""
    facility = Facility.objects.select_for_update().get(pk=episode.facility_id)
    if not facility.has_children_unit:
        raise ValidationError(
            {
                "facility": _("%(facility)s has no children's home or mother-and-baby unit.")
                % {"facility": facility}
            }
        )
    if child.birth_date is None:
        raise ValidationError(
            {"child": _("Record the child's date of birth first: the age limit depends on it.")}
        )
    if start < child.birth_date:
        raise ValidationError(
            {
                "start": _("The child was born on %(date)s, after this date.")
                % {"date": _day(child.birth_date)}
            }
        )
    limit = facility.stay_limit(child.birth_date, episode.expected_release)
    if start > limit:
        raise ValidationError(
            {
                "start": _stay_limit_message(
                    facility, child, start, limit, facility.age_limit_date(child.birth_date)
                )
            }
        )
    stays = ChildResidence.objects.filter(child=child).select_related("facility")
    clash = overlapping(stays, start, None).first()
    if clash is not None:
        if clash.end is None:
            message = _(
                "The child already lives at %(facility)s since %(start)s. End that stay first."
            ) % {"facility": clash.facility, "start": _day(clash.start)}
        else:
            message = _(
                "This overlaps the child's stay at %(facility)s from %(start)s to %(end)s."
            ) % {"facility": clash.facility, "start": _day(clash.start), "end": _day(clash.end)}
        raise ValidationError({"start": message})
    living = ChildResidence.objects.current().filter(facility=facility).count()
    if facility.children_capacity is not None and living >= facility.children_capacity:
        raise ValidationError(
            {
                "facility": _(
                    "The children's unit of %(facility)s is full: %(living)s children for "
                    "%(capacity)s places."
                )
                % {
                    "facility": facility,
                    "living": living,
                    "capacity": facility.children_capacity,
                }
            }
        )
    stay = ChildResidence.objects.create(
        child=child, mother=episode.person, facility=facility, start=start
    )
    record_created(actor, stay)
    return stay


@transaction.atomic
def place_child(
    actor,
    *,
    child: Person,
    mother: Person,
    start: dt.date,
    facility: Facility | None = None,
) -> ChildResidence:
    """Record that ``child`` lives with ``mother`` in her facility from ``start``.

    The facility is the one where she is in custody now; if ``facility`` is
    given it must be that one.
    """
    _require_editor(actor)
    refuse_erased(child, mother)
    if child.pk == mother.pk:
        raise ValidationError({"child": _("A person cannot live with themselves.")})
    if start is None:
        raise ValidationError({"start": _("Enter the date the child came to live there.")})
    if _too_far_ahead(start):
        raise ValidationError({"start": _far_ahead_message()})
    _lock(child, mother)
    if not Relationship.objects.filter(
        person=child, relative=mother, kind__in=PARENT_KINDS, end__isnull=True
    ).exists():
        raise ValidationError(
            {
                "child": _(
                    "%(mother)s is not recorded as this child's mother. Add the relationship on "
                    "the Family tab first."
                )
                % {"mother": mother.full_name}
            }
        )
    episode = (
        CustodyEpisode.objects.current().filter(person=mother).select_related("facility").first()
    )
    if episode is None:
        raise ValidationError(
            {
                "mother": _("%(mother)s is not in custody now. Record her custody first.")
                % {"mother": mother.full_name}
            }
        )
    if facility is not None and facility.pk != episode.facility_id:
        raise ValidationError(
            {
                "facility": _("The mother is in custody at %(facility)s, not here.")
                % {"facility": episode.facility}
            }
        )
    if start < episode.start:
        raise ValidationError(
            {
                "start": _("The mother has been at %(facility)s only since %(date)s.")
                % {"facility": episode.facility, "date": _day(episode.start)}
            }
        )
    return _place(actor, child, episode, start)


@transaction.atomic
def end_stay(
    actor,
    stay: ChildResidence,
    *,
    date: dt.date,
    next_place: str,
    carer: Person | None = None,
) -> ChildResidence:
    """Record that the child left the facility: when, where to, and who cares for it now."""
    _require_editor(actor)
    _lock(stay.child)
    current = ChildResidence.objects.select_for_update().get(pk=stay.pk)
    if current.end is not None:
        raise ValidationError(
            {NON_FIELD_ERRORS: _("This stay has already ended. Reload the page.")}
        )
    errors = {}
    if date is None:
        errors["date"] = _("Enter the date the child left.")
    elif date < current.start:
        errors["date"] = _("The child cannot leave before arriving (%(start)s).") % {
            "start": _day(current.start)
        }
    elif _too_far_ahead(date):
        errors["date"] = _far_ahead_message()
    if not (next_place or "").strip():
        errors["next_place"] = _(
            "Say where the child goes next: the mother's relatives, foster care, a children's home…"
        )
    if carer is not None and carer.pk == current.child_id:
        errors["carer"] = _("The child cannot be their own carer.")
    if errors:
        raise ValidationError(errors)
    _end_stay(actor, current, date, next_place.strip(), carer)
    return current
