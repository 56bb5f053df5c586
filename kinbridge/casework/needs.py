"""The built-in needs: codes with translated labels. The list itself is data
(:class:`~kinbridge.casework.models.NeedType`), so an organisation can retire
one or add its own; a migration creates these."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

BUILT_IN_NEEDS = {
    "emotional_support": _("Emotional support"),
    "justice_information": _("Information about the justice process"),
    "contact_visits": _("Contact and visits"),
    "talking_to_children": _("Talking to children about the imprisonment"),
    "financial": _("Financial"),
    "housing": _("Housing"),
    "legal": _("Legal"),
    "release": _("Preparing for release"),
    "schooling": _("Child's schooling"),
    "stigma_isolation": _("Stigma and isolation"),
    "domestic_abuse": _("Domestic abuse"),
    "abandonment_risk": _("Child abandonment risk"),
}


def need_label(need) -> str:
    """A built-in need in the reader's language; the organisation's own by its name."""
    label = BUILT_IN_NEEDS.get(need.code)
    return str(label) if label is not None else need.name
