"""The API's answer to a stale edit, the same for every casework record."""

from __future__ import annotations

from django.db import models
from rest_framework import status
from rest_framework.response import Response

from kinbridge.casework.locking import StaleEdit


def _plain(value):
    """A difference's value as JSON: a record by its id, dates and labels as text."""
    if isinstance(value, models.Model):
        return value.pk
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def stale_answer(stale: StaleEdit, current: dict, detail: str) -> Response:
    """409: ``current`` (the record as it is now, serialized) and each field where it
    differs from what was sent."""
    return Response(
        {
            "detail": detail,
            "current": current,
            "differences": [
                {
                    "field": difference.field,
                    "label": str(difference.label),
                    "theirs": _plain(difference.theirs),
                    "yours": _plain(difference.yours),
                }
                for difference in stale.differences()
            ],
        },
        status=status.HTTP_409_CONFLICT,
    )
