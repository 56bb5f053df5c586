"""Custody episodes, and children living with their mothers in a facility.

Dates are half-open intervals: an episode from ``start`` to ``end`` covers
``start`` up to the day before ``end``, so a transfer on day D ends one
episode and starts the next on the same day without an overlap. An empty
``end`` means "still there".
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinbridge.facilities.models import Facility
from kinbridge.people.models import Person


class CustodyStatus(models.TextChoices):
    REMAND = "remand", _("On remand")
    SENTENCED = "sentenced", _("Sentenced")
    RELEASED = "released", _("Released")
    TRANSFERRED = "transferred", _("Transferred")


# An open episode (no end date) is on remand or sentenced; a closed one ended
# by a release or a transfer.
OPEN_STATUSES = (CustodyStatus.REMAND.value, CustodyStatus.SENTENCED.value)
CLOSED_STATUSES = (CustodyStatus.RELEASED.value, CustodyStatus.TRANSFERRED.value)


def overlapping(queryset, start: dt.date, end: dt.date | None):
    """The rows of ``queryset`` whose [start, end) interval meets [start, end)."""
    rows = queryset.filter(Q(end__isnull=True) | Q(end__gt=start))
    if end is not None:
        rows = rows.filter(start__lt=end)
    return rows


class CustodyEpisodeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Custody is visible exactly when its person is."""
        return self.filter(person__in=Person.objects.visible_to(user))

    def current(self):
        return self.filter(end__isnull=True)


