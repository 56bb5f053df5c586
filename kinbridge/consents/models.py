"""Consent per person and purpose: who gave it, when, how, and its withdrawal."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinbridge.audit.actions import record_updated, snapshot
from kinbridge.consents.storage import evidence_path, private_storage
from kinbridge.partners.models import Partner
from kinbridge.people.models import Person


class Purpose(models.TextChoices):
    """What a consent allows. Labels complete "has not given consent for: …".

    To add a purpose, add a member here (and to PARTNER_PURPOSES if it names a
    partner); the migration only changes the field's choices.
    """

    CASEWORK = "casework", _("casework")
    SHARING = "sharing", _("sharing with a named partner")
    EVALUATION = "evaluation", _("evaluation (questionnaires, outcome research)")
    PHOTOS = "photos", _("photos")
    CONTACT_EMAIL = "contact_email", _("contact by e-mail")
    CONTACT_SMS = "contact_sms", _("contact by SMS")


# Purposes that are given for one named partner organisation.
PARTNER_PURPOSES = (Purpose.SHARING,)


class Method(models.TextChoices):
    WRITTEN = "written", _("Written")
    VERBAL = "verbal", _("Verbal")
    ONLINE = "online", _("Online")


# The text stored as the reason when a merge of duplicate people leaves two
# current consents for one purpose: the later one stops being current.
MERGED_DUPLICATE = "merged duplicate"


def describe_purpose(purpose: str, partner: Partner | None = None) -> str:
    """``sharing with Pact`` rather than ``sharing with a named partner``."""
    if purpose in PARTNER_PURPOSES and partner is not None:
        return gettext("sharing with %(partner)s") % {"partner": partner.name}
    return str(Purpose(purpose).label)


class ConsentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A consent is visible exactly when its person is."""
        return self.filter(person__in=Person.objects.visible_to(user))

    def current(self):
        """Not withdrawn. (Withdrawal dates are never in the future.)"""
        return self.filter(withdrawn_on__isnull=True)

    def held_on(self, day: dt.date):
        """Given on or before ``day`` and not withdrawn by then."""
        return self.filter(given_on__lte=day).filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day)
        )


class Consent(models.Model):
    """``given_by`` agreed, for ``person``, to ``purpose`` (with ``partner`` for sharing)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="consents", verbose_name=_("person")
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("partner organisation"),
        null=True,
        blank=True,
    )
    given_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="consents_given",
        verbose_name=_("given by"),
    )
    given_on = models.DateField(_("date given"))
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    evidence = models.FileField(
        _("evidence"),
        storage=private_storage,
        upload_to=evidence_path,
        max_length=200,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), max_length=500, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("withdrawal recorded by"),
    )

    objects = ConsentQuerySet.as_manager()
    # Erasure blanks these: a scanned form and a reason in someone's own words identify them.
    erasable_fields = ("evidence", "withdrawal_reason")

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=PARTNER_PURPOSES, partner__isnull=False)
                | (~Q(purpose__in=PARTNER_PURPOSES) & Q(partner__isnull=True)),
                name="consent_partner_exactly_for_sharing",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=False) | Q(withdrawal_reason=""),
                name="consent_reason_only_when_withdrawn",
            ),
            # At most one current consent per person, purpose and partner. The
            # partner may be null, and NULLs never collide, hence two constraints.
            # They also serve has_consent() and consent_map(): current consents
            # of given people for one purpose.
            models.UniqueConstraint(
                fields=["person", "purpose", "partner"],
                condition=Q(withdrawn_on__isnull=True, partner__isnull=False),
                name="consent_one_current_with_partner",
            ),
            models.UniqueConstraint(
                fields=["person", "purpose"],
                condition=Q(withdrawn_on__isnull=True, partner__isnull=True),
                name="consent_one_current_without_partner",
            ),
        ]

    def __str__(self) -> str:
        return self.purpose_display

    def audit_label(self) -> str:
        return f"{self.person.reference} {self.purpose}"

    @property
    def purpose_display(self) -> str:
        return describe_purpose(self.purpose, self.partner)

    @property
    def is_current(self) -> bool:
        return self.withdrawn_on is None

    @classmethod
    def merge_people(cls, keep: Person, drop: Person) -> None:
        """Before ``drop``'s links move to ``keep``: one current consent per purpose.

        Where both hold a current consent for the same purpose and partner, the
        earlier-given one stays current and the other is withdrawn as a merged
        duplicate. Nothing is deleted.
        """
        current = cls.objects.current().filter(person__in=[keep, drop])
        by_key: dict[tuple, list[Consent]] = {}
        for consent in current:
            by_key.setdefault((consent.purpose, consent.partner_id), []).append(consent)
        today = timezone.localdate()
        for pair in by_key.values():
            if len(pair) < 2:
                continue
            # Earliest given first; on a tie, the consent of the person kept.
            pair.sort(key=lambda c: (c.given_on, c.person_id != keep.pk, c.pk))
            for duplicate in pair[1:]:
                before = snapshot(duplicate)
                duplicate.withdrawn_on = max(today, duplicate.given_on)
                duplicate.withdrawal_reason = MERGED_DUPLICATE
                duplicate.save(update_fields=["withdrawn_on", "withdrawal_reason"])
                record_updated(None, duplicate, before)
