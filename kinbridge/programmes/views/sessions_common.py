"""Small helpers shared by the session and course pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from kinbridge.accounts.roles import Role
from kinbridge.programmes.models import PROGRAMME_READERS, TEAM_ROSTER_READERS


def require_reader(request) -> None:
    """Volunteers (and accounts without a programme role) see nothing of programmes."""
    if not request.user.has_role(*PROGRAMME_READERS):
        raise PermissionDenied


def shows_names(user) -> bool:
    """Lists show facilitators' names to everyone but analysts."""
    return user.has_role(Role.ADMINISTRATOR, *TEAM_ROSTER_READERS, Role.FACILITATOR)


def apply_errors(form, error: ValidationError) -> None:
    """An action's errors at the form's fields (others above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)
