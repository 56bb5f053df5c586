"""Security events that Django and django-axes announce through signals.

Login, logout and failed logins happen inside Django's own views and
backends, so the trail listens for them here; each receiver only appends.
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from kinbridge.audit.actions import record
from kinbridge.audit.models import Action


@receiver(user_logged_in, dispatch_uid="audit_login")
def on_login(sender, request, user, **kwargs):
    record(Action.LOGIN, actor=user, obj=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(Action.LOGOUT, actor=user, obj=user)


def _known_user(username: str):
    if not username:
        return None
    User = get_user_model()
    return User.objects.filter(**{User.USERNAME_FIELD: username}).first()


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # The typed username is kept only when it names an account: a password
    # typed into the username box must not end up in the trail.
    user = _known_user(credentials.get("username", ""))
    if user is not None:
        record(Action.LOGIN_FAILED, obj=user)
    else:
        record(Action.LOGIN_FAILED, object_type="accounts.user", object_repr="(unknown account)")


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    user = _known_user(username)
    if user is not None:
        record(Action.LOCKED_OUT, obj=user)
    else:
        record(Action.LOCKED_OUT, object_type="accounts.user", object_repr="(unknown account)")
