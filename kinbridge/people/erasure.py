"""Erasure as anonymisation: identifying data goes, the rows that counts need stay.

What is kept: the person row (its id, reference, gender, year of birth, teams
and creation date) and every linked row (roles, relationships, custody,
residence, consents, later cases), so counts per programme, team, role, gender
and age band are the same after an erasure as before.

What goes: names (the given name becomes the placeholder "Erased"), the exact
date of birth (the year stays), languages, phone, e-mail, address, the search
keys, and in every model linked to the person the fields it lists in its
``erasable_fields`` attribute (free text and files that may name the person).
Stored files are deleted once the transaction commits.

The audit entry of an erasure names the fields, never their old values. Earlier
audit events about the person are not rewritten: the audit table is append-only,
enforced by database triggers (see docs/security.md, "Data-subject rights").
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinbridge.accounts.access import is_administrator
from kinbridge.audit.actions import REDACTED, record
from kinbridge.audit.models import Action
from kinbridge.people.merge import link_label, person_links, rows_linked
from kinbridge.people.models import Person

ERASED_NAME = "Erased"
# Person fields blanked by an erasure (gender and the year of birth stay for statistics).
ERASED_FIELDS = (
    "given_name",
    "family_name",
    "patronymic",
    "preferred_name",
    "birth_date",
    "languages",
    "phone",
    "email",
    "address",
)


def can_erase(user) -> bool:
    return is_administrator(user)


def _blank(field: models.Field):
    """The empty value of an erasable field."""
    if field.null:
        return None
    if isinstance(field, (models.CharField, models.TextField, models.FileField)):
        return ""
    if isinstance(field, models.JSONField):
        return field.get_default()
    raise ImproperlyConfigured(
        f"{field.model._meta.label}.{field.name} is in erasable_fields but cannot be blanked"
    )


def _erase_linked_rows(person: Person) -> tuple[dict, list]:
    """Blank the erasable fields of every row linked to ``person``.

    Returns the counts for the audit entry and the stored files to delete.
    """
    erased, files = {}, []
    for link in person_links():
        names = tuple(getattr(link.model, "erasable_fields", ()))
        if not names:
            continue
        fields = [link.model._meta.get_field(name) for name in names]
        rows = rows_linked(link, person)
        for field in fields:
            if isinstance(field, models.FileField):
                for row in rows.exclude(**{field.attname: ""}).exclude(
                    **{f"{field.attname}__isnull": True}
                ):
                    stored = getattr(row, field.attname)
                    files.append((field.storage, str(stored)))
        count = rows.update(**{field.attname: _blank(field) for field in fields})
        if count:
            erased[link_label(link)] = {"rows": count, "fields": list(names)}
    return erased, files


def erase_person(actor, person: Person, *, reason: str, confirmation: str) -> Person:
    """Anonymise ``person``. ``confirmation`` must be the person's reference, typed."""
    if not can_erase(actor):
        raise PermissionDenied
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _(
            "Say why (for example the date and channel of the request), without the name."
        )
    if (confirmation or "").strip().upper() != person.reference:
        errors["confirmation"] = _("Type the reference %(reference)s to confirm.") % {
            "reference": person.reference
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        if current.erased_at:
            raise ValidationError(
                {"confirmation": _("This person's data has already been erased.")}
            )
        changed = [name for name in ERASED_FIELDS if getattr(current, name) not in (None, "")]
        if current.birth_date:
            current.birth_year = current.birth_date.year
        for name in ERASED_FIELDS:
            setattr(current, name, _blank(Person._meta.get_field(name)))
        current.given_name = ERASED_NAME
        current.refresh_names()
        current.search_key = current.family_key = ""
        current.erased_at = timezone.now()
        current.version += 1
        current.save()
        linked, files = _erase_linked_rows(current)
        record(
            Action.UPDATE,
            actor=actor,
            obj=current,
            changes={name: [REDACTED, "erased"] for name in changed},
            erasure={"reason": reason[:500], "linked_rows": linked},
        )
        transaction.on_commit(lambda: _delete_files(files))
    return current


def _delete_files(files) -> None:
    for storage, name in files:
        storage.delete(name)
