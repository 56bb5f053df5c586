"""Retry-safe creates: the ``Idempotency-Key`` request header (IETF draft
draft-ietf-httpapi-idempotency-key-header).

A client that sends ``POST`` with ``Idempotency-Key: <unique value>`` may send
the same request again after a timeout or a lost answer: the first one creates
the record, every retry gets the first answer again (with the header
``Idempotent-Replayed: true``) and creates nothing. The same key with a
different body answers 422; a retry while the first is still running, 409.
Keys belong to the user who sent them and are kept for
``IDEMPOTENCY_KEY_DAYS`` days (``manage.py clear_idempotency_keys``).

Use :class:`IdempotentCreateMixin` on a viewset (its ``create``), or wrap any
POST handler with :func:`idempotent`.
"""

from __future__ import annotations

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from kinbridge.api.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique value (a UUID). Sending the same request again with the same key "
        "creates nothing more: the first answer is returned again, with the header "
        "Idempotent-Replayed: true. The same key with a different body answers 422."
    ),
)


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(request.path.encode())
    digest.update(request.body or b"")
    return digest.hexdigest()


def idempotent(request, respond) -> Response:
    """Run ``respond()`` once per (user, Idempotency-Key); replay its answer afterwards."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return respond()
    if len(key) > MAX_KEY_LENGTH:
        return Response(
            {HEADER: [_("The key is too long (at most 255 characters).")]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    fingerprint = _fingerprint(request)
    with transaction.atomic():
        try:
            with transaction.atomic():
                entry = IdempotencyKey.objects.create(
                    user=request.user,
                    key=key,
                    method=request.method,
                    path=request.path[:500],
                    fingerprint=fingerprint,
                )
        except IntegrityError:
            entry = IdempotencyKey.objects.get(user=request.user, key=key)
            if entry.fingerprint != fingerprint:
                return Response(
                    {
                        "detail": _(
                            "This Idempotency-Key was already used for a different request. "
                            "Use a new key for a new request."
                        )
                    },
                    status=status.HTTP_422_UNPROCESSABLE_ENTITY,
                )
            if entry.status_code is None:
                return Response(
                    {"detail": _("The first request with this Idempotency-Key is still running.")},
                    status=status.HTTP_409_CONFLICT,
                )
            return Response(
                entry.response,
                status=entry.status_code,
                headers={"Idempotent-Replayed": "true"},
            )
        response = respond()
        if 200 <= response.status_code < 300:
            entry.status_code = response.status_code
            entry.response = json.loads(json.dumps(response.data, cls=JSONEncoder))
            entry.save(update_fields=["status_code", "response"])
        else:
            # A refused request may be corrected and sent again with the same key.
            entry.delete()
    return response


class IdempotentCreateMixin:
    """For a viewset: ``create`` honours the Idempotency-Key header."""

    def create(self, request, *args, **kwargs):
        parent = super()
        return idempotent(request, lambda: parent.create(request, *args, **kwargs))
