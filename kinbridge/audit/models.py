from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinbridge.accounts.roles import Role


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    READ = "read", _("Viewed")
    EXPORT = "export", _("Exported")
    LOGIN = "login", _("Signed in")
    LOGOUT = "logout", _("Signed out")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOCKED_OUT = "locked_out", _("Locked out")
    UNLOCKED = "unlocked", _("Unlocked")
    PERMISSION_DENIED = "permission_denied", _("Permission denied")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Password reset requested")
    PASSWORD_RESET = "password_reset", _("Password reset")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("Two-factor login turned on")
    TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor login reset")
    TWO_FACTOR_FAILED = "two_factor_failed", _("Wrong two-factor code")
    RECOVERY_CODES = "recovery_codes", _("Recovery codes issued")
    SESSIONS_ENDED = "sessions_ended", _("Other sessions signed out")
    SESSION_EXPIRED = "session_expired", _("Session expired")
    TOKEN_CREATED = "token_created", _("API token issued")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")


class AppendOnlyError(Exception):
    """Audit events are never changed or deleted."""


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only administrators read the audit trail."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR) and user.has_perm("audit.view_auditevent"):
            return self.all()
        return self.none()

    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def update(self, **kwargs):
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEvent(models.Model):
    """One thing that happened: who did what to which record, when and from where.

    Append-only: the application never updates or deletes a row, and database
    triggers (see the migration) refuse it too.
    """

    at = models.DateTimeField(_("time (UTC)"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    path = models.CharField(max_length=300, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        permissions = [("export_auditevent", "Can export the audit trail")]
        indexes = [
            # The history tab of any record: events for one object, newest first.
            models.Index(fields=["object_type", "object_id", "-id"], name="audit_object_idx"),
            # "What did this user do": the audit list filtered by actor.
            models.Index(fields=["actor", "-id"], name="audit_actor_idx"),
            # The audit list filtered by action and date range.
            models.Index(fields=["action", "at"], name="audit_action_at_idx"),
            models.Index(fields=["at"], name="audit_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")
