"""Projects, their KPI indicators, sessions, courses and attendance.

A *project* is what a funder pays for: a budget, a period, targets. Its
*sessions* are what actually happens (a two-day training in a colony, a
weekly online group, a family day), and *attendance* says who was there.
KPI actuals are never typed in, except for manual indicators with
evidence: :mod:`kinbridge.programmes.indicators` computes them from
sessions and attendance.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kinbridge.accounts.models import Region, Team
from kinbridge.accounts.roles import Role
from kinbridge.consents.storage import private_storage
from kinbridge.facilities.models import Facility
from kinbridge.lib.codes import reference_code
from kinbridge.partners.models import Partner
from kinbridge.people.models import Person
from kinbridge.programmes.evidence import indicator_evidence_path

# Roles that plan projects, sessions and courses and set KPI targets.
PROGRAMME_EDITORS = (Role.ADMINISTRATOR, Role.PROGRAMME_MANAGER)
# Roles that see projects, indicators and reports of their teams (analysts: aggregates only).
PROGRAMME_READERS = (
    Role.ADMINISTRATOR,
    Role.PROGRAMME_MANAGER,
    Role.CASEWORKER,
    Role.FACILITATOR,
    Role.VOLUNTEER_COORDINATOR,
    Role.ANALYST,
)
# Roles that see every session of their teams with its roster; facilitators see
# only the sessions they run.
TEAM_ROSTER_READERS = (
    Role.PROGRAMME_MANAGER,
    Role.CASEWORKER,
    Role.VOLUNTEER_COORDINATOR,
)

CURRENCIES = (
    ("RUB", "RUB"),
    ("EUR", "EUR"),
    ("GBP", "GBP"),
    ("USD", "USD"),
    ("KZT", "KZT"),
    ("KGS", "KGS"),
    ("UZS", "UZS"),
    ("UAH", "UAH"),
)

MONEY = {"max_digits": 14, "decimal_places": 2}


class TeamScopedQuerySet(models.QuerySet):
    team_path = "team"

    def visible_to(self, user):
        """Administrators see all; the other programme roles see their teams' records."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR):
            return self.all()
        if not user.has_role(*PROGRAMME_READERS):
            return self.none()
        return self.filter(**{f"{self.team_path}_id__in": user.team_ids})


class Programme(models.Model):
    """A continuing line of work ("Mom Behind Bars"), funded by one project after another."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("team")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    website = models.URLField(_("website"), blank=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="programme_unique_per_team"),
        ]

    def __str__(self) -> str:
        return self.name


class Funder(models.Model):
    """Who pays: a foundation, a lottery fund, a government grant programme."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    website = models.URLField(_("website"), blank=True)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funders",
        verbose_name=_("partner organisation"),
    )

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Running")
    CLOSED = "closed", _("Closed")


