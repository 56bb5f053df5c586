"""Every change to facilities, their visiting rules and visiting slots.

A facility is saved together with its rules and slots in one transaction:
everything is validated first, so bad input saves nothing. Errors are keyed
by field name (facility and rules fields never share a name) and ``slots``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinbridge.accounts.roles import Role
from kinbridge.audit.actions import record_created, record_deleted, record_updated, snapshot
from kinbridge.facilities.models import (
    ADULT_AGE,
    Facility,
    FacilityKind,
    VisitingRules,
    VisitKind,
    VisitSlot,
    Weekday,
)

# Facilities are organisational reference data: every role reads, these keep it.
EDITOR_ROLES = (Role.ADMINISTRATOR, Role.PROGRAMME_MANAGER)
FACILITY_FIELDS = Facility.EDITABLE_FIELDS
RULES_FIELDS = VisitingRules.EDITABLE_FIELDS
SLOT_FIELDS = VisitSlot.EDITABLE_FIELDS
MAX_BOOKING_DAYS = 366
UNCHANGED = object()  # update_facility: leave the visiting rules as they are


def can_view_facilities(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(*Role.values)


def can_edit_facilities(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(*EDITOR_ROLES)


def _require_editor(actor) -> None:
    if actor is not None and not can_edit_facilities(actor):
        raise PermissionDenied


# --- Validation (forms and the API call these too) --------------------------------------


def facility_errors(fields: dict, *, instance: Facility | None = None) -> dict[str, str]:
    errors = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = _("A name is needed.")
    if fields.get("kind") not in FacilityKind.values:
        errors["kind"] = _("Choose the type of facility.")
    if fields.get("region") is None:
        errors["region"] = _("Choose a region.")
    limit = fields.get("child_age_limit_months")
    capacity = fields.get("children_capacity")
    within = fields.get("extension_if_release_within_months")
    extended = fields.get("extended_age_limit_months")
    if limit is not None and limit < 1:
        errors["child_age_limit_months"] = _("The age limit is at least 1 month.")
    if capacity is not None:
        if capacity < 1:
            errors["children_capacity"] = _("Enter at least 1 place, or leave it empty.")
        elif limit is None:
            errors["children_capacity"] = _(
                "Places for children need a children's unit: give its age limit too."
            )
    if within is not None:
        if within < 1:
            errors["extension_if_release_within_months"] = _(
                "Enter at least 1 month, or leave it empty for no extension."
            )
        elif limit is None:
            errors["extension_if_release_within_months"] = _(
                "An extension rule needs an age limit: give the age limit first."
            )
    if extended is not None:
        if within is None:
            errors["extended_age_limit_months"] = _(
                "An extended age limit needs the extension rule (months the mother has left)."
            )
        elif limit is not None and extended <= limit:
            errors["extended_age_limit_months"] = _(
                "The extended age limit must be above the age limit (%(limit)d months)."
            ) % {"limit": limit}
    if "name" not in errors and fields.get("region") is not None:
        same = Facility.objects.filter(region=fields["region"], name=fields["name"].strip())
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        if same.exists():
            errors["name"] = _("This region already has a facility with this name.")
    return errors


def rules_errors(fields: dict) -> dict[str, str]:
    errors = {}
    lead = fields.get("booking_lead_days")
    window = fields.get("booking_window_days")
    if window is None or window < 1:
        errors["booking_window_days"] = _("Enter at least 1 day.")
    elif window > MAX_BOOKING_DAYS:
        errors["booking_window_days"] = _("Enter at most %(days)d days.") % {
            "days": MAX_BOOKING_DAYS
        }
    if lead is None or lead < 0:
        errors["booking_lead_days"] = _("Enter 0 or more days.")
    elif window is not None and "booking_window_days" not in errors and lead > window:
        errors["booking_lead_days"] = _(
            "The earliest booking must fall within the booking window (%(window)d days)."
        ) % {"window": window}
    if fields.get("max_visitors") is None or fields["max_visitors"] < 1:
        errors["max_visitors"] = _("At least 1 visitor.")
    age = fields.get("min_age_unaccompanied")
    if age is None or not 0 <= age <= ADULT_AGE:
        errors["min_age_unaccompanied"] = _("Enter an age from 0 to %(adult)d.") % {
            "adult": ADULT_AGE
        }
    capacity = fields.get("family_room_capacity")
    if capacity is not None:
        if not fields.get("has_family_room"):
            errors["family_room_capacity"] = _(
                "A capacity needs a family room: tick “has a family room” or leave this empty."
            )
        elif capacity < 1:
            errors["family_room_capacity"] = _("Enter at least 1 person, or leave it empty.")
    if (fields.get("accepted_ids") or "").strip() and not fields.get("id_required"):
        errors["accepted_ids"] = _(
            "Accepted IDs apply only when visitors must show ID: tick that box or clear this."
        )
    return errors


def slot_errors(fields: dict) -> dict[str, str]:
    errors = {}
    if fields.get("weekday") not in Weekday.values:
        errors["weekday"] = _("Choose a day.")
    if fields.get("kind") not in VisitKind.values:
        errors["kind"] = _("Choose the kind of visit.")
    days = fields.get("days") or 1
    if not 1 <= days <= VisitSlot.MAX_DAYS:
        errors["days"] = _("Enter 1 to %(most)d days.") % {"most": VisitSlot.MAX_DAYS}
    start, end = fields.get("start"), fields.get("end")
    if start is None:
        errors["start"] = _("Enter the time the visit starts.")
    if end is None:
        errors["end"] = _("Enter the time the visit ends.")
    elif start is not None and days == 1 and end <= start:
        errors["end"] = _("The visit must end after it starts.")
    return errors


def _slot_key(fields: dict) -> tuple:
    return (fields.get("weekday"), fields.get("start"), fields.get("kind"))


def slots_errors(slots: list[dict]) -> list[str]:
    """Problems with a list of slots, each naming the row (1-based)."""
    problems, seen = [], set()
    for number, fields in enumerate(slots, start=1):
        for message in slot_errors(fields).values():
            problems.append(
                _("Slot %(number)d: %(problem)s") % {"number": number, "problem": message}
            )
        key = _slot_key(fields)
        if key in seen:
            problems.append(
                _("Slot %(number)d: the same day, start and kind appear twice.")
                % {"number": number}
            )
        seen.add(key)
    return problems


def _validate(fields, rules, slots, *, instance=None) -> None:
    errors: dict[str, list[str]] = {
        name: [message] for name, message in facility_errors(fields, instance=instance).items()
    }
    if rules is not None:
        errors |= {name: [message] for name, message in rules_errors(rules).items()}
        if problems := slots_errors(slots or []):
            errors["slots"] = problems
    elif slots:
        errors["slots"] = [_("Visiting slots need visiting rules.")]
    if errors:
        raise ValidationError(errors)


# --- Writes ------------------------------------------------------------------------------


def _slots_extra(rules: VisitingRules) -> dict:
    return {"slots": [slot.audit_value() for slot in rules.slots.all()]}


def _clean_fields(fields: dict, names) -> dict:
    return {name: fields[name] for name in names if name in fields}


def _save_rules(actor, facility: Facility, rules: dict | None, slots: list[dict]) -> None:
    current = VisitingRules.objects.filter(facility=facility).first()
    if rules is None:
        if current is not None:
            record_deleted(actor, current, extra=_slots_extra(current))
            current.delete()
        return
    if current is None:
        current = VisitingRules(facility=facility)
        before = None
    else:
        before = snapshot(current, extra=_slots_extra(current))
    for name, value in _clean_fields(rules, RULES_FIELDS).items():
        setattr(current, name, value)
    current.save()
    _sync_slots(current, slots)
    if before is None:
        record_created(actor, current, extra=_slots_extra(current))
    else:
        record_updated(actor, current, before, extra=_slots_extra(current))


def _sync_slots(rules: VisitingRules, slots: list[dict]) -> None:
    """Keep slots whose day, start and kind stay; update them, add new ones, drop the rest."""
    existing = {(slot.weekday, slot.start, slot.kind): slot for slot in rules.slots.all()}
    wanted = {}
    for fields in slots:
        values = {"days": 1} | _clean_fields(fields, SLOT_FIELDS)
        wanted[_slot_key(values)] = values
    rules.slots.filter(pk__in=[s.pk for k, s in existing.items() if k not in wanted]).delete()
    for key, values in wanted.items():
        slot = existing.get(key) or VisitSlot(rules=rules)
        for name, value in values.items():
            setattr(slot, name, value)
        slot.save()


def _rules_defaults(facility: Facility | None = None) -> dict:
    """The rules on file, or the model's defaults for a facility without any."""
    current = getattr(facility, "visiting_rules", None) if facility and facility.pk else None
    if current is not None:
        return {name: getattr(current, name) for name in RULES_FIELDS}
    return {name: VisitingRules._meta.get_field(name).get_default() for name in RULES_FIELDS}


