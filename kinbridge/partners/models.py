from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinbridge.accounts.models import Region


class Partner(models.Model):
    """An organisation the charity refers people to, or receives referrals from."""

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="partners",
        verbose_name=_("region"),
        null=True,
        blank=True,
        help_text=_("Empty: works everywhere (national or online)."),
    )
    description = models.TextField(_("what they do"), max_length=2000, blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_public = models.BooleanField(
        _("agreed to be listed publicly"),
        default=False,
        help_text=_("Only then does it appear in the public help directory."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="partner_name_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="partner_name_required"),
        ]

    def __str__(self) -> str:
        return self.name