class CustodyEpisode(models.Model):
    """A stay in one facility: on remand or sentenced, until a release or a transfer.

    A transfer closes the episode (status "transferred") and opens the next
    one at the new facility from the same day, linked through ``previous``,
    so the history of facilities is kept.
    """

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="custody_episodes",
        verbose_name=_("person"),
    )
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        related_name="custody_episodes",
        verbose_name=_("facility"),
    )
    status = models.CharField(_("status"), max_length=12, choices=CustodyStatus.choices)
    start = models.DateField(_("in custody here from"))
    expected_release = models.DateField(_("expected release"), null=True, blank=True)
    parole_eligibility = models.DateField(_("eligible for parole from"), null=True, blank=True)
    end = models.DateField(
        _("released or transferred on"),
        null=True,
        blank=True,
        help_text=_("Empty while the person is still there."),
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next",
        verbose_name=_("transferred from"),
    )
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CustodyEpisodeQuerySet.as_manager()
    erasable_fields = ("notes",)
    audit_excluded_fields = ("created_at", "updated_at")

    class Meta:
        verbose_name = _("custody episode")
        verbose_name_plural = _("custody episodes")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="custodyepisode_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(expected_release__isnull=True) | Q(expected_release__gte=F("start")),
                name="custodyepisode_release_after_start",
            ),
            models.CheckConstraint(
                condition=Q(parole_eligibility__isnull=True)
                | Q(parole_eligibility__gte=F("start")),
                name="custodyepisode_parole_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True, status__in=OPEN_STATUSES)
                | Q(end__isnull=False, status__in=CLOSED_STATUSES),
                name="custodyepisode_status_matches_end",
            ),
            models.CheckConstraint(
                condition=Q(previous__isnull=True) | ~Q(previous=F("id")),
                name="custodyepisode_previous_not_self",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end__isnull=True),
                name="custodyepisode_one_open_per_person",
            ),
            # No overlapping episodes of one person: checked by the actions under
            # a lock on the person, and held by the database too (migration 0003:
            # an exclusion constraint on PostgreSQL, triggers on SQLite).
        ]
        indexes = [
            # The custody tab and the overlap check: one person's episodes by date.
            models.Index(fields=["person", "start"], name="custodyepisode_person_idx"),
            # Planning: open episodes by expected release.
            models.Index(
                fields=["expected_release"],
                condition=Q(end__isnull=True),
                name="custodyepisode_release_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility} {self.start.isoformat()}"

    def audit_label(self) -> str:
        return f"custody {self.pk} of person {self.person_id}"

    @property
    def is_open(self) -> bool:
        return self.end is None

    def days_to_release(self, today: dt.date) -> int | None:
        if self.end is not None or self.expected_release is None:
            return None
        return (self.expected_release - today).days

    @classmethod
    def merge_people(cls, keep: Person, drop: Person) -> None:
        """Refuse a merge that would give one person two overlapping custody episodes."""
        for episode in cls.objects.filter(person=drop).select_related("facility"):
            clash = (
                overlapping(cls.objects.filter(person=keep), episode.start, episode.end)
                .select_related("facility")
                .first()
            )
            if clash is not None:
                raise ValidationError(
                    gettext(
                        "Both records have custody at the same time (%(one)s from %(start_one)s "
                        "and %(two)s from %(start_two)s). Correct the custody dates before "
                        "merging."
                    )
                    % {
                        "one": clash.facility,
                        "start_one": clash.start.isoformat(),
                        "two": episode.facility,
                        "start_two": episode.start.isoformat(),
                    }
                )


class ChildResidenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A child's stay names the child and the mother: visible when both are."""
        people = Person.objects.visible_to(user)
        return self.filter(child__in=people, mother__in=people)

    def current(self):
        return self.filter(end__isnull=True)

    def with_mother_release(self):
        """Annotate ``mother_release``: the expected release of her open episode."""
        release = CustodyEpisode.objects.filter(
            person=OuterRef("mother_id"), end__isnull=True
        ).values("expected_release")[:1]
        return self.annotate(mother_release=Subquery(release))


class ChildResidence(models.Model):
    """A child living with the mother in a facility's children's home or unit."""

    child = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="residences", verbose_name=_("child")
    )
    mother = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="children_living_with",
        verbose_name=_("mother"),
    )
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        related_name="child_residences",
        verbose_name=_("facility"),
    )
    start = models.DateField(_("living there from"))
    end = models.DateField(_("left on"), null=True, blank=True)
    next_place = models.CharField(
        _("where the child went next"),
        max_length=200,
        blank=True,
        help_text=_("For example: the mother's relatives, foster care, a children's home."),
    )
    carer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children_cared_for",
        verbose_name=_("who cares for the child now"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChildResidenceQuerySet.as_manager()
    erasable_fields = ("next_place",)
    audit_excluded_fields = ("created_at", "updated_at")

    class Meta:
        verbose_name = _("child living in a facility")
        verbose_name_plural = _("children living in facilities")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="childresidence_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(child=F("mother")), name="childresidence_child_not_mother"
            ),
            models.CheckConstraint(
                condition=Q(carer__isnull=True) | ~Q(carer=F("child")),
                name="childresidence_carer_not_child",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(end__isnull=True),
                name="childresidence_one_current_per_child",
            ),
        ]
        indexes = [
            # Occupancy and the planning lists: the children living in a facility now.
            models.Index(
                fields=["facility"],
                condition=Q(end__isnull=True),
                name="childresidence_current_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility} {self.start.isoformat()}"

    def audit_label(self) -> str:
        return f"residence {self.pk} of person {self.child_id}"

    def stay_limit(self, mother_release: dt.date | None) -> dt.date | None:
        """The last day the child may live here (the facility's rule), if known."""
        if self.child.birth_date is None:
            return None
        return self.facility.stay_limit(self.child.birth_date, mother_release)

    @classmethod
    def merge_people(cls, keep: Person, drop: Person) -> None:
        """Refuse a merge that would place one child in two facilities at once."""
        for stay in cls.objects.filter(child=drop):
            if overlapping(cls.objects.filter(child=keep), stay.start, stay.end).exists():
                raise ValidationError(
                    gettext(
                        "Both records have a child's stay in a facility at the same time. "
                        "Correct those dates before merging."
                    )
                )