def _current_slots(facility: Facility) -> list[dict]:
    current = getattr(facility, "visiting_rules", None)
    if current is None:
        return []
    return [{name: getattr(slot, name) for name in SLOT_FIELDS} for slot in current.slots.all()]


@transaction.atomic
def create_facility(actor, *, rules: dict | None = None, slots=(), **fields) -> Facility:
    """Register a facility, with its visiting rules and slots when it has any."""
    _require_editor(actor)
    slots = list(slots)
    if rules is not None:
        rules = _rules_defaults() | rules
    _validate(fields, rules, slots)
    facility = Facility(**_clean_fields(fields, FACILITY_FIELDS))
    facility.name = facility.name.strip()
    facility.refresh_search_key()
    facility.save()
    record_created(actor, facility)
    if rules is not None:
        _save_rules(actor, facility, rules, slots)
    return facility


@transaction.atomic
def update_facility(actor, facility: Facility, *, rules=UNCHANGED, slots=None, **fields):
    """Change a facility and, when ``rules`` is given, its visiting rules.

    ``rules``: a dict of the fields to change (the rest stay), or None to
    remove the rules and slots. ``slots``: the full list of slots; None keeps
    the slots on file.
    """
    _require_editor(actor)
    current = Facility.objects.select_for_update().get(pk=facility.pk)
    merged = {name: getattr(current, name) for name in FACILITY_FIELDS}
    merged |= _clean_fields(fields, FACILITY_FIELDS)
    if rules is UNCHANGED:
        _validate(merged, None, None, instance=current)
    else:
        if rules is not None:
            rules = _rules_defaults(current) | rules
            slots = _current_slots(current) if slots is None else list(slots)
        _validate(merged, rules, slots, instance=current)
    before = snapshot(current)
    for name, value in _clean_fields(fields, FACILITY_FIELDS).items():
        setattr(current, name, value)
    current.name = current.name.strip()
    current.refresh_search_key()
    current.save()
    record_updated(actor, current, before)
    if rules is not UNCHANGED:
        _save_rules(actor, current, rules, slots or [])
    return current
