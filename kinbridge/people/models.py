from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
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
    PREGNANT = "pregnant", _("Expecting a baby")
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
            # Codes are upper case (lib.codes), so this uses the unique index; an old
            # reference of a record merged into another finds the kept person. The old
            # references are looked up first: an OR over both makes PostgreSQL scan.
            code = query.upper()
            kept = list(
                MergedPerson.objects.filter(old_reference=code).values_list("person_id", flat=True)
            )
            return (
                self.filter(Q(reference=code) | Q(pk__in=kept))
                if kept
                else self.filter(reference=code)
            )
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
    # The folded family name (Иванова, Ivanova -> "ivanova"): duplicate checks.
    family_key = models.CharField(max_length=100, blank=True, default="", editable=False)
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
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Set when the person's identifying data was erased (anonymised); see people/erasure.py.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

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
    audit_excluded_fields = ("search_key", "family_key", "name_latin", "updated_at", "version")

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
            # Duplicate checks for a person whose year of birth is estimated.
            models.Index(fields=["birth_year"], name="person_birth_year_idx"),
            # Duplicate checks by family name, and the list of possible duplicates
            # (same folded family name and date of birth, or estimated year).
            models.Index(fields=["family_key", "birth_date"], name="person_family_key_idx"),
            models.Index(fields=["family_key", "birth_year"], name="person_family_year_idx"),
            # The retention review: people unchanged since a cut-off, oldest first.
            models.Index(fields=["updated_at", "id"], name="person_updated_at_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def audit_label(self) -> str:
        return self.reference

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def full_name(self) -> str:
        if self.erased_at is not None:
            return gettext("Erased person")
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
        self.family_key = names.fold(self.family_name)[:100]


class PersonTeam(models.Model):
    """The teams that see a person: the owning team(s) and teams it was shared with."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="team_links", verbose_name=_("person")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="person_links", verbose_name=_("team")
    )
    shared = models.BooleanField(_("shared with this team"), default=False)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("team of a person")
        verbose_name_plural = _("teams of the person")
        constraints = [
            models.UniqueConstraint(fields=["person", "team"], name="personteam_unique"),
        ]
        indexes = [
            # visible_to(): people of a set of teams.
            models.Index(fields=["team", "person"], name="personteam_team_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.team_id}"

    @classmethod
    def merge_people(cls, keep: Person, drop: Person) -> dict | None:
        """A team both records belong to is kept once (owned wins over shared)."""
        kept = {link.team_id: link for link in cls.objects.filter(person=keep)}
        removed = []
        for link in cls.objects.filter(person=drop, team_id__in=kept):
            mine = kept[link.team_id]
            if mine.shared and not link.shared:
                mine.shared = False
                mine.save(update_fields=["shared"])
            removed.append(_row(link))
            link.delete()
        return {"removed_duplicates": removed} if removed else None


class PersonRole(models.Model):
    """A role a person holds for a time: prisoner, child, relative, staff…"""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="roles", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=32, choices=PersonRoleKind.choices)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("role of a person")
        verbose_name_plural = _("roles of the person")
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

    @classmethod
    def merge_people(cls, keep: Person, drop: Person) -> dict | None:
        """A current role both records hold is kept once, from the earlier start."""
        kept = {facet.role: facet for facet in cls.objects.filter(person=keep, end__isnull=True)}
        removed = []
        for facet in cls.objects.filter(person=drop, end__isnull=True, role__in=kept):
            mine = kept[facet.role]
            if facet.start and (mine.start is None or facet.start < mine.start):
                mine.start = facet.start
                mine.save(update_fields=["start"])
            removed.append(_row(facet))
            facet.delete()
        return {"removed_duplicates": removed} if removed else None


class Relationship(models.Model):
    """``relative`` is the ``kind`` of ``person``: e.g. Anna is the mother of Lena."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="relatives", verbose_name=_("person")
    )
    relative = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="relative_of", verbose_name=_("relative")
    )
    kind = models.CharField(_("relationship"), max_length=16, choices=RelationshipKind.choices)
    parental_responsibility = models.BooleanField(_("holds parental responsibility"), default=False)
    lives_with = models.BooleanField(_("the person lives with them now"), default=False)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
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

    @classmethod
    def merge_people(cls, keep: Person, drop: Person) -> dict | None:
        """Links between the two records go; a current link both have is kept once.

        A link recorded twice keeps the earlier start and any "yes" of the
        parental responsibility and lives-with flags; the removed row is
        returned in full for the audit entry.
        """
        between = cls.objects.filter(Q(person=keep, relative=drop) | Q(person=drop, relative=keep))
        self_links = [_row(link) for link in between]
        between.delete()
        removed = []
        for side, other in (("person", "relative"), ("relative", "person")):
            current = {
                (getattr(link, f"{other}_id"), link.kind): link
                for link in cls.objects.filter(**{side: keep}, end__isnull=True)
            }
            for link in cls.objects.filter(**{side: drop}, end__isnull=True):
                mine = current.get((getattr(link, f"{other}_id"), link.kind))
                if mine is None:
                    continue
                if link.start and (mine.start is None or link.start < mine.start):
                    mine.start = link.start
                mine.parental_responsibility |= link.parental_responsibility
                mine.lives_with |= link.lives_with
                mine.save(update_fields=["start", "parental_responsibility", "lives_with"])
                removed.append(_row(link))
                link.delete()
        if not (self_links or removed):
            return None
        return {"removed_links_between_them": self_links, "removed_duplicates": removed}


class MergedPerson(models.Model):
    """A record merged into another person: its old id and reference lead there.

    Merging moves these rows too, so after A→B and then B→C both old records
    point at C.
    """

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="merged_records",
        verbose_name=_("kept person"),
    )
    old_id = models.PositiveBigIntegerField(_("old id"))
    old_reference = models.CharField(_("old reference"), max_length=12)
    merged_at = models.DateTimeField(_("merged"), default=timezone.now)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("merged by"),
    )

    class Meta:
        verbose_name = _("merged record")
        verbose_name_plural = _("merged records")
        constraints = [
            # Also the indexes for following an old id or reference.
            models.UniqueConstraint(fields=["old_id"], name="mergedperson_old_id_unique"),
            models.UniqueConstraint(
                fields=["old_reference"], name="mergedperson_old_reference_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_reference} → {self.person_id}"


def _row(instance: models.Model) -> dict:
    """A removed row as the merge audit entry keeps it: every concrete field."""
    return {
        field.attname: _plain(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
    }


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value
