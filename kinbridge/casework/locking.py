"""Optimistic locking for casework records: an edit names the version it was made on;
if someone saved a newer one meanwhile, :class:`StaleEdit` is raised, nothing is
saved, and the editor is shown what the other person changed next to their own
values, which are kept in the form (or returned in the API's 409 answer)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models


@dataclass(frozen=True)
class Difference:
    field: str
    label: str
    theirs: object  # the value on file now
    yours: object  # the value the editor sent


class StaleEdit(Exception):
    """The record changed since the editor loaded it."""

    def __init__(self, current: models.Model, submitted: dict | None = None):
        super().__init__("stale edit")
        self.current = current
        self.submitted = submitted or {}

    def differences(self) -> list[Difference]:
        """Each field the editor sent whose value differs from the one on file."""
        rows = []
        for name, yours in self.submitted.items():
            try:
                field = self.current._meta.get_field(name)
            except FieldDoesNotExist:  # extra keys (formsets) are not fields
                rows.append(Difference(name, name, "", yours))
                continue
            theirs = getattr(self.current, field.name)
            if _plain(theirs) != _plain(yours):
                label = str(field.verbose_name)
                rows.append(Difference(name, label, _shown(field, theirs), _shown(field, yours)))
        return rows


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if value is None:
        return ""
    return value


def _shown(field, value):
    if isinstance(value, models.Model) or value in (None, ""):
        return value if value is not None else ""
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value


def lock(model: type[models.Model], pk, version: int | None, submitted: dict | None = None):
    """The row, locked for the rest of the transaction; StaleEdit if its version moved on.

    Call inside ``transaction.atomic``. ``version`` None skips the check (internal use).
    """
    current = model.objects.select_for_update().get(pk=pk)
    if version is not None and current.version != version:
        raise StaleEdit(current, submitted)
    return current
