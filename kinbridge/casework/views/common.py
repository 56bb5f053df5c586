"""What every casework page does the same way: an action's errors on the form, the way
back to the page a form was posted from, and the form after a stale edit."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from kinbridge.casework.locking import StaleEdit


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """An action's errors at their fields; those about no field of the form at its top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, messages in exc.message_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        for message in messages:
            form.add_error(target, message)


def next_url(request, fallback: str) -> str:
    """The page the form was on (``next``, this site only), else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def redirect_back(request, fallback: str):
    return redirect(next_url(request, fallback))


def keep_input_on_newer_version(form, stale: StaleEdit) -> None:
    """After a stale edit the form keeps the editor's input, now based on the version on
    file: saving again (after looking at the differences) is a deliberate choice."""
    data = form.data.copy()
    data["version"] = stale.current.version
    form.data = data
