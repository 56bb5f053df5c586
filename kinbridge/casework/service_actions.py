"""Logging services given on a case, and correcting or removing a wrong entry.

A service is a fact about the past: it cannot be dated in the future or before the
case was opened, lasts between a minute and a day, was given by a casework user of
the case's team (or one of its workers) to the client or a family member of the
case, and is logged only on an open case.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kinbridge.audit.actions import record_created, record_deleted, record_updated, snapshot
from kinbridge.casework.access import can_edit_service, case_workers_for_services
from kinbridge.casework.case_actions import require_editor
from kinbridge.casework.models import (
    MAX_SERVICE_MINUTES,
    Case,
    CaseMember,
    Service,
    ServiceMode,
    ServiceType,
)

SERVICE_FIELDS = (
    "service_type",
    "mode",
    "date",
    "duration_minutes",
    "worker",
    "recipient",
    "note",
)


def recipients_for(case: Case) -> list:
    """The client first, then the family members linked to the case."""
    members = [
        member.person
        for member in CaseMember.objects.filter(case=case)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "pk")
    ]
    return [case.client, *members]


def validate_service(case: Case, fields: dict) -> None:
    """Every problem at once, each at its field."""
    errors = {}
    if not case.is_open:
        errors["case"] = _("This case is closed; services cannot be logged on it.")
    if fields.get("service_type") not in ServiceType.values:
        errors["service_type"] = _("Choose the kind of service.")
    if fields.get("mode") not in ServiceMode.values:
        errors["mode"] = _("Choose how the service was given.")
    day = fields.get("date")
    if day is None:
        errors["date"] = _("Give the date of the service.")
    elif day > timezone.localdate():
        errors["date"] = _("A service cannot be dated in the future.")
    elif day < case.opened_on:
        errors["date"] = _(
            "The case was opened on %(date)s; a service cannot be dated before that."
        ) % {"date": date_format(case.opened_on)}
    minutes = fields.get("duration_minutes")
    if minutes is None or minutes <= 0:
        errors["duration_minutes"] = _("Give a duration of at least one minute.")
    elif minutes > MAX_SERVICE_MINUTES:
        errors["duration_minutes"] = _(
            "A service cannot last more than 24 hours (%(minutes)s minutes)."
        ) % {"minutes": MAX_SERVICE_MINUTES}
    worker = fields.get("worker")
    if worker is None or not case_workers_for_services(case).filter(pk=worker.pk).exists():
        errors["worker"] = _(
            "Choose a caseworker or manager of the case's team, or one of its workers."
        )
    recipient = fields.get("recipient")
    members = CaseMember.objects.filter(case=case, person_id=getattr(recipient, "pk", None))
    if recipient is None or (recipient.pk != case.client_id and not members.exists()):
        errors["recipient"] = _("Choose the client or a family member linked to the case.")
    if len(fields.get("note") or "") > 500:
        errors["note"] = _("Keep the note under 500 characters.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def log_service(
    actor,
    case: Case,
    *,
    service_type: str,
    mode: str,
    date: dt.date | None,
    duration_minutes: int | None,
    worker=None,
    recipient=None,
    note: str = "",
) -> Service:
    """Log a service; the worker defaults to the actor, the recipient to the client."""
    require_editor(actor, case)
    fields = {
        "service_type": service_type,
        "mode": mode,
        "date": date,
        "duration_minutes": duration_minutes,
        "worker": worker or actor,
        "recipient": recipient or case.client,
        "note": (note or "").strip(),
    }
    validate_service(case, fields)
    service = Service.objects.create(case=case, created_by=actor, **fields)
    record_created(actor, service)
    return service


@transaction.atomic
def update_service(actor, service: Service, **fields) -> Service:
    """Correct a service: its worker or whoever may edit the case. A worker or recipient
    left empty stays as it was."""
    if actor is not None and not can_edit_service(actor, service):
        raise PermissionDenied
    current = Service.objects.select_for_update().get(pk=service.pk)
    values = {name: getattr(current, name) for name in SERVICE_FIELDS}
    values |= {
        name: value
        for name, value in fields.items()
        if name in SERVICE_FIELDS and not (value is None and name in ("worker", "recipient"))
    }
    values["note"] = (values["note"] or "").strip()
    validate_service(service.case, values)
    before = snapshot(current)
    for name, value in values.items():
        setattr(current, name, value)
    current.save()
    record_updated(actor, current, before)
    return current


@transaction.atomic
def delete_service(actor, service: Service) -> None:
    """Remove a service logged by mistake (the audit trail keeps what it was)."""
    if actor is not None and not can_edit_service(actor, service):
        raise PermissionDenied
    if not service.case.is_open:
        raise ValidationError({"case": _("This case is closed; its services stay as they are.")})
    record_deleted(actor, service)
    service.delete()
