"""Triage of referrals in (accept, decline) and referrals out to partners.

Accepting links or creates the person, opens the case and moves the referral
out of the queue in one transaction, under a row lock on the referral: two
coordinators accepting at once give one case, and the second is told who
decided first. A referral out needs the client's current consent to share
with that partner; what was shared and the consent used are kept with it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kinbridge.accounts.roles import Role
from kinbridge.audit.actions import record_created, record_updated, snapshot
from kinbridge.casework import case_actions
from kinbridge.casework.access import can_triage
from kinbridge.casework.locking import StaleEdit, lock
from kinbridge.casework.models import (
    CASE_ROLES,
    Case,
    CaseNeed,
    CaseStatus,
    CaseType,
    NeedType,
    Referral,
    ReferralOut,
    ReferralOutStatus,
    ReferralStatus,
    Severity,
    SharedItem,
)
from kinbridge.consents.checks import ConsentRequired
from kinbridge.consents.models import Consent, Purpose
from kinbridge.people import duplicates
from kinbridge.people.actions import create_person, refuse_erased
from kinbridge.people.models import Person, PersonRoleKind

# Roles a person created at triage may be given.
NEW_PERSON_ROLES = (PersonRoleKind.RELATIVE, PersonRoleKind.PRISONER, PersonRoleKind.PREGNANT)
ANSWERS = (
    ReferralOutStatus.ACCEPTED,
    ReferralOutStatus.DECLINED,
    ReferralOutStatus.NO_ANSWER,
    ReferralOutStatus.COMPLETED,
)


class AlreadyDecided(ValidationError):
    """Someone accepted or declined the referral first."""

    def __init__(self, referral: Referral):
        self.referral = referral
        who = referral.decided_by
        name = (who.get_full_name() or who.get_username()) if who else _("someone")
        super().__init__(
            {
                "status": _("%(who)s already %(decision)s this referral on %(day)s.")
                % {
                    "who": name,
                    "decision": _("accepted")
                    if referral.status == ReferralStatus.ACCEPTED
                    else _("declined"),
                    "day": date_format(timezone.localtime(referral.decided_at), "DATE_FORMAT"),
                }
            },
        )


class LikelyDuplicates(ValidationError):
    """Creating a new person while similar people exist needs an explicit confirmation."""

    def __init__(self, check: duplicates.DuplicateCheck):
        self.check = check
        super().__init__(
            {
                "confirm_not_duplicate": _(
                    "Check the similar people shown. Link one of them, or if this is a "
                    "different person, tick the box and accept again."
                )
            }
        )


def person_fields(referral: Referral) -> dict:
    """The registry fields a new person takes from the referral."""
    return {
        "given_name": referral.given_name,
        "family_name": referral.family_name,
        "birth_date": referral.birth_date,
        "phone": referral.phone,
        "email": referral.email,
        "languages": [referral.language] if referral.language else [],
    }


def likely_duplicates(user, referral: Referral) -> duplicates.DuplicateCheck:
    """People the user sees who may be the person referred (and a hint of others)."""
    return duplicates.check_new_person(user, person_fields(referral))


def _require_triage(actor, referral: Referral) -> None:
    if actor is not None and not can_triage(actor, referral):
        raise PermissionDenied


def _lock_new(actor, referral: Referral, version: int | None) -> Referral:
    """The referral, locked; refused if already decided or changed since it was read."""
    _require_triage(actor, referral)
    current = lock(Referral, referral.pk, None)
    if current.status != ReferralStatus.NEW:
        raise AlreadyDecided(current)
    if version is not None and current.version != version:
        raise StaleEdit(current)
    return current


def _check_team(actor, team) -> None:
    if team is None:
        raise ValidationError({"team": _("Choose the team that takes the case.")})
    if not team.is_active:
        raise ValidationError({"team": _("This team no longer works; choose another.")})
    if actor is None or actor.has_role(Role.ADMINISTRATOR):
        return
    if not (actor.has_role(*CASE_ROLES) and team.pk in actor.team_ids):
        raise ValidationError({"team": _("You can only open cases for your own teams.")})


def _client(actor, referral, *, team, person, role, not_duplicate_of) -> Person:
    """The linked person (visible to the actor), or a new one from the referral's fields."""
    if person is not None:
        if actor is not None and not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
            raise ValidationError({"person": _("Choose a person of your teams.")})
        refuse_erased(person)
        return person
    if role not in NEW_PERSON_ROLES:
        raise ValidationError({"role": _("Choose the new person's role.")})
    fields = person_fields(referral)
    shown: list = []
    if actor is not None:
        check = duplicates.check_new_person(actor, fields)
        if check.found:
            if not_duplicate_of is None or not check.covered_by(not_duplicate_of):
                raise LikelyDuplicates(check)
            shown = [c.person.pk for c in check.candidates] + (
                ["another team"] if check.elsewhere else []
            )
    return create_person(actor, teams=[team], roles=[role], not_duplicate_of=shown, **fields)


