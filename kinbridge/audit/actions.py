"""Writing the audit trail.

Every action in every app calls one of these inside its transaction, so an
audit event exists exactly when the change it describes was committed.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import uuid
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from kinbridge.audit import context
from kinbridge.audit.models import Action, AuditEvent

# Field names whose values never enter the audit trail, only the fact of a change.
ALWAYS_REDACTED = frozenset({"password", "session_epoch", "key", "digest", "token_key", "salt"})
REDACTED = "•••"


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):  # the stored name, never the content
        return value.name or ""
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(item) for item in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    return value


def _fingerprint(value) -> str:
    """Stands in for a redacted value: equal values give equal marks, nothing more."""
    digest = hashlib.blake2b(str(value).encode(), digest_size=8, key=b"kinbridge-audit").hexdigest()
    return f"{REDACTED}{digest}"


def _public(value):
    return REDACTED if isinstance(value, str) and value.startswith(REDACTED) else value


def snapshot(instance: models.Model, *, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The audited state of a record: its concrete fields, plus ``extra`` (e.g. M2M)."""
    redacted = ALWAYS_REDACTED | set(getattr(instance, "audit_redacted_fields", ()))
    excluded = set(getattr(instance, "audit_excluded_fields", ()))
    state: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        name = field.name
        if field.primary_key or name in excluded:
            continue
        value = getattr(instance, field.attname)
        state[name] = _fingerprint(value) if name in redacted and value else _plain(value)
    for name, value in (extra or {}).items():
        state[name] = _plain(value)
    return state


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value differs."""
    changes = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old != new:
            if name in ALWAYS_REDACTED:
                changes[name] = [REDACTED, REDACTED]
            else:
                changes[name] = [_public(old), _public(new)]
    return changes


def record(
    action: str,
    *,
    actor=None,
    obj: models.Model | None = None,
    changes: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    **extra: Any,
) -> AuditEvent:
    """Append one event. ``actor`` may be None for the system or an anonymous visitor."""
    info = context.current()
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
        object_repr = audit_label(obj)
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=actor.get_username() if actor else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=changes or {},
        ip=info.ip if info else None,
        request_id=info.request_id if info else "",
        path=info.path if info else "",
        extra={key: _plain(value) for key, value in extra.items()},
    )


def audit_label(obj: models.Model) -> str:
    """How a record is named in the trail: ``audit_label()`` if the model has one.

    Models holding sensitive people data return a reference, not a name, so
    the trail itself does not become a register of names.
    """
    label = getattr(obj, "audit_label", None)
    return str(label() if callable(label) else obj)


def record_created(actor, obj: models.Model, *, extra: dict | None = None) -> AuditEvent:
    after = snapshot(obj, extra=extra)
    return record(
        Action.CREATE,
        actor=actor,
        obj=obj,
        changes={k: [None, _public(v)] for k, v in after.items() if v not in (None, "")},
    )


def record_updated(actor, obj: models.Model, before: dict, *, extra: dict | None = None):
    """Record the fields that changed since ``before``; nothing if none did."""
    changes = diff(before, snapshot(obj, extra=extra))
    if not changes:
        return None
    return record(Action.UPDATE, actor=actor, obj=obj, changes=changes)


def record_deleted(actor, obj: models.Model, *, extra: dict | None = None) -> AuditEvent:
    before = snapshot(obj, extra=extra)
    return record(
        Action.DELETE,
        actor=actor,
        obj=obj,
        changes={k: [_public(v), None] for k, v in before.items()},
    )


def record_read(actor, obj: models.Model, **extra: Any) -> AuditEvent:
    """Log that ``actor`` viewed a sensitive record."""
    return record(Action.READ, actor=actor, obj=obj, **extra)


def record_reads(actor, objects, **extra: Any) -> list[AuditEvent]:
    """Log that ``actor`` viewed each of ``objects`` (one event each), in one query:
    a page showing many sensitive records (confidential notes on a timeline) stays
    at a fixed number of queries however many it shows. Within one request a record
    is logged once, however many parts of the page show it."""
    info = context.current()
    objects = list(objects)
    if info is not None:
        fresh = []
        for obj in objects:
            key = (obj._meta.label_lower, obj.pk)
            if key not in info.reads:
                info.reads.add(key)
                fresh.append(obj)
        objects = fresh
    if not objects:
        return []
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor,
                actor_name=actor.get_username() if actor else "",
                action=Action.READ,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=audit_label(obj)[:200],
                ip=info.ip if info else None,
                request_id=info.request_id if info else "",
                path=info.path if info else "",
                extra={key: _plain(value) for key, value in extra.items()},
            )
            for obj in objects
        ]
    )