class Project(models.Model):
    """A funded piece of work with a budget, a period and KPI targets."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="projects", verbose_name=_("team")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("programme"),
    )
    title = models.CharField(_("title"), max_length=300)
    code = models.CharField(
        _("code"),
        max_length=40,
        blank=True,
        help_text=_("The funder's grant number or your own short code."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="EUR")
    total_budget = models.DecimalField(
        _("total budget"), **MONEY, validators=[MinValueValidator(Decimal(0))]
    )
    description = models.TextField(_("description"), max_length=8000, blank=True)
    target_beneficiaries = models.TextField(
        _("target beneficiaries"),
        max_length=2000,
        blank=True,
        help_text=_("Who the project is for, in the funder's words."),
    )
    facilities = models.ManyToManyField(
        Facility, blank=True, related_name="projects", verbose_name=_("facilities")
    )
    regions = models.ManyToManyField(
        Region, blank=True, related_name="projects", verbose_name=_("regions")
    )
    report_notes = models.TextField(_("notes for the funder report"), max_length=8000, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()
    audit_excluded_fields = ("created_at", "updated_at", "version")

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="project_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(total_budget__gte=0), name="project_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="project_currency_iso"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def months(self) -> int:
        """The period in whole months, as funders write it ("12 months")."""
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
        return months + (1 if self.end.day >= self.start.day - 1 else 0)


class Funding(models.Model):
    """One funder's contribution to a project."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="fundings", verbose_name=_("project")
    )
    funder = models.ForeignKey(
        Funder, on_delete=models.PROTECT, related_name="fundings", verbose_name=_("funder")
    )
    amount = models.DecimalField(_("contribution"), **MONEY)

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        ordering = ["-amount"]
        constraints = [
            models.UniqueConstraint(fields=["project", "funder"], name="funding_unique_funder"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.funder}: {self.amount}"


class BudgetLine(models.Model):
    """A line of the budget: planned and spent so far, in the project's currency."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("project")
    )
    name = models.CharField(_("budget line"), max_length=200)
    planned = models.DecimalField(_("planned"), **MONEY)
    spent = models.DecimalField(_("spent"), **MONEY, default=Decimal(0))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="budgetline_unique_name"),
            models.CheckConstraint(
                condition=Q(planned__gte=0), name="budgetline_planned_not_negative"
            ),
            models.CheckConstraint(condition=Q(spent__gte=0), name="budgetline_spent_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """A KPI of a project: a target and a kind that says how the actual is computed.

    ``kind`` names an entry of the indicator registry
    (:mod:`kinbridge.programmes.indicators`); ``parameters`` configure it
    (which session types, which characteristic…), so a programme manager
    sets up "two-day trainings" or "children under 3" without code.
    Manual indicators ("1 brochure") carry their actual and evidence here.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("project")
    )
    name = models.CharField(_("indicator"), max_length=300)
    kind = models.CharField(_("how it is counted"), max_length=40)
    parameters = models.JSONField(_("settings"), default=dict, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    position = models.PositiveSmallIntegerField(default=0)
    # Manual indicators only.
    manual_actual = models.DecimalField(
        _("achieved"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # Private: served only through the indicator evidence view (project access, audited).
    evidence = models.FileField(
        _("evidence"),
        storage=private_storage,
        upload_to=indicator_evidence_path,
        max_length=200,
        blank=True,
    )
    evidence_note = models.CharField(_("about the evidence"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("KPI indicator")
        verbose_name_plural = _("KPI indicators")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__gte=0), name="indicator_target_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(manual_actual__isnull=True) | Q(manual_actual__gte=0),
                name="indicator_actual_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SessionKind(models.TextChoices):
    TRAINING = "training", _("Training")
    CLASS = "class", pgettext_lazy("session", "Class")
    COURSE_MEETING = "course_meeting", _("Group course meeting")
    INDIVIDUAL_COUNSELLING = "individual_counselling", _("Individual counselling")
    GROUP_COUNSELLING = "group_counselling", _("Group counselling")
    BURNOUT_COUNSELLING = "burnout_counselling", _("Burnout counselling for staff")
    FAMILY_DAY = "family_day", _("Family day")
    COMMUNITY_MEETING = "community_meeting", _("Community meeting")
    ONLINE_SEMINAR = "online_seminar", _("Online seminar")
    SELF_HELP_GROUP = "self_help_group", _("Self-help group meeting")
    RESUSCITATION_REFRESHER = "resuscitation_refresher", _("Resuscitation refresher")
    DISTRIBUTION = "distribution", _("Distribution of goods")
    DAYCARE = "daycare", _("Preschool and daycare")


class Audience(models.TextChoices):
    PREGNANT_WOMEN = "pregnant_women", _("Pregnant women")
    MOTHERS = "mothers", _("Mothers")
    CHILDREN = "children", _("Children")
    PRISONERS = "prisoners", _("Prisoners")
    RELATIVES = "relatives", _("Relatives and caregivers")
    CHILDRENS_HOME_STAFF = "childrens_home_staff", _("Children's home staff")
    PRISON_STAFF = "prison_staff", _("Prison staff")
    PROFESSIONALS = "professionals", _("Professionals")
    PUBLIC = "public", _("The public")


class PlaceKind(models.TextChoices):
    FACILITY = "facility", _("In a facility")
    COMMUNITY = "community", _("Community venue")
    ONLINE = "online", _("Online")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Course(models.Model):
    """A course of N meetings with enrolment, a waitlist and a completion rule."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="courses", verbose_name=_("team")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("project"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    planned_sessions = models.PositiveSmallIntegerField(
        _("number of sessions"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    completion_percent = models.PositiveSmallIntegerField(
        _("completed when attended at least (%)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    referring_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("run with partner"),
    )
    parcels = models.BooleanField(
        _("a parcel is sent to each participant before the first session"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-created_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completion_percent__gte=1, completion_percent__lte=100),
                name="course_completion_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(planned_sessions__gte=1), name="course_has_sessions"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITLISTED = "waitlisted", _("On the waitlist")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("course")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("person")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )
    enrolled_on = models.DateField(_("enrolled on"), default=dt.date.today)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True, editable=False)
    referred_by = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("referred by"),
    )
    withdrawn_on = models.DateField(_("withdrew on"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawing"), max_length=300, blank=True)
    parcel_sent_on = models.DateField(_("parcel sent on"), null=True, blank=True)

    erasable_fields = ("withdrawal_reason",)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["status", "waitlist_position", "enrolled_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="enrolment_once_per_course"),
            models.CheckConstraint(
                condition=Q(status=EnrolmentStatus.WITHDRAWN, withdrawn_on__isnull=False)
                | (~Q(status=EnrolmentStatus.WITHDRAWN) & Q(withdrawn_on__isnull=True)),
                name="enrolment_withdrawal_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status=EnrolmentStatus.WITHDRAWN) | ~Q(withdrawal_reason=""),
                name="enrolment_withdrawal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=EnrolmentStatus.WAITLISTED, waitlist_position__isnull=False)
                | (~Q(status=EnrolmentStatus.WAITLISTED) & Q(waitlist_position__isnull=True)),
                name="enrolment_waitlist_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course}: {self.get_status_display()}"

    @classmethod
    def merge_people(cls, keep: Person, drop: Person) -> dict | None:
        """A course both records are enrolled in keeps the kept person's enrolment."""
        both = cls.objects.filter(person=drop, course__enrolments__person=keep)
        removed = list(both.values_list("pk", flat=True))
        both.delete()
        return {"enrolments_removed": removed} if removed else None


class SessionSeries(models.Model):
    """A recurrence: every week for a term, every six weeks, until a date or N times."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="session_series", verbose_name=_("team")
    )
    title = models.CharField(_("title"), max_length=300)
    every_weeks = models.PositiveSmallIntegerField(
        _("every (weeks)"), validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    occurrences = models.PositiveSmallIntegerField(
        _("number of sessions"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("series of sessions")
        verbose_name_plural = _("series of sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(every_weeks__gte=1), name="series_interval_positive"
            ),
            models.CheckConstraint(
                condition=Q(occurrences__gte=1), name="series_occurrences_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Administrators see all; managers, caseworkers and coordinators their teams';
        facilitators the sessions they run; analysts their teams' (without rosters)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR):
            return self.all()
        mine = Q(facilitators=user)
        if user.has_role(*TEAM_ROSTER_READERS, Role.ANALYST):
            return self.filter(
                Q(team_id__in=user.team_ids) | Q(pk__in=self.filter(mine).values("pk"))
            )
        if user.has_role(Role.FACILITATOR):
            return self.filter(pk__in=Session.objects.filter(mine).values("pk"))
        return self.none()

    def with_rosters_for(self, user):
        """The sessions whose rosters (names of participants) the user may read."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR):
            return self.all()
        mine = Session.objects.filter(facilitators=user).values("pk")
        if user.has_role(*TEAM_ROSTER_READERS):
            return self.filter(Q(team_id__in=user.team_ids) | Q(pk__in=mine))
        if user.has_role(Role.FACILITATOR):
            return self.filter(pk__in=mine)
        return self.none()

    def held(self):
        return self.filter(status=SessionStatus.HELD)


class Session(models.Model):
    """One activity: a training over one or more days, a class, a family day…"""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("team")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("project"),
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("course"),
    )
    series = models.ForeignKey(
        SessionSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("series"),
    )
    kind = models.CharField(_("type"), max_length=32, choices=SessionKind.choices)
    topic = models.CharField(_("topic"), max_length=300)
    module = models.CharField(_("curriculum module"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    place_kind = models.CharField(_("where"), max_length=12, choices=PlaceKind.choices)
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("facility or venue"),
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_link = models.URLField(_("link to join"), max_length=500, blank=True)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    # The local start date, its month and the number of calendar days, kept by
    # save(): KPIs count "two-day trainings" and group by month without date
    # functions in SQL (SQLite runs those in Python, row by row).
    start_date = models.DateField(editable=False)
    month = models.DateField(editable=False)
    day_count = models.PositiveSmallIntegerField(_("days"), default=1, editable=False)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_sessions",
        verbose_name=_("facilitators"),
    )
    external_facilitators = models.ManyToManyField(
        Person,
        through="ExternalFacilitator",
        blank=True,
        related_name="facilitated_sessions",
        verbose_name=_("external specialists"),
    )
    audience = models.JSONField(_("audience"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    unnamed_headcount = models.PositiveIntegerField(
        _("participants not named"),
        default=0,
        help_text=_("People counted at a public event without recording their names."),
    )
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()
    audit_excluded_fields = ("created_at", "updated_at", "start_date", "month", "day_count")

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(day_count__gte=1), name="session_day_count_positive"
            ),
            models.CheckConstraint(
                condition=~Q(place_kind="facility") | Q(facility__isnull=False),
                name="session_facility_named",
            ),
            models.CheckConstraint(
                condition=~Q(place_kind="online") | ~Q(online_link="") | Q(status="cancelled"),
                name="session_online_has_link",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "status", "kind"], name="session_project_kind_idx"),
            models.Index(fields=["team", "start"], name="session_team_start_idx"),
            models.Index(fields=["course", "start"], name="session_course_idx"),
        ]

    def __str__(self) -> str:
        return self.topic

    def save(self, *args, **kwargs):
        self.fill_calendar()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "start_date", "month", "day_count"}
        super().save(*args, **kwargs)

    def fill_calendar(self) -> None:
        """Derive start_date, month and day_count; save() calls it, bulk_create callers must."""
        self.start_date, self.day_count = calendar_span(self.start, self.end)
        self.month = self.start_date.replace(day=1)

    def get_audience_display(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels.get(code, code)) for code in self.audience or []]


def calendar_span(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, int]:
    """The local start date and the number of calendar days a session spans."""
    if timezone.is_aware(start):
        start = timezone.localtime(start)
    if timezone.is_aware(end):
        end = timezone.localtime(end)
    days = (end.date() - start.date()).days + 1
    # A session ending exactly at midnight does not spill into the next day.
    if end.time() == dt.time(0, 0) and days > 1:
        days -= 1
    return start.date(), max(days, 1)


class ExternalFacilitator(models.Model):
    """An external specialist (a neonatologist, a perinatal psychologist) leading a session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("external specialist of a session")
        verbose_name_plural = _("external specialists of sessions")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="externalfacilitator_once"),
        ]

    def __str__(self) -> str:
        return str(self.person_id)

    @classmethod
    def merge_people(cls, keep: Person, drop: Person) -> dict | None:
        both = cls.objects.filter(
            person=drop, session__in=cls.objects.filter(person=keep).values("session")
        )
        removed = list(both.values_list("session_id", flat=True))
        both.delete()
        return {"sessions_led_by_both": removed} if removed else None


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class AttendanceSource(models.TextChoices):
    SCREEN = "screen", _("On screen")
    PAPER = "paper", _("Paper register")
    IMPORT = "import", _("File upload")
    API = "api", _("API")


class AttendanceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Names on a roster: only for those who may read the session's roster."""
        return self.filter(session__in=Session.objects.with_rosters_for(user))


class Attendance(models.Model):
    """Whether one person was at one session. Recording twice updates the one row."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("person")
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    with_adult = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accompanied_attendance",
        verbose_name=_("came with"),
        help_text=_("For a child attending with their mother or carer."),
    )
    outside_audience_reason = models.CharField(
        _("why they attended although outside the audience"), max_length=300, blank=True
    )
    source = models.CharField(
        _("recorded from"),
        max_length=8,
        choices=AttendanceSource.choices,
        default=AttendanceSource.SCREEN,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = AttendanceQuerySet.as_manager()
    erasable_fields = ("outside_audience_reason",)
    audit_excluded_fields = ("recorded_at",)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="attendance_once_per_session"
            ),
            models.CheckConstraint(
                condition=Q(with_adult__isnull=True) | ~Q(with_adult=F("person")),
                name="attendance_not_with_self",
            ),
        ]
        indexes = [
            # KPI engine: distinct present persons of a project's sessions.
            models.Index(fields=["session", "status", "person"], name="attendance_kpi_idx"),
            models.Index(fields=["person"], name="attendance_person_idx"),
        ]

    def __str__(self) -> str:
        return self.get_status_display()

    @classmethod
    def merge_people(cls, keep: Person, drop: Person) -> dict | None:
        """A session both records attended keeps the kept person's row."""
        both = cls.objects.filter(person=drop, session__attendance__person=keep)
        removed = list(both.values_list("pk", flat=True))
        both.delete()
        return {"attendance_removed": removed} if removed else None


class Handout(models.Model):
    """A handout given at a session (a new one each week of a course)."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="handouts", verbose_name=_("session")
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="handouts/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("handout")
        verbose_name_plural = _("handouts")
        ordering = ["session", "title"]
        constraints = [
            models.UniqueConstraint(fields=["session", "title"], name="handout_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title


class HandoutReceipt(models.Model):
    """Who received a handout (by post, online or in the room)."""

    handout = models.ForeignKey(
        Handout, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("handout")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="handouts_received", verbose_name=_("person")
    )
    received_on = models.DateField(_("received on"), default=dt.date.today)

    class Meta:
        verbose_name = _("handout received")
        verbose_name_plural = _("handouts received")
        constraints = [
            models.UniqueConstraint(fields=["handout", "person"], name="handoutreceipt_once"),
        ]

    def __str__(self) -> str:
        return str(self.handout)

    @classmethod
    def merge_people(cls, keep: Person, drop: Person) -> dict | None:
        both = cls.objects.filter(person=drop, handout__receipts__person=keep)
        removed = list(both.values_list("pk", flat=True))
        both.delete()
        return {"handout_receipts_removed": removed} if removed else None


def register_code() -> str:
    return reference_code("R")


class RegisterSheet(models.Model):
    """A printed paper register for a session where devices are banned.

    Its code is printed on the sheet; entering the code brings back the
    same lines in the same order, so ticks on paper become attendance.
    """

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="register_sheets", verbose_name=_("session")
    )
    code = models.CharField(_("sheet code"), max_length=12, unique=True, default=register_code)
    show_names = models.BooleanField(_("names printed"), default=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    printed_at = models.DateTimeField(auto_now_add=True)
    entered_at = models.DateTimeField(_("entered back on"), null=True, blank=True)
    # Empty numbered lines printed after the named ones, for walk-ins (entered by reference).
    blank_lines = models.PositiveSmallIntegerField(_("blank lines for walk-ins"), default=0)

    class Meta:
        verbose_name = _("paper register")
        verbose_name_plural = _("paper registers")
        ordering = ["-printed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(blank_lines__lte=60), name="registersheet_blank_lines_range"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class RegisterLine(models.Model):
    """Line ``number`` of a printed register: who was printed there."""

    sheet = models.ForeignKey(
        RegisterSheet, on_delete=models.CASCADE, related_name="lines", verbose_name=_("sheet")
    )
    number = models.PositiveSmallIntegerField(_("line"))
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="register_lines", verbose_name=_("person")
    )

    class Meta:
        verbose_name = _("line of a paper register")
        verbose_name_plural = _("lines of paper registers")
        ordering = ["sheet", "number"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "number"], name="registerline_unique_number"),
            models.UniqueConstraint(fields=["sheet", "person"], name="registerline_person_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="registerline_number_positive"),
        ]

    def __str__(self) -> str:
        return str(self.number)

    @classmethod
    def merge_people(cls, keep: Person, drop: Person) -> dict | None:
        """On a sheet that lists both records, the dropped record's line is removed."""
        both = cls.objects.filter(person=drop, sheet__lines__person=keep)
        removed = list(both.values_list("sheet__code", "number"))
        both.delete()
        return {"register_lines_removed": removed} if removed else None
