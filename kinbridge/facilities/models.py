from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinbridge.accounts.models import Region
from kinbridge.lib.dates import add_months


class FacilityKind(models.TextChoices):
    WOMENS_COLONY = "womens_colony", _("Women's colony")
    PRISON = "prison", _("Prison")
    REMAND_CENTRE = "remand_centre", _("Remand centre")
    MOTHER_AND_BABY_UNIT = "mother_baby_unit", _("Mother-and-baby unit")
    COMMUNITY_VENUE = "community_venue", _("Community venue")


class Facility(models.Model):
    """A prison, colony, remand centre, mother-and-baby unit or community venue.

    A facility where children live with their mothers (a colony's children's
    home, a mother-and-baby unit) has a children's unit: its capacity, the
    age limit in months and the rule for extending a stay, all as data.
    """

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=24, choices=FacilityKind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("region")
    )
    address = models.TextField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    is_public = models.BooleanField(
        _("published on the public site"),
        default=False,
        help_text=_("Its visiting rules appear on the public pages for relatives."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    # The children's unit (empty when children cannot live here).
    children_capacity = models.PositiveSmallIntegerField(
        _("places for children"), null=True, blank=True
    )
    child_age_limit_months = models.PositiveSmallIntegerField(
        _("age limit (months)"),
        null=True,
        blank=True,
        help_text=_("For example 36 in a Russian colony's children's home, 18 in England."),
    )
    extension_if_release_within_months = models.PositiveSmallIntegerField(
        _("stay extended when the mother has at most this many months left"),
        null=True,
        blank=True,
        help_text=_("Empty: no extension. 12 under art. 100 of the Russian Penal Code."),
    )
    extended_age_limit_months = models.PositiveSmallIntegerField(
        _("extended age limit (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: an extended stay lasts until the mother's release."),
    )

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="facility_unique_per_region"),
            models.CheckConstraint(condition=~Q(name=""), name="facility_name_required"),
            models.CheckConstraint(
                condition=Q(child_age_limit_months__isnull=True) | Q(child_age_limit_months__gte=1),
                name="facility_age_limit_positive",
            ),
            # The extension rule only makes sense beside an age limit.
            models.CheckConstraint(
                condition=Q(child_age_limit_months__isnull=False)
                | Q(
                    extension_if_release_within_months__isnull=True,
                    extended_age_limit_months__isnull=True,
                ),
                name="facility_extension_needs_age_limit",
            ),
            models.CheckConstraint(
                condition=Q(extended_age_limit_months__isnull=True)
                | Q(extended_age_limit_months__gt=models.F("child_age_limit_months")),
                name="facility_extended_limit_above_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_children_unit(self) -> bool:
        return self.child_age_limit_months is not None

    def age_limit_date(self, birth_date: dt.date) -> dt.date | None:
        """The day a child born on ``birth_date`` reaches this facility's age limit."""
        if self.child_age_limit_months is None:
            return None
        return add_months(birth_date, self.child_age_limit_months)

    def stay_limit(self, birth_date: dt.date, mother_release: dt.date | None) -> dt.date | None:
        """The last day a child may live here, given the mother's expected release.

        The age limit, unless the extension rule applies: the mother's release
        falls within ``extension_if_release_within_months`` of the day the child
        reaches the limit. Then the stay runs to her release, capped by the
        extended age limit if one is set. ``None``: no children's unit here.
        """
        limit = self.age_limit_date(birth_date)
        if limit is None:
            return None
        months = self.extension_if_release_within_months
        if months is None or mother_release is None or mother_release <= limit:
            return limit
        if mother_release > add_months(limit, months):
            return limit
        if self.extended_age_limit_months is not None:
            return min(mother_release, add_months(birth_date, self.extended_age_limit_months))
        return mother_release
