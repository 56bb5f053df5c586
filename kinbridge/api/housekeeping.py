"""Forgetting old Idempotency-Key entries: a retry comes within minutes, not weeks."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from kinbridge.api.models import IdempotencyKey


def clear_idempotency_keys(now=None) -> int:
    """Delete entries older than ``IDEMPOTENCY_KEY_DAYS``; returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.IDEMPOTENCY_KEY_DAYS)
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
