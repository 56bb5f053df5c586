"""A facility's rules in plain words, for staff and (later) for relatives.

Each function takes the stored rule and returns one translated sentence, so
the pages, a printed sheet and the public site all say the same thing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinbridge.facilities.models import Facility, VisitingRules, VisitSlot


def months(count: int) -> str:
    """'18 months', '36 months (3 years)'."""
    text = ngettext("%(count)d month", "%(count)d months", count) % {"count": count}
    if count >= 24 and count % 12 == 0:
        years = count // 12
        text += " " + ngettext("(%(years)d year)", "(%(years)d years)", years) % {"years": years}
    return text


def stay_rule(facility: Facility) -> str:
    """How long a child may live here with the mother, extension rule included."""
    limit = facility.child_age_limit_months
    if limit is None:
        return _("There is no children's unit: children cannot live here with their mothers.")
    stay = _("Children may stay until they are %(limit)s old") % {"limit": months(limit)}
    within = facility.extension_if_release_within_months
    if within is None:
        return _("%(stay)s. There is no extension.") % {"stay": stay}
    left = months(within)
    if facility.extended_age_limit_months is None:
        return _(
            "%(stay)s; longer, until the mother's release, when she has %(left)s or less "
            "left to serve by then."
        ) % {"stay": stay, "left": left}
    return _(
        "%(stay)s; longer, until the mother's release but not beyond %(cap)s, when she has "
        "%(left)s or less left to serve by then."
    ) % {"stay": stay, "left": left, "cap": months(facility.extended_age_limit_months)}


def days(count: int) -> str:
    return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}


def booking(rules: VisitingRules) -> str:
    window = days(rules.booking_window_days)
    if rules.booking_lead_days == 0:
        return _("Book up to %(window)s ahead; a visit can be booked for the same day.") % {
            "window": window
        }
    return _("Book at least %(lead)s and at most %(window)s ahead.") % {
        "lead": days(rules.booking_lead_days),
        "window": window,
    }


def visitors(rules: VisitingRules) -> str:
    most = ngettext(
        "At most %(count)d visitor per visit, children included.",
        "At most %(count)d visitors per visit, children included.",
        rules.max_visitors,
    ) % {"count": rules.max_visitors}
    if rules.min_age_unaccompanied == 0:
        return most + " " + _("Visitors of any age may come on their own.")
    return (
        most
        + " "
        + _("Visitors under %(age)d must come with an adult (18 or over) responsible for them.")
        % {"age": rules.min_age_unaccompanied}
    )


def identity(rules: VisitingRules) -> str:
    if not rules.id_required:
        return _("Visitors do not need to show ID.")
    if rules.accepted_ids.strip():
        return _("Visitors must show ID. Accepted: %(ids)s.") % {
            "ids": rules.accepted_ids.strip().rstrip(".")
        }
    return _("Visitors must show ID.")


def devices(rules: VisitingRules) -> str:
    if rules.devices_allowed:
        return _("Phones and other devices are allowed inside.")
    return _("Phones and other devices are not allowed inside: leave them outside or in a locker.")


def family_room(rules: VisitingRules) -> str:
    if not rules.has_family_room:
        return _("There is no family room.")
    if rules.family_room_capacity:
        return ngettext(
            "There is a family room for up to %(count)d person.",
            "There is a family room for up to %(count)d people.",
            rules.family_room_capacity,
        ) % {"count": rules.family_room_capacity}
    return _("There is a family room.")


def visiting_rules(rules: VisitingRules) -> list[tuple[str, str]]:
    """(heading, sentence) pairs in the order a relative needs them."""
    return [
        (_("Booking"), booking(rules)),
        (_("Visitors"), visitors(rules)),
        (_("ID"), identity(rules)),
        (_("Devices"), devices(rules)),
        (_("Family room"), family_room(rules)),
    ]


def slot_when(slot: VisitSlot) -> str:
    """'Monday, 09:00-11:00' or, over several days, 'Monday 10:00 to Wednesday 10:00 (3 days)'."""
    if slot.days == 1:
        return _("%(day)s, %(start)s–%(end)s") % {  # noqa: RUF001 (an en dash for times)
            "day": slot.get_weekday_display(),
            "start": f"{slot.start:%H:%M}",
            "end": f"{slot.end:%H:%M}",
        }
    return _("%(day)s %(start)s to %(last)s %(end)s (%(days)s)") % {
        "day": slot.get_weekday_display(),
        "start": f"{slot.start:%H:%M}",
        "last": slot.last_weekday_label,
        "end": f"{slot.end:%H:%M}",
        "days": days(slot.days),
    }
