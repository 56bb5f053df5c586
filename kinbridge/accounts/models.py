from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from kinbridge.accounts.roles import Role


class Region(models.Model):
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("Two-letter ISO 3166 code, for example LT.")
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["country", "name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="region_unique_per_country"),
            models.CheckConstraint(
                condition=models.Q(country__regex=r"^[A-Z]{2}$"), name="region_country_iso2"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class TeamQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, user):
        """Administrators see every team; everyone else sees their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR):
            return self.all()
        return self.filter(memberships__user=user).distinct()


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="teams"
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Administrators see every account; others see themselves and their teammates."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR):
            return self.all()
        return self.filter(
            models.Q(pk=user.pk) | models.Q(memberships__team__memberships__user=user)
        ).distinct()

    def with_role(self, role: str):
        return self.filter(groups__name=role)


class KinbridgeUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in to Kinbridge: staff, volunteers, analysts.

    Roles are Django groups named by :class:`Role`; teams scope what a user sees.
    """

    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    teams = models.ManyToManyField(
        Team, through="Membership", related_name="members", blank=True, verbose_name=_("teams")
    )
    # Bumped by "log out my other sessions": it is part of the session auth hash.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    two_factor_exempt = models.BooleanField(
        _("exempt from two-factor login"),
        default=False,
        help_text=_("Honoured only outside production (demo accounts)."),
    )

    objects = KinbridgeUserManager()

    # Bookkeeping fields that say nothing about who the user is or may do.
    audit_excluded_fields = (
        "last_login",
        "session_epoch",
        "is_superuser",
        "is_staff",
        "date_joined",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="user_language_known",
            ),
            models.UniqueConstraint(Lower("username"), name="user_username_unique_ci"),
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def audit_label(self) -> str:
        return self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        known = set(Role.values)
        # groups.all() uses a prefetch when the list view made one.
        return frozenset(group.name for group in self.groups.all() if group.name in known)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def roles(self) -> list[Role]:
        return [role for role in Role if role in self.role_codes]

    @cached_property
    def team_ids(self) -> frozenset[int]:
        if not self.pk:
            return frozenset()
        return frozenset(membership.team_id for membership in self.memberships.all())

    # Sessions carry a hash of the password and the session epoch, so a
    # password change or "log out my other sessions" ends every other session.
    def _session_hash(self, secret=None) -> str:
        return salted_hmac(
            "kinbridge.accounts.User.session_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_session_auth_hash(self) -> str:
        return self._session_hash()

    def get_session_auth_fallback_hash(self):
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=fallback_secret)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="membership_unique_user_team"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.team}"


class RolePolicy(models.Model):
    """Per-role settings an administrator can change, such as requiring 2FA."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, unique=True)
    require_two_factor = models.BooleanField(_("require two-factor login"), default=False)

    class Meta:
        verbose_name = _("role policy")
        verbose_name_plural = _("role policies")
        ordering = ["role"]

    def __str__(self) -> str:
        return self.get_role_display()