def _add_needs(actor, case: Case, codes: list[str]) -> None:
    """The needs mentioned on the referral, as open needs of medium severity."""
    if not codes:
        return
    today = timezone.localdate()
    for need in NeedType.objects.filter(code__in=codes, is_active=True):
        record_created(
            actor,
            CaseNeed.objects.create(
                case=case, need=need, severity=Severity.MEDIUM, identified_on=today
            ),
        )


@transaction.atomic
def accept_referral(
    actor,
    referral: Referral,
    *,
    team,
    case_type: str,
    lead_worker=None,
    person: Person | None = None,
    role: str = PersonRoleKind.RELATIVE,
    not_duplicate_of: str | None = None,
    version: int | None = None,
) -> Referral:
    """Accept: link ``person`` (or create one), open the case, take it out of the queue.

    Creating a person while likely duplicates exist needs ``not_duplicate_of``:
    the token of the candidates the user was shown and declared to be other
    people (:attr:`DuplicateCheck.token`); otherwise :class:`LikelyDuplicates`.
    With a lead worker the case goes straight to assessment.
    """
    current = _lock_new(actor, referral, version)
    _check_team(actor, team)
    if case_type not in CaseType.values:
        raise ValidationError({"case_type": _("Choose the kind of case.")})
    case_actions.check_worker(lead_worker, "lead_worker")
    client = _client(
        actor, current, team=team, person=person, role=role, not_duplicate_of=not_duplicate_of
    )
    case = case_actions.create_case(
        actor,
        client=client,
        team=team,
        case_type=case_type,
        lead_worker=lead_worker,
        summary=current.description,
    )
    if lead_worker is not None:
        case = case_actions.change_status(actor, case, CaseStatus.ASSESSMENT)
    _add_needs(actor, case, current.needs)
    before = snapshot(current)
    current.status = ReferralStatus.ACCEPTED
    current.team = team
    current.person = client
    current.case = case
    current.decided_at = timezone.now()
    current.decided_by = actor
    current.version += 1
    current.save()
    record_updated(actor, current, before)
    return current


