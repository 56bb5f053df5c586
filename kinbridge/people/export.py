"""Everything held about one person, for a subject access request.

Generic like the merge: the person's fields, then every row of every model
that points at the person (found through the model metadata, so records of
later apps are included without a change here), then the audit events about
the person and about each of those rows. Other people appear by id and
reference only, never by name: whether to disclose third parties is the
administrator's decision, not the export's.

One query per linked model and per audit object type, whatever the number of
rows.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from kinbridge.accounts.access import is_administrator
from kinbridge.audit.actions import audit_label, record
from kinbridge.audit.models import Action, AuditEvent
from kinbridge.people.merge import link_label, person_links, rows_linked
from kinbridge.people.models import Person

FORMAT = "kinbridge-subject-access/1"
PERSON_EXCLUDED = ("search_key", "family_key")
CHUNK = 500


def can_export(user) -> bool:
    """Administrators only: the export includes the audit trail, which only they read."""
    return is_administrator(user)


def _plain(value):
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def _row(instance: models.Model, references: dict[int, str]) -> dict:
    """Every concrete field; links to people as id and reference."""
    row = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if field.is_relation and field.related_model is Person:
            row[field.name] = {"id": value, "reference": references.get(value, "")}
            continue
        row[field.attname if field.is_relation else field.name] = _plain(value)
        if field.is_relation and value is not None:
            # Teams, facilities…: named the way the audit trail names them (never a person).
            row[f"{field.attname}_label"] = audit_label(getattr(instance, field.name))
        elif field.choices and value not in (None, ""):
            row[f"{field.name}_label"] = str(dict(field.flatchoices).get(value, value))
    return row


def _labels(model) -> dict[str, str]:
    labels = {}
    for field in model._meta.concrete_fields:
        to_other_model = field.is_relation and field.related_model is not Person
        key = field.attname if to_other_model else field.name
        labels[key] = str(field.verbose_name)
    return labels


def _person_fields(person: Person) -> dict:
    data = {}
    for field in person._meta.concrete_fields:
        if field.name in PERSON_EXCLUDED:
            continue
        data[field.name] = _plain(getattr(person, field.attname))
    data["gender_label"] = str(person.get_gender_display())
    return data


def collect(person: Person) -> dict:
    """The whole export as plain data (JSON-serialisable)."""
    rows_by_link = {}
    for link in person_links():
        others = [
            field.name
            for field in link.model._meta.concrete_fields
            if field.is_relation and field.related_model is not Person
        ]
        rows = list(rows_linked(link, person).select_related(*others).order_by("pk"))
        if rows:
            rows_by_link[link] = rows
    # Other people the rows point at, by reference (one query).
    other_ids = {person.pk}
    for rows in rows_by_link.values():
        for row in rows:
            for field in row._meta.concrete_fields:
                if field.is_relation and field.related_model is Person:
                    other_ids.add(getattr(row, field.attname))
    references = dict(
        Person.objects.filter(pk__in=other_ids - {None}).values_list("pk", "reference")
    )
    records = {}
    for link, rows in rows_by_link.items():
        records[link_label(link)] = {
            "model": str(link.model._meta.verbose_name_plural),
            "labels": _labels(link.model),
            "rows": [_row(row, references) for row in rows],
        }
    return {
        "format": FORMAT,
        "organisation": settings.ORGANISATION_NAME,
        "exported_at": timezone.now().isoformat(),
        "person": _person_fields(person),
        "records": records,
        "audit_events": _audit_events(person, rows_by_link),
    }


def _audit_events(person: Person, rows_by_link: dict) -> list[dict]:
    """Events about the person (also under the ids of records merged into it) and its rows."""
    wanted: dict[str, set[str]] = defaultdict(set)
    wanted["people.person"].add(str(person.pk))
    for old_id in person.merged_records.values_list("old_id", flat=True):
        wanted["people.person"].add(str(old_id))
    for link, rows in rows_by_link.items():
        wanted[link.model._meta.label_lower].update(str(row.pk) for row in rows)
    events = []
    for object_type, ids in sorted(wanted.items()):
        ids = sorted(ids)
        for start in range(0, len(ids), CHUNK):  # SQLite caps the parameters of one query
            chunk = ids[start : start + CHUNK]
            events += AuditEvent.objects.filter(object_type=object_type, object_id__in=chunk)
    events.sort(key=lambda event: event.pk)
    return [
        {
            "id": event.pk,
            "at": event.at.isoformat(),
            "actor": event.actor_name,
            "action": event.action,
            "action_label": str(event.get_action_display()),
            "object_type": event.object_type,
            "object_id": event.object_id,
            "changes": event.changes,
            "extra": event.extra,
        }
        for event in events
    ]


def _display(value) -> str:
    if isinstance(value, dict) and "reference" in value:
        return value["reference"] or "—"
    if value in (None, ""):
        return "—"
    if value is True or value is False:
        return "✓" if value else "✗"
    return str(value)


def readable(data: dict) -> dict:
    """The export arranged for the HTML page and the PDF: labelled values, in order."""
    person = data["person"]
    person_rows = []
    for field in Person._meta.concrete_fields:
        if field.name in PERSON_EXCLUDED:
            continue
        value = person["gender_label"] if field.name == "gender" else person[field.name]
        person_rows.append((str(field.verbose_name), _display(value)))
    blocks = []
    for label, block in data["records"].items():
        rows = []
        for row in block["rows"]:
            pairs = []
            for key, value in row.items():
                if key.endswith("_label"):
                    continue
                shown = row.get(f"{key}_label", value)
                pairs.append((block["labels"].get(key, key), _display(shown)))
            rows.append(pairs)
        blocks.append({"key": label, "title": block["model"], "rows": rows})
    return {"person": person_rows, "blocks": blocks, "events": data["audit_events"]}


def export_person(actor, person: Person, *, format: str) -> dict:
    """Collect the export and write its audit event (the caller renders it)."""
    if not can_export(actor):
        raise PermissionDenied
    data = collect(person)
    record(
        Action.EXPORT,
        actor=actor,
        obj=person,
        format=format,
        records={label: len(block["rows"]) for label, block in data["records"].items()},
        audit_events=len(data["audit_events"]),
    )
    return data


def fetch_nothing(url, *args, **kwargs):
    """WeasyPrint's URL fetcher: the PDF may load nothing, local or remote."""
    raise ValueError(f"the subject access PDF loads no resources ({url[:40]})")


def render_pdf(data: dict, language: str) -> bytes:
    """The readable export as PDF, set in a local system font (DejaVu Sans)."""
    from weasyprint import HTML

    html = render_to_string(
        "people/subject_access_print.html",
        {"data": data, "readable": readable(data), "LANGUAGE_CODE": language},
    )
    return HTML(string=html, url_fetcher=fetch_nothing).write_pdf()
