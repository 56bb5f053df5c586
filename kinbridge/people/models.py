from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinbridge.accounts.models import Team
from kinbridge.accounts.roles import Role
from kinbridge.lib import names


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not recorded")


class PersonRoleKind(models.TextChoices):
    PRISONER = "prisoner", _("Prisoner")
    CHILD = "child", _("Child")
    RELATIVE = "relative", _("Relative or caregiver")
    PRISON_STAFF = "prison_staff", _("Prison staff")
    CHILDRENS_HOME_STAFF = "childrens_home_staff", _("Children's home staff")
    SPECIALIST = "specialist", _("External specialist")
    VOLUNTEER = "volunteer", _("Volunteer")


class RelationshipKind(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    CARER = "carer", _("Carer")
    GUARDIAN = "guardian", _("Guardian")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    PARTNER = "partner", _("Partner")
    OTHER = "other", _("Other")


# "relative is the <kind> of person": these kinds make relative a parent figure.
PARENT_KINDS = frozenset(
    {
        RelationshipKind.MOTHER,
        RelationshipKind.FATHER,
        RelationshipKind.GUARDIAN,
        RelationshipKind.CARER,
    }
)
# Roles that see people's names at all. Analysts see aggregates only.
ROLES_SEEING_PEOPLE = (
    Role.ADMINISTRATOR,
    Role.PROGRAMME_MANAGER,
    Role.CASEWORKER,
    Role.FACILITATOR,
    Role.VOLUNTEER_COORDINATOR,
)


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Administrators see everyone; staff see the people of their teams; others no one."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR):
            return self.all()
        if not user.has_role(*ROLES_SEEING_PEOPLE):
            return self.none()
        # EXISTS per row (index personteam_unique), not IN (all the team's ids): both
        # databases can then walk people newest first and stop after one page.
        return self.filter(
            models.Exists(
                PersonTeam.objects.filter(
                    person_id=models.OuterRef("pk"), team_id__in=user.team_ids
                )
            )
        )

    def search(self, query: str):
        """Any part of any name in any script, a reference code, or a date of birth."""
        query = (query or "").strip()
        if not query:
            return self
        birth_date = parse_date(query)
        if birth_date is not None:
            return self.filter(birth_date=birth_date)
        if query.upper().startswith("P-") and len(query) <= 12:
            # Codes are upper case (lib.codes), so this is iexact through the unique index.
            return self.filter(reference=query.upper())
        people = self
        for term in names.query_terms(query):
            people = people.filter(search_key__contains=term)
        return people


def parse_date(text: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class Person(models.Model):
    """Anyone the organisation works with, whatever their roles over time."""

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    name_latin = models.CharField(_("name in Latin letters"), max_length=400, editable=False)
    # Searched with LIKE '%term%' (search()); PostgreSQL has a trigram index on it
    # (person_search_key_trgm, migration 0003), SQLite scans it (fast enough, see
    # docs/benchmarks.md).
    search_key = models.CharField(max_length=400, editable=False)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("estimated year of birth"), null=True, blank=True
    )
    gender = models.CharField(
        _("gender"), max_length=16, choices=Gender.choices, default=Gender.UNKNOWN
    )
    languages = models.CharField(
        _("languages"), max_length=60, blank=True, help_text=_("For example: ru, lt, en")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    teams = models.ManyToManyField(Team, through="PersonTeam", related_name="people")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    # What a form, the API or an import may set; the rest is derived or bookkeeping.
    EDITABLE_FIELDS = (
        "given_name",
        "family_name",
        "patronymic",
        "preferred_name",
        "birth_date",
        "birth_year",
        "gender",
        "languages",
        "phone",
        "email",
        "address",
    )

    objects = PersonQuerySet.as_manager()
    audit_excluded_fields = ("search_key", "name_latin", "updated_at", "version")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(given_name=""), name="person_given_name_required"),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="person_birth_year_range",
            ),
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True) | Q(birth_year__isnull=True),
                name="person_birth_date_or_estimate",
            ),
        ]
        indexes = [
            # Date-of-birth search and duplicate checks.
            models.Index(fields=["birth_date"], name="person_birth_date_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def audit_label(self) -> str:
        return self.reference

    @property
    def full_name(self) -> str:
        return " ".join(
            part for part in (self.given_name, self.patronymic, self.family_name) if part
        )

    @property
    def birth_display(self) -> str:
        if self.birth_date:
            return self.birth_date.isoformat()
        if self.birth_year:
            return f"~{self.birth_year}"
        return ""

    def age_on(self, day: dt.date) -> int | None:
        """Age in whole years on ``day`` (from the estimated year if that is all we have)."""
        if self.birth_date:
            before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
            return day.year - self.birth_date.year - before_birthday
        if self.birth_year:
            return day.year - self.birth_year
        return None

    def refresh_names(self) -> None:
        parts = (self.given_name, self.family_name, self.patronymic, self.preferred_name)
        self.name_latin = names.to_latin(self.full_name)[:400]
        self.search_key = names.search_key(*parts)[:400]


class PersonTeam(models.Model):
    """The teams that see a person: the owning team(s) and teams it was shared with."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="team_links")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="person_links")
    shared = models.BooleanField(default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "team"], name="personteam_unique"),
        ]
        indexes = [
            # visible_to(): people of a set of teams.
            models.Index(fields=["team", "person"], name="personteam_team_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.team_id}"


class PersonRole(models.Model):
    """A role a person holds for a time: prisoner, child, relative, staff…"""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=32, choices=PersonRoleKind.choices)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["role", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="personrole_dates_in_order",
            ),
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=Q(end__isnull=True),
                name="personrole_one_current",
            ),
        ]

    def __str__(self) -> str:
        return self.get_role_display()


class Relationship(models.Model):
    """``relative`` is the ``kind`` of ``person``: e.g. Anna is the mother of Lena."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relatives")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relative_of")
    kind = models.CharField(_("relationship"), max_length=16, choices=RelationshipKind.choices)
    parental_responsibility = models.BooleanField(_("holds parental responsibility"), default=False)
    lives_with = models.BooleanField(_("the person lives with them now"), default=False)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(person=models.F("relative")), name="relationship_not_to_self"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="relationship_dates_in_order",
            ),
            models.UniqueConstraint(
                fields=["person", "relative", "kind"],
                condition=Q(end__isnull=True),
                name="relationship_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relative} → {self.get_kind_display()} → {self.person}"