@transaction.atomic
def decline_referral(
    actor, referral: Referral, *, reason: str, signposted_to: str = "", version: int | None = None
) -> Referral:
    """Decline with a reason; where the person was signposted is kept with the reason."""
    current = _lock_new(actor, referral, version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the referral is declined.")})
    signposted_to = (signposted_to or "").strip()
    if signposted_to:
        reason += "\n\n" + _("Signposted to: %(where)s") % {"where": signposted_to}
    if len(reason) > 2000:
        raise ValidationError({"reason": _("Keep the reason under 2,000 characters.")})
    before = snapshot(current)
    current.status = ReferralStatus.DECLINED
    current.decline_reason = reason
    current.decided_at = timezone.now()
    current.decided_by = actor
    current.version += 1
    current.save()
    record_updated(actor, current, before)
    return current


# --- Referrals out ---------------------------------------------------------------------


def sharing_consent(case: Case, partner, on: dt.date) -> Consent | None:
    """The client's consent to share with ``partner`` held on ``on`` (latest given first)."""
    return (
        Consent.objects.held_on(on)
        .filter(person_id=case.client_id, purpose=Purpose.SHARING, partner=partner)
        .order_by("-given_on", "-id")
        .first()
    )


@transaction.atomic
def refer_out(
    actor,
    case: Case,
    *,
    partner,
    reason: str,
    shared_items,
    shared_note: str = "",
    sent_on: dt.date | None = None,
) -> ReferralOut:
    """Refer the client to ``partner``; refused at ``partner`` without a current consent
    of the client to share with that partner. Records what was shared and the consent."""
    case_actions.require_editor(actor, case)
    today = timezone.localdate()
    sent_on = sent_on or today
    reason = (reason or "").strip()
    shared_note = (shared_note or "").strip()
    shared_items = list(dict.fromkeys(shared_items or []))
    errors: dict = {}
    if not case.is_open:
        errors["case"] = _("The case is closed: reopen it before referring the client on.")
    if partner is None:
        errors["partner"] = _("Choose the partner organisation.")
    elif not partner.is_active:
        errors["partner"] = _("This partner no longer works with us; choose another.")
    if not reason:
        errors["reason"] = _("Say what the partner is asked to do.")
    if sent_on > today:
        errors["sent_on"] = _("A referral cannot be sent in the future.")
    elif sent_on < case.opened_on:
        errors["sent_on"] = _("A referral cannot be sent before the case was opened.")
    if set(shared_items) - set(SharedItem.values):
        errors["shared_items"] = _("Choose what was shared from the list.")
    elif not shared_items and not shared_note:
        errors["shared_items"] = _("Record what was shared with the partner.")
    consent = None
    if "partner" not in errors and "sent_on" not in errors:
        consent = sharing_consent(case, partner, sent_on)
        if consent is None:
            errors["partner"] = ConsentRequired(case.client, Purpose.SHARING, partner)
    if errors:
        raise ValidationError(errors)
    referral = ReferralOut(
        case=case,
        partner=partner,
        consent=consent,
        reason=reason,
        shared_items=shared_items,
        shared_note=shared_note,
        sent_on=sent_on,
        created_by=actor,
    )
    referral.full_clean(exclude=["case", "partner", "consent", "created_by"])
    referral.save()
    record_created(actor, referral)
    return referral


@transaction.atomic
def answer_referral_out(
    actor,
    referral: ReferralOut,
    *,
    status: str,
    answered_on: dt.date | None,
    answer_note: str = "",
    version: int | None = None,
) -> ReferralOut:
    """Record the partner's answer (or that none came), dated not before it was sent."""
    case_actions.require_editor(actor, referral.case)
    submitted = {"status": status, "answered_on": answered_on, "answer_note": answer_note}
    current = lock(ReferralOut, referral.pk, version, submitted)
    errors = {}
    if status not in ANSWERS:
        errors["status"] = _("Choose the partner's answer.")
    if answered_on is None:
        errors["answered_on"] = _("Give the date of the answer.")
    elif answered_on > timezone.localdate():
        errors["answered_on"] = _("The answer cannot be dated in the future.")
    elif answered_on < current.sent_on:
        errors["answered_on"] = _(
            "The answer cannot come before the referral was sent (%(day)s)."
        ) % {"day": date_format(current.sent_on, "DATE_FORMAT")}
    if errors:
        raise ValidationError(errors)
    before = snapshot(current)
    current.status = status
    current.answered_on = answered_on
    current.answer_note = (answer_note or "").strip()
    current.full_clean(exclude=["case", "partner", "consent", "created_by"])
    current.version += 1
    current.save()
    record_updated(actor, current, before)
    return current
