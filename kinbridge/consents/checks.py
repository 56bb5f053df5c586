"""The consent check every action that needs a consent calls.

    require_consent(person, Purpose.SHARING, partner=pact)

raises :class:`ConsentRequired` (a ``ValidationError``, so a form shows it)
naming the consent that is missing; ``has_consent`` answers yes or no and
``consent_map`` answers for a whole list in one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kinbridge.consents.models import PARTNER_PURPOSES, Consent, Purpose, describe_purpose


class ConsentRequired(ValidationError):
    """The person has not given (or has withdrawn) a consent an action needs."""

    def __init__(self, person, purpose: str, partner=None):
        self.person, self.purpose, self.partner = person, purpose, partner
        super().__init__(
            _(
                "%(name)s has not given consent for: %(purpose)s. "
                "Record it on the Consents tab first."
            )
            % {"name": person.full_name, "purpose": describe_purpose(purpose, partner)},
            code="consent_required",
        )


def _check_arguments(purpose: str, partner) -> None:
    if (purpose in PARTNER_PURPOSES) != (partner is not None):
        raise ValueError(f"consent for {purpose!r} needs a partner exactly when it names one")


def _held(purpose: str, partner, on: dt.date | None):
    _check_arguments(purpose, partner)
    consents = Consent.objects.held_on(on or timezone.localdate()).filter(purpose=purpose)
    if partner is not None:
        consents = consents.filter(partner=partner)
    return consents


def has_consent(person, purpose: str, partner=None, on: dt.date | None = None) -> bool:
    """Whether ``person`` held the consent on ``on`` (default today)."""
    return _held(purpose, partner, on).filter(person=person).exists()


def require_consent(person, purpose: str, partner=None, on: dt.date | None = None) -> None:
    if not has_consent(person, purpose, partner, on):
        raise ConsentRequired(person, purpose, partner)


def consent_map(
    people: Iterable, purpose: str, partner=None, on: dt.date | None = None
) -> dict[int, bool]:
    """``{person id: held}`` for every person given, in one query."""
    ids = [getattr(person, "pk", person) for person in people]
    held = set(
        _held(purpose, partner, on).filter(person_id__in=ids).values_list("person_id", flat=True)
    )
    return {pk: pk in held for pk in ids}


def purposes_held(person, purposes: Iterable[str], on: dt.date | None = None) -> set[str]:
    """Which of ``purposes`` (none naming a partner) ``person`` holds, in one query."""
    purposes = list(purposes)
    for purpose in purposes:
        _check_arguments(purpose, None)
    return set(
        Consent.objects.held_on(on or timezone.localdate())
        .filter(person=person, purpose__in=purposes)
        .values_list("purpose", flat=True)
    )


def contact_consents(person, on: dt.date | None = None) -> dict[str, bool]:
    """``{"email": …, "sms": …}``: whether the person may be contacted each way."""
    held = purposes_held(person, [Purpose.CONTACT_EMAIL, Purpose.CONTACT_SMS], on)
    return {"email": Purpose.CONTACT_EMAIL in held, "sms": Purpose.CONTACT_SMS in held}
