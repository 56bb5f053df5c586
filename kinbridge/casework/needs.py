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


def ensure_built_in_needs() -> None:
    """Create any built-in need missing from the list (a migration adds them; a database
    flushed by a test, or a list an administrator emptied by mistake, gets them back).
    Needs already there, retired or renamed, are left as they are."""
    from django.utils import translation

    from kinbridge.casework.models import NeedType

    present = set(NeedType.objects.values_list("code", flat=True))
    with translation.override("en"):
        NeedType.objects.bulk_create(
            [
                NeedType(code=code, name=str(label), position=position * 10)
                for position, (code, label) in enumerate(BUILT_IN_NEEDS.items(), start=1)
                if code not in present
            ]
        )
