from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kinbridge.accounts.models import Region
from kinbridge.accounts.roles import Role
from kinbridge.lib.keywords import keyword_key, keyword_terms


class ServiceKind(models.TextChoices):
    EMOTIONAL_SUPPORT = "emotional_support", _("Emotional support")
    JUSTICE_INFORMATION = "justice_information", _("Information about the justice process")
    LEGAL_ADVICE = "legal_advice", _("Legal advice")
    HOUSING = "housing", _("Housing")
    FINANCIAL = "financial", _("Money and benefits")
    EMPLOYMENT = "employment", _("Employment and training")
    ADDICTION = "addiction", _("Addiction")
    DOMESTIC_ABUSE = "domestic_abuse", _("Domestic abuse")
    CHILDREN_FAMILY = "children_family", _("Children and family support")
    HEALTH = "health", _("Health and mental health")
    VISITS_TRANSPORT = "visits_transport", _("Visits and transport")
    RELEASE = "release", _("Preparing for release")
    OTHER = "other", _("Other")


class PartnerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Partners are organisations, not personal data: every staff role sees them."""
        if not user.is_authenticated or not user.is_active or not user.has_role(*Role.values):
            return self.none()
        return self.all()

    def active(self):
        return self.filter(is_active=True)

    def public(self):
        """What the public help directory may show: listed with the partner's agreement."""
        return self.filter(is_public=True, is_active=True)

    def search(self, query: str):
        """Every word of the query starts a word of the name or the description.

        The plain name is searched too, for rows saved without the action that
        sets ``search_key`` (bulk loads).
        """
        query = (query or "").strip()[:100]
        terms = keyword_terms(query)
        if not terms:
            return self
        by_key = Q()
        for term in terms:
            by_key &= Q(search_key__contains=term)
        return self.filter(by_key | Q(search_key="", name__icontains=query))

    def serving_region(self, region):
        """Partners working in ``region``: based there, national, or with a service there."""
        return self.filter(
            Q(region=region)
            | Q(region__isnull=True)
            | Q(pk__in=PartnerService.objects.filter(regions=region).values("partner_id"))
        )

    def offering(self, kind: str):
        return self.filter(pk__in=PartnerService.objects.filter(kind=kind).values("partner_id"))


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
    is_active = models.BooleanField(pgettext_lazy("organisation", "active"), default=True)
    search_key = models.CharField(max_length=2400, editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    EDITABLE_FIELDS = (
        "name",
        "region",
        "description",
        "address",
        "phone",
        "email",
        "website",
        "is_public",
        "is_active",
    )

    objects = PartnerQuerySet.as_manager()
    audit_excluded_fields = ("search_key", "updated_at")

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

    def refresh_search_key(self) -> None:
        self.search_key = keyword_key(self.name, self.description)[:2400]


class PartnerService(models.Model):
    """What a partner offers, of one kind; optionally only in some regions or languages."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("service"), max_length=24, choices=ServiceKind.choices)
    description = models.CharField(_("short description"), max_length=300, blank=True)
    regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="partner_services",
        verbose_name=_("only in these regions"),
        help_text=_("Empty: wherever the partner works."),
    )
    languages = models.CharField(
        _("languages"), max_length=60, blank=True, help_text=_("For example: ru, lt, en")
    )

    EDITABLE_FIELDS = ("kind", "description", "languages")

    class Meta:
        verbose_name = _("partner service")
        verbose_name_plural = _("partner services")
        ordering = ["kind", "id"]
        constraints = [
            # One entry per kind; its description says what exactly is offered.
            models.UniqueConstraint(fields=["partner", "kind"], name="partnerservice_unique_kind"),
        ]
        indexes = [
            # PartnerQuerySet.offering(): partners by the kind of service.
            models.Index(fields=["kind", "partner"], name="partnerservice_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class PartnerContact(models.Model):
    """A person to talk to at a partner. Personal data: shown only to roles seeing people."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    EDITABLE_FIELDS = ("name", "role", "phone", "email")

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="partnercontact_name_required"),
        ]

    def __str__(self) -> str:
        return self.name
