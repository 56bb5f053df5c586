from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kinbridge.accounts.models import Region
from kinbridge.accounts.roles import Role
from kinbridge.lib.dates import add_months
from kinbridge.lib.keywords import keyword_key, keyword_terms


class FacilityKind(models.TextChoices):
    WOMENS_COLONY = "womens_colony", _("Women's colony")
    PRISON = "prison", _("Prison")
    REMAND_CENTRE = "remand_centre", _("Remand centre")
    MOTHER_AND_BABY_UNIT = "mother_baby_unit", _("Mother-and-baby unit")
    COMMUNITY_VENUE = "community_venue", _("Community venue")


class FacilityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Facilities are organisational reference data: every staff role sees them all."""
        if not user.is_authenticated or not user.is_active or not user.has_role(*Role.values):
            return self.none()
        return self.all()

    def active(self):
        return self.filter(is_active=True)

    def with_children_unit(self):
        return self.filter(child_age_limit_months__isnull=False)

    def search(self, query: str):
        """Every word of the query starts a word of the name ("ik 5", "panevezio").

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
    is_active = models.BooleanField(pgettext_lazy("facility", "active"), default=True)
    search_key = models.CharField(max_length=400, editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

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

    # What a form, the API or the demo may set; the rest is derived or bookkeeping.
    EDITABLE_FIELDS = (
        "name",
        "kind",
        "region",
        "address",
        "phone",
        "email",
        "website",
        "notes",
        "is_public",
        "is_active",
        "children_capacity",
        "child_age_limit_months",
        "extension_if_release_within_months",
        "extended_age_limit_months",
    )

    objects = FacilityQuerySet.as_manager()
    audit_excluded_fields = ("search_key", "updated_at")

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
            # Places for children belong to a children's unit, which has an age limit.
            models.CheckConstraint(
                condition=Q(children_capacity__isnull=True)
                | Q(children_capacity__gte=1, child_age_limit_months__isnull=False),
                name="facility_capacity_needs_children_unit",
            ),
            models.CheckConstraint(
                condition=Q(extension_if_release_within_months__isnull=True)
                | Q(extension_if_release_within_months__gte=1),
                name="facility_extension_positive",
            ),
            # An extended limit caps the extension, so it needs the extension rule.
            models.CheckConstraint(
                condition=Q(extended_age_limit_months__isnull=True)
                | Q(extension_if_release_within_months__isnull=False),
                name="facility_extended_limit_needs_rule",
            ),
        ]
        indexes = [
            # The facility list: filters by kind, ordered by name.
            models.Index(fields=["kind", "name"], name="facility_kind_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def refresh_search_key(self) -> None:
        self.search_key = keyword_key(self.name)[:400]

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


class VisitKind(models.TextChoices):
    SHORT = "short", _("Short visit")
    LONG = "long", _("Long visit")
    FAMILY = "family", _("Family visit")


class Weekday(models.IntegerChoices):
    # Python's date.weekday() numbering, so a slot matches a date without a lookup table.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


# The youngest a visitor may be to come without an accompanying adult: by
# default 18, so every child comes with an adult visitor aged 18 or over who
# is responsible for them. Children count towards the number of visitors.
ADULT_AGE = 18


class VisitingRules(models.Model):
    """How relatives visit someone held in a facility, as the facility publishes it.

    Visitors younger than ``min_age_unaccompanied`` may visit only with an
    adult visitor (18 or over) who is responsible for them; everyone,
    children included, counts towards ``max_visitors``.
    """

    facility = models.OneToOneField(
        Facility, on_delete=models.CASCADE, related_name="visiting_rules"
    )
    booking_lead_days = models.PositiveSmallIntegerField(
        _("book at least this many days ahead"),
        default=1,
        help_text=_("0: a visit can be booked for the same day."),
    )
    booking_window_days = models.PositiveSmallIntegerField(
        _("book at most this many days ahead"),
        default=28,
        help_text=_("The UK online booking service opens 28 days ahead by default."),
    )
    max_visitors = models.PositiveSmallIntegerField(
        _("visitors per visit at most"),
        default=3,
        help_text=_("Children included."),
    )
    min_age_unaccompanied = models.PositiveSmallIntegerField(
        _("youngest age to visit without an adult"),
        default=ADULT_AGE,
        help_text=_(
            "Younger visitors must come with an adult visitor (18 or over) responsible for them."
        ),
    )
    id_required = models.BooleanField(_("visitors must show ID"), default=True)
    accepted_ids = models.TextField(
        _("IDs accepted"),
        max_length=1000,
        blank=True,
        help_text=_("For example: passport, photo driving licence, national identity card."),
    )
    banned_items = models.TextField(
        _("items not allowed"),
        max_length=2000,
        blank=True,
        help_text=_("One item per line."),
    )
    devices_allowed = models.BooleanField(
        _("phones and other devices allowed inside"),
        default=False,
        help_text=_("Usually not: sessions inside are run on paper."),
    )
    has_family_room = models.BooleanField(_("has a family room"), default=False)
    family_room_capacity = models.PositiveSmallIntegerField(
        _("people in the family room at most"), null=True, blank=True
    )
    entry_notes = models.TextField(
        _("who may enter, and other notes"),
        max_length=2000,
        blank=True,
        help_text=_("For example: close relatives only; approval needed for other visitors."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    EDITABLE_FIELDS = (
        "booking_lead_days",
        "booking_window_days",
        "max_visitors",
        "min_age_unaccompanied",
        "id_required",
        "accepted_ids",
        "banned_items",
        "devices_allowed",
        "has_family_room",
        "family_room_capacity",
        "entry_notes",
    )
    audit_excluded_fields = ("updated_at",)

    class Meta:
        verbose_name = _("visiting rules")
        verbose_name_plural = _("visiting rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(booking_window_days__gte=1), name="visitingrules_window_positive"
            ),
            # The earliest bookable day must fall inside the booking window.
            models.CheckConstraint(
                condition=Q(booking_lead_days__lte=models.F("booking_window_days")),
                name="visitingrules_lead_within_window",
            ),
            models.CheckConstraint(
                condition=Q(max_visitors__gte=1), name="visitingrules_max_visitors_positive"
            ),
            models.CheckConstraint(
                condition=Q(min_age_unaccompanied__lte=ADULT_AGE),
                name="visitingrules_min_age_at_most_adult",
            ),
            models.CheckConstraint(
                condition=Q(family_room_capacity__isnull=True)
                | Q(has_family_room=True, family_room_capacity__gte=1),
                name="visitingrules_capacity_needs_family_room",
            ),
            models.CheckConstraint(
                condition=Q(id_required=True) | Q(accepted_ids=""),
                name="visitingrules_accepted_ids_need_id_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility}"

    def audit_label(self) -> str:
        return f"{self.facility.name}: visiting rules"

    def banned_item_list(self) -> list[str]:
        return [line.strip() for line in self.banned_items.splitlines() if line.strip()]


class VisitSlot(models.Model):
    """A weekly time when visits happen: the day, the times and the kind of visit.

    A slot lasting several days (a long visit in a Russian colony: up to three
    days in a visiting room) starts on ``weekday`` at ``start`` and ends on
    the last day at ``end``.
    """

    rules = models.ForeignKey(VisitingRules, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    kind = models.CharField(
        _("kind of visit"), max_length=16, choices=VisitKind.choices, default=VisitKind.SHORT
    )
    days = models.PositiveSmallIntegerField(
        _("calendar days"),
        default=1,
        help_text=_("1 for a visit within one day; 3 for a long visit from Monday to Wednesday."),
    )

    EDITABLE_FIELDS = ("weekday", "start", "end", "kind", "days")
    MAX_DAYS = 7

    class Meta:
        verbose_name = _("visiting slot")
        verbose_name_plural = _("visiting slots")
        ordering = ["weekday", "start", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="visitslot_weekday_range"),
            models.CheckConstraint(
                condition=Q(days__gte=1, days__lte=7), name="visitslot_days_range"
            ),
            # Within one day a slot ends after it starts; over several days it may end earlier.
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")) | Q(days__gt=1),
                name="visitslot_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["rules", "weekday", "start", "kind"], name="visitslot_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def last_weekday_label(self) -> str:
        return Weekday((self.weekday + self.days - 1) % 7).label

    def audit_value(self) -> str:
        return f"{self.weekday} {self.start:%H:%M}-{self.end:%H:%M} {self.kind} x{self.days}"
