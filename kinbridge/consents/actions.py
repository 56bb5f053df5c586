"""Recording, documenting and withdrawing consents. Actor None: the system (demo data)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinbridge.audit.actions import record_created, record_updated, snapshot
from kinbridge.consents.models import PARTNER_PURPOSES, Consent, Method, Purpose
from kinbridge.consents.storage import detect_kind
from kinbridge.people.actions import can_edit_people, refuse_erased
from kinbridge.people.models import Person, PersonRoleKind, Relationship, RelationshipKind

ADULT_AGE = 18
REASON_MAX_LENGTH = 500


def _require_editor(actor) -> None:
    if actor is not None and not can_edit_people(actor):
        raise PermissionDenied


def is_child(person: Person, on: dt.date) -> bool:
    """A current child role, or under 18 on ``on`` by the (estimated) date of birth."""
    age = person.age_on(on)
    if age is not None and age < ADULT_AGE:
        return True
    return person.roles.filter(role=PersonRoleKind.CHILD, end__isnull=True).exists()


def giver_problem(person: Person, giver: Person, on: dt.date) -> str | None:
    """Why ``giver`` may not consent for ``person``, or None if they may.

    A child's consent comes from someone with current parental responsibility;
    an adult gives their own, or a guardian with parental responsibility does.
    """
    responsible = Relationship.objects.filter(
        person=person, relative=giver, parental_responsibility=True, end__isnull=True
    )
    if is_child(person, on):
        if responsible.exists():
            return None
        return _(
            "%(name)s is a child: consent must be given by someone with parental "
            "responsibility for them, recorded on the Family tab."
        ) % {"name": person.full_name}
    if giver.pk == person.pk or responsible.filter(kind=RelationshipKind.GUARDIAN).exists():
        return None
    return _(
        "An adult gives their own consent, or a guardian with parental responsibility "
        "recorded on the Family tab gives it for them."
    )


def evidence_problem(upload) -> str | None:
    """Why an uploaded evidence file is refused, or None."""
    limit = settings.UPLOAD_MAX_MB
    if upload.size > limit * 1024 * 1024:
        return _("The file is larger than %(limit)s MB.") % {"limit": limit}
    if upload.size == 0 or detect_kind(upload) is None:
        return _("Upload a PDF, JPEG or PNG file (a scan or a photo of the signed form).")
    return None


@transaction.atomic
def record_consent(
    actor,
    person: Person,
    *,
    purpose: str,
    given_by: Person,
    given_on: dt.date,
    method: str,
    partner=None,
    evidence=None,
) -> Consent:
    """Record that ``given_by`` consented, for ``person``, to ``purpose``."""
    _require_editor(actor)
    refuse_erased(person, given_by)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if purpose not in Purpose.values:
        errors["purpose"] = _("Choose what the consent is for.")
    elif purpose in PARTNER_PURPOSES and partner is None:
        errors["partner"] = _("Choose the partner organisation this consent allows sharing with.")
    elif purpose not in PARTNER_PURPOSES and partner is not None:
        errors["partner"] = _("A partner organisation is only chosen for sharing; leave it empty.")
    elif partner is not None and not partner.is_active:
        errors["partner"] = _("This partner organisation is no longer active.")
    if method not in Method.values:
        errors["method"] = _("Choose how the consent was given.")
    if given_on is None:
        errors["given_on"] = _("Enter the date the consent was given.")
    elif given_on > today:
        errors["given_on"] = _("The date consent was given cannot be in the future.")
    elif person.birth_date and given_on < person.birth_date:
        errors["given_on"] = _("The date consent was given is before the person was born.")
    if given_by is None:
        errors["given_by"] = _("Choose who gave the consent.")
    elif "given_on" not in errors:
        problem = giver_problem(person, given_by, given_on)
        if problem:
            errors["given_by"] = problem
    if evidence:
        problem = evidence_problem(evidence)
        if problem:
            errors["evidence"] = problem
    if not errors and (
        Consent.objects.current().filter(person=person, purpose=purpose, partner=partner).exists()
    ):
        errors["purpose"] = _(
            "A current consent for this purpose is already recorded. "
            "Withdraw it first to record a new one."
        )
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        person=person,
        purpose=purpose,
        partner=partner,
        given_by=given_by,
        given_on=given_on,
        method=method,
        recorded_by=actor,
    )
    if evidence:
        consent.evidence = evidence
    try:
        with transaction.atomic():
            consent.save()
    except IntegrityError:  # recorded by someone else a moment ago
        if consent.evidence:
            consent.evidence.delete(save=False)
        raise ValidationError(
            {"purpose": _("A current consent for this purpose was recorded a moment ago.")}
        ) from None
    record_created(actor, consent)
    return consent


@transaction.atomic
def withdraw_consent(actor, consent: Consent, *, reason: str, withdrawn_on=None) -> Consent:
    """Mark a consent withdrawn from ``withdrawn_on`` (default today)."""
    _require_editor(actor)
    current = Consent.objects.select_for_update().get(pk=consent.pk)
    today = timezone.localdate()
    withdrawn_on = withdrawn_on or today
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if current.withdrawn_on is not None:
        errors["withdrawn_on"] = _("This consent was already withdrawn.")
    elif withdrawn_on > today:
        errors["withdrawn_on"] = _("The date of withdrawal cannot be in the future.")
    elif withdrawn_on < current.given_on:
        errors["withdrawn_on"] = _(
            "Consent cannot be withdrawn before it was given (%(date)s)."
        ) % {"date": current.given_on.isoformat()}
    if not reason:
        errors["reason"] = _("Say why the consent was withdrawn.")
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = _("Keep the reason under %(count)s characters.") % {
            "count": REASON_MAX_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    before = snapshot(current)
    current.withdrawn_on = withdrawn_on
    current.withdrawal_reason = reason
    current.withdrawal_recorded_by = actor
    current.save(update_fields=["withdrawn_on", "withdrawal_reason", "withdrawal_recorded_by"])
    record_updated(actor, current, before)
    return current


@transaction.atomic
def attach_evidence(actor, consent: Consent, evidence) -> Consent:
    """Add the scanned form (or other evidence) to a consent that has none yet."""
    _require_editor(actor)
    current = Consent.objects.select_for_update().get(pk=consent.pk)
    if current.evidence:
        raise ValidationError(
            {"evidence": _("This consent already has evidence; it is never replaced.")}
        )
    if not evidence:
        raise ValidationError({"evidence": _("Choose a file to upload.")})
    problem = evidence_problem(evidence)
    if problem:
        raise ValidationError({"evidence": problem})
    before = snapshot(current)
    current.evidence = evidence
    current.save(update_fields=["evidence"])
    record_updated(actor, current, before)
    return current
