"""Writing and editing case notes.

Only those who may read confidential notes (the case's own workers and
administrators) may write one, edit one, or mark a note confidential. An edit
names the version it was made on (StaleEdit otherwise) and keeps the text it
replaces as a :class:`NoteVersion`. The note's text never reaches the audit trail
(``Note.audit_redacted_fields``) nor the logs: the trail records that it changed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinbridge.audit.actions import record_created, record_updated, snapshot
from kinbridge.casework.access import can_read_confidential
from kinbridge.casework.case_actions import require_editor
from kinbridge.casework.locking import lock
from kinbridge.casework.models import Case, Note, NoteVersion

MAX_BODY = 20000


def _check(actor, case: Case, body: str, confidential: bool) -> str:
    if confidential and actor is not None and not can_read_confidential(actor, case):
        raise ValidationError(
            {
                "confidential": _(
                    "Only the case's own workers and administrators can write confidential notes."
                )
            }
        )
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the note.")})
    if len(body) > MAX_BODY:
        raise ValidationError(
            {"body": _("Keep the note under %(count)s characters.") % {"count": MAX_BODY}}
        )
    return body


@transaction.atomic
def create_note(actor, case: Case, *, body: str, confidential: bool = False) -> Note:
    require_editor(actor, case)
    body = _check(actor, case, body, confidential)
    note = Note.objects.create(case=case, body=body, confidential=confidential, author=actor)
    record_created(actor, note)
    return note


@transaction.atomic
def update_note(
    actor, note: Note, *, version: int, body: str, confidential: bool | None = None
) -> Note:
    """Save an edit made on ``version``; the replaced text becomes a NoteVersion."""
    require_editor(actor, note.case)
    if note.confidential and actor is not None and not can_read_confidential(actor, note.case):
        raise PermissionDenied
    confidential = note.confidential if confidential is None else confidential
    submitted = {"body": body, "confidential": confidential}
    current = lock(Note, note.pk, version, submitted)
    body = _check(actor, note.case, body, confidential)
    if body == current.body and confidential == current.confidential:
        return current
    NoteVersion.objects.create(
        note=current,
        version=current.version,
        body=current.body,
        confidential=current.confidential,
        edited_by=actor,
        edited_at=timezone.now(),
    )
    before = snapshot(current)
    current.body = body
    current.confidential = confidential
    current.version += 1
    current.save()
    record_updated(actor, current, before)
    return current
