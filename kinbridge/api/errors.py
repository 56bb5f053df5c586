"""Django's errors from actions, as DRF's: one mapping for every viewset."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.settings import api_settings


def drf_detail(exc: DjangoValidationError, shape: Callable[[dict], dict] | None = None):
    """An action's errors by field, as a serializer would give them."""
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    errors = {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): problems
        for field, problems in exc.message_dict.items()
    }
    return shape(errors) if shape else errors


@contextmanager
def action_errors(shape: Callable[[dict], dict] | None = None):
    """Run an action; its PermissionDenied answers 403, its ValidationError 400 by field.

    ``shape`` rearranges the fields when the API names them differently from the
    action (e.g. ``region`` → ``region_id``, rules nested under ``visiting_rules``).
    """
    try:
        yield
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from None
    except DjangoValidationError as exc:
        raise ValidationError(drf_detail(exc, shape)) from None
