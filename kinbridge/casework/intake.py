"""Referrals in: one way into the intake queue for the staff form, the API and the
public request-help form.

:func:`file_referral` is the only code that creates a :class:`Referral`. A
referral describes the person in its own fields; nobody is added to the
registry until a coordinator accepts it (:mod:`.referral_actions`).
:func:`submit_public_request` is what the public form (a later issue) calls:
no signed-in user, consent to be contacted required, routed to the region's
team when exactly one active team serves it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinbridge.accounts.models import Team
from kinbridge.accounts.roles import Role
from kinbridge.audit.actions import record_created
from kinbridge.casework.access import does_casework
from kinbridge.casework.models import (
    CaseType,
    ContactSafety,
    NeedType,
    Referral,
    ReferralSource,
)
from kinbridge.lib.codes import reference_code

# The sources staff record; the public form files its own.
STAFF_SOURCES = (
    ReferralSource.PARTNER,
    ReferralSource.PRISON_STAFF,
    ReferralSource.SELF,
    ReferralSource.OTHER,
)
# What a form or the API may set on a referral (the rest is the queue's bookkeeping).
REFERRAL_FIELDS = (
    "source",
    "team",
    "partner",
    "facility",
    "referrer_name",
    "referrer_contact",
    "received_on",
    "given_name",
    "family_name",
    "birth_date",
    "phone",
    "email",
    "contact_safety",
    "safe_contact_note",
    "region",
    "language",
    "case_type",
    "needs",
    "description",
    "consent_to_contact",
)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def validate_referral(fields: dict) -> None:
    """The rules every referral keeps, whoever files it; ValidationError by field."""
    errors = {}
    today = timezone.localdate()
    source = fields.get("source")
    if source not in ReferralSource.values:
        errors["source"] = _("Say where the referral came from.")
    elif source == ReferralSource.PARTNER and fields.get("partner") is None:
        errors["partner"] = _("Choose the partner organisation that made the referral.")
    elif source == ReferralSource.PRISON_STAFF and fields.get("facility") is None:
        errors["facility"] = _("Choose the facility whose staff made the referral.")
    received_on = fields.get("received_on")
    if received_on is None:
        errors["received_on"] = _("Give the date the referral was received.")
    elif received_on > today:
        errors["received_on"] = _("The referral cannot be received in the future.")
    if not fields.get("given_name"):
        errors["given_name"] = _("Give a first name or an alias, so the person can be asked for.")
    birth_date = fields.get("birth_date")
    if birth_date and birth_date > today:
        errors["birth_date"] = _("The date of birth cannot be in the future.")
    if not (fields.get("phone") or fields.get("email") or fields.get("safe_contact_note")):
        errors["phone"] = _(
            "Give a way to reach them (phone or e-mail), or say under “how to reach them "
            "safely” how to, or why there is none."
        )
    if fields.get("email"):
        try:
            validate_email(fields["email"])
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
    if fields.get("contact_safety", ContactSafety.NOT_KNOWN) not in ContactSafety.values:
        errors["contact_safety"] = _("Choose whether it is safe to contact them.")
    if fields.get("case_type") and fields["case_type"] not in CaseType.values:
        errors["case_type"] = _("Choose a kind of help from the list.")
    needs = fields.get("needs") or []
    if needs:
        known = set(
            NeedType.objects.filter(code__in=needs, is_active=True).values_list("code", flat=True)
        )
        if set(needs) - known:
            errors["needs"] = _("Choose needs from the list.")
    team = fields.get("team")
    if team is not None and not team.is_active:
        errors["team"] = _("This team no longer works; choose another or leave it empty.")
    if errors:
        raise ValidationError(errors)


def _may_file_for(actor, team) -> bool:
    if actor.has_role(Role.ADMINISTRATOR) or team is None:
        return True
    return team.pk in actor.team_ids


@transaction.atomic
def file_referral(actor, **fields) -> Referral:
    """Put a referral in the intake queue (status "waiting for triage").

    ``actor`` None is the public form or an import: no permission to check.
    Staff may file for their own teams, or with no team for a coordinator to route.
    """
    fields = {name: _strip(fields[name]) for name in REFERRAL_FIELDS if name in fields}
    fields["needs"] = list(dict.fromkeys(fields.get("needs") or []))
    fields.setdefault("received_on", timezone.localdate())
    if actor is not None:
        if not does_casework(actor):
            raise PermissionDenied
        if not _may_file_for(actor, fields.get("team")):
            raise ValidationError({"team": _("You can only file referrals for your own teams.")})
    validate_referral(fields)
    referral = Referral(**fields, created_by=actor)
    referral.full_clean(
        exclude=["reference", "team", "partner", "facility", "region", "person", "case"]
    )
    for _attempt in range(5):
        referral.reference = reference_code("R")
        try:
            with transaction.atomic():
                referral.save()
            break
        except IntegrityError:
            if Referral.objects.filter(reference=referral.reference).exists():
                referral.pk = None
                continue
            raise
    record_created(actor, referral)
    return referral


def team_for_region(region) -> Team | None:
    """The team of ``region`` when exactly one active team serves it; else none."""
    if region is None:
        return None
    teams = list(Team.objects.active().filter(region=region)[:2])
    return teams[0] if len(teams) == 1 else None


def submit_public_request(
    *,
    name: str,
    contact: str,
    contact_safety: str,
    consent_to_contact: bool,
    kind_of_help: str = "",
    region=None,
    language: str = "",
    message: str = "",
    phone: str = "",
    email: str = "",
    needs=(),
    received_on: dt.date | None = None,
) -> Referral:
    """File a request from the public request-help form: exactly one Referral, no Person.

    ``name``: a first name or an alias. ``contact``: how to reach them safely, in
    their words (kept in ``safe_contact_note``); ``phone`` and ``email`` when the
    form asks for them separately. Refused (ValidationError at
    ``consent_to_contact``) unless they agreed to be contacted. The referral goes
    to the region's team if exactly one active team serves the region, otherwise
    it waits with no team for a coordinator to route.
    """
    if not consent_to_contact:
        raise ValidationError(
            {
                "consent_to_contact": _(
                    "We can only answer if you agree that we contact you. Tick the box to agree."
                )
            }
        )
    return file_referral(
        None,
        source=ReferralSource.PUBLIC_FORM,
        team=team_for_region(region),
        region=region,
        given_name=name,
        safe_contact_note=contact,
        phone=phone,
        email=email,
        contact_safety=contact_safety or ContactSafety.NOT_KNOWN,
        case_type=kind_of_help,
        language=language,
        description=message,
        needs=list(needs),
        consent_to_contact=True,
        received_on=received_on or timezone.localdate(),
    )
