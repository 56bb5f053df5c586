"""Every change to partner organisations, their services and contact people.

A partner is saved with its services and contacts in one transaction, after
validating all of it, so bad input saves nothing. One audit event per save
names the services and contacts as they are afterwards.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinbridge.accounts.roles import Role
from kinbridge.audit.actions import record_created, record_updated, snapshot
from kinbridge.partners.models import Partner, PartnerContact, PartnerService, ServiceKind
from kinbridge.people.models import ROLES_SEEING_PEOPLE

# Partners are organisations: every role reads them, these keep them.
EDITOR_ROLES = (Role.ADMINISTRATOR, Role.PROGRAMME_MANAGER)
PARTNER_FIELDS = Partner.EDITABLE_FIELDS
SERVICE_FIELDS = PartnerService.EDITABLE_FIELDS
CONTACT_FIELDS = PartnerContact.EDITABLE_FIELDS


def can_view_partners(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(*Role.values)


def can_edit_partners(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(*EDITOR_ROLES)


def can_see_contacts(user) -> bool:
    """Contact people are personal data: only roles that see people's names see them."""
    return user.is_authenticated and user.is_active and user.has_role(*ROLES_SEEING_PEOPLE)


def normalise_languages(text: str) -> str | None:
    """'LT, ru' -> 'lt, ru'; None when it is not a list of language codes."""
    codes = [code.strip().lower() for code in (text or "").split(",")]
    codes = [code for code in codes if code]
    if any(not (code.isascii() and code.isalpha() and 2 <= len(code) <= 3) for code in codes):
        return None
    return ", ".join(codes)


# --- Validation (forms and the API call these too) --------------------------------------


def partner_errors(fields: dict, *, instance: Partner | None = None) -> dict[str, str]:
    errors = {}
    name = (fields.get("name") or "").strip()
    if not name:
        errors["name"] = _("A name is needed.")
    else:
        same = Partner.objects.filter(name__iexact=name)
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        if same.exists():
            errors["name"] = _("A partner with this name is already registered.")
    return errors


def service_errors(fields: dict) -> dict[str, str]:
    errors = {}
    if fields.get("kind") not in ServiceKind.values:
        errors["kind"] = _("Choose the kind of service.")
    if normalise_languages(fields.get("languages", "")) is None:
        errors["languages"] = _("Use language codes separated by commas, e.g. ru, lt.")
    return errors


def contact_errors(fields: dict) -> dict[str, str]:
    errors = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = _("A name is needed.")
    return errors


def _rows_errors(rows: list[dict], check, template: str) -> list[str]:
    """Each problem of each row, e.g. 'Service 2: Choose the kind of service.'"""
    problems = []
    for number, fields in enumerate(rows, start=1):
        for message in check(fields).values():
            problems.append(template % {"number": number, "problem": message})
    return problems


def _validate(fields, services, contacts, *, instance=None) -> None:
    errors: dict[str, list[str]] = {
        name: [message] for name, message in partner_errors(fields, instance=instance).items()
    }
    if services is not None:
        problems = _rows_errors(services, service_errors, _("Service %(number)d: %(problem)s"))
        kinds = [row.get("kind") for row in services]
        if len(set(kinds)) != len(kinds):
            problems.append(_("Each kind of service can be listed once; describe it in one row."))
        if problems:
            errors["services"] = problems
    if contacts is not None:
        problems = _rows_errors(contacts, contact_errors, _("Contact %(number)d: %(problem)s"))
        known = set(instance.contacts.values_list("pk", flat=True)) if instance else set()
        if any(row.get("id") and row["id"] not in known for row in contacts):
            problems.append(_("A contact person belongs to another partner."))
        if problems:
            errors["contacts"] = problems
    if errors:
        raise ValidationError(errors)


# --- Writes ------------------------------------------------------------------------------


def _extra(partner: Partner) -> dict:
    return {
        "services": [
            f"{service.kind}: {service.description} [{service.languages}] "
            f"{sorted(region.pk for region in service.regions.all())}"
            for service in partner.services.prefetch_related("regions").order_by("kind")
        ],
        "contacts": [
            " | ".join([contact.name, contact.role, contact.phone, contact.email])
            for contact in partner.contacts.order_by("pk")
        ],
    }


def _pick(fields: dict, names) -> dict:
    return {name: fields[name] for name in names if name in fields}


def _sync_services(partner: Partner, services: list[dict]) -> None:
    """One row per kind: keep and update the kinds still listed, add new ones, drop the rest."""
    existing = {service.kind: service for service in partner.services.all()}
    wanted = {row["kind"]: row for row in services}
    partner.services.exclude(kind__in=list(wanted)).delete()
    for kind, row in wanted.items():
        service = existing.get(kind) or PartnerService(partner=partner)
        for name, value in _pick(row, SERVICE_FIELDS).items():
            setattr(service, name, value)
        service.languages = normalise_languages(service.languages) or ""
        service.save()
        if "regions" in row:
            service.regions.set(row["regions"] or [])


def _sync_contacts(partner: Partner, contacts: list[dict]) -> None:
    """Rows with an ``id`` update that contact; rows without one add a contact."""
    keep = {row["id"] for row in contacts if row.get("id")}
    partner.contacts.exclude(pk__in=keep).delete()
    existing = {contact.pk: contact for contact in partner.contacts.all()}
    for row in contacts:
        contact = existing.get(row.get("id")) or PartnerContact(partner=partner)
        for name, value in _pick(row, CONTACT_FIELDS).items():
            setattr(contact, name, value.strip() if isinstance(value, str) else value)
        contact.save()


def _require_editor(actor) -> None:
    if actor is not None and not can_edit_partners(actor):
        raise PermissionDenied


@transaction.atomic
def create_partner(actor, *, services=(), contacts=(), **fields) -> Partner:
    _require_editor(actor)
    services, contacts = list(services), list(contacts)
    _validate(fields, services, contacts)
    partner = Partner(**_pick(fields, PARTNER_FIELDS))
    partner.name = partner.name.strip()
    partner.refresh_search_key()
    partner.save()
    _sync_services(partner, services)
    _sync_contacts(partner, contacts)
    record_created(actor, partner, extra=_extra(partner))
    return partner


@transaction.atomic
def update_partner(actor, partner: Partner, *, services=None, contacts=None, **fields) -> Partner:
    """Change a partner; ``services`` / ``contacts``, when given, are the full new lists."""
    _require_editor(actor)
    current = Partner.objects.select_for_update().get(pk=partner.pk)
    merged = {name: getattr(current, name) for name in PARTNER_FIELDS} | _pick(
        fields, PARTNER_FIELDS
    )
    _validate(
        merged,
        None if services is None else list(services),
        None if contacts is None else list(contacts),
        instance=current,
    )
    before = snapshot(current, extra=_extra(current))
    for name, value in _pick(fields, PARTNER_FIELDS).items():
        setattr(current, name, value)
    current.name = current.name.strip()
    current.refresh_search_key()
    current.save()
    if services is not None:
        _sync_services(current, list(services))
    if contacts is not None:
        _sync_contacts(current, list(contacts))
    record_updated(actor, current, before, extra=_extra(current))
    return current
