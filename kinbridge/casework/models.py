"""Casework: cases, referrals in and out, needs and plans, services, notes, tasks, risk flags.

A *case* is the organisation's one-to-one work with a client (a mother in
prison, a relative, a caregiver) and the family members linked to it. Its
status moves through a workflow (:data:`TRANSITIONS`); every move is a
:class:`CaseEvent` on the case timeline. A *referral* brings a person into
the intake queue (from a partner, prison staff, the person themselves or the
public request-help form) until a coordinator accepts it (creating or linking
the person and the case) or declines it. Services, notes, tasks, referrals
out and status changes make up the case timeline (:mod:`.timeline`).

Access (who sees which case, note and flag) lives in :mod:`.access`; every
change goes through the ``*_actions`` modules, which check permissions,
validate by field, lock by version and write the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kinbridge.accounts.models import Region, Team
from kinbridge.accounts.roles import Role
from kinbridge.consents.models import Consent
from kinbridge.facilities.models import Facility
from kinbridge.partners.models import Partner
from kinbridge.people.models import Person

# Roles that work on the cases of their teams (read, log services, write notes, triage).
CASE_ROLES = (Role.PROGRAMME_MANAGER, Role.CASEWORKER)
# Roles that supervise a team's cases: restricted risk flags and the team's caseloads.
SUPERVISOR_ROLES = (Role.PROGRAMME_MANAGER,)

MAX_SERVICE_MINUTES = 24 * 60


class CaseType(models.TextChoices):
    TARGETED_ASSISTANCE = "targeted_assistance", _("Targeted assistance for relatives")
    FAMILY_CASEWORK = "family_casework", _("Family casework")
    PSYCHOLOGICAL_SUPPORT = "psychological_support", _("Psychological support")
    VISITING_SUPPORT = "visiting_support", _("Visiting support")


class CaseStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ASSESSMENT = "assessment", _("Assessment")
    ACTIVE = "active", _("Active")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Closed")


# The workflow: from each status, the statuses a case may move to. A closed case
# moves on only by being reopened (with a reason), back to assessment.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    CaseStatus.REFERRED: (CaseStatus.ASSESSMENT, CaseStatus.CLOSING),
    CaseStatus.ASSESSMENT: (CaseStatus.ACTIVE, CaseStatus.CLOSING),
    CaseStatus.ACTIVE: (CaseStatus.CLOSING,),
    CaseStatus.CLOSING: (CaseStatus.ACTIVE, CaseStatus.CLOSED),
    CaseStatus.CLOSED: (CaseStatus.ASSESSMENT,),
}
OPEN_STATUSES = (
    CaseStatus.REFERRED,
    CaseStatus.ASSESSMENT,
    CaseStatus.ACTIVE,
    CaseStatus.CLOSING,
)


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals of the plan met")
    CLIENT_ENDED = "client_ended", _("The client ended the work")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    REFERRED_ON = "referred_on", _("Referred on to another service")
    MOVED_AWAY = "moved_away", _("Moved out of the area")
    RELEASED = "released", _("Released and settled")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible for the service")
    OTHER = "other", _("Other")


class CaseOutcome(models.TextChoices):
    IMPROVED = "improved", _("Situation improved")
    PARTLY_IMPROVED = "partly_improved", _("Partly improved")
    UNCHANGED = "unchanged", _("Unchanged")
    WORSE = "worse", _("Worse")
    NOT_KNOWN = "not_known", _("Not known")


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Administrators: every case. Caseworkers and programme managers: their teams'
        cases. Anyone assigned to a case (lead or other worker): that case. Others: none."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR):
            return self.all()
        assigned = Q(lead_worker=user) | Q(
            models.Exists(CaseWorker.objects.filter(case_id=models.OuterRef("pk"), user=user))
        )
        if user.has_role(*CASE_ROLES):
            return self.filter(Q(team_id__in=user.team_ids) | assigned)
        return self.filter(assigned)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Case(models.Model):
    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    client = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("client")
    )
    case_type = models.CharField(_("case type"), max_length=32, choices=CaseType.choices)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="cases", verbose_name=_("team")
    )
    # The project that pays for the work: its KPI indicators count this case's services.
    project = models.ForeignKey(
        "programmes.Project",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("project"),
        null=True,
        blank=True,
    )
    lead_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_led",
        verbose_name=_("lead worker"),
        null=True,
        blank=True,
    )
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CaseWorker",
        related_name="cases_shared",
        verbose_name=_("other workers"),
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.REFERRED
    )
    summary = models.TextField(
        _("presenting situation"),
        max_length=4000,
        blank=True,
        help_text=_("Why the client came to us, in a few sentences."),
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=24, choices=ClosureReason.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=24, choices=CaseOutcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome in words"), max_length=2000, blank=True)
    next_review_on = models.DateField(_("next plan review"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = CaseQuerySet.as_manager()
    audit_excluded_fields = ("updated_at", "version")
    erasable_fields = ("summary", "outcome_note")
    # What a form or the API may set directly; status, closure and workers have actions.
    EDITABLE_FIELDS = ("case_type", "summary", "project", "next_review_on")

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(case_type__in=CaseType.values), name="case_type_valid"
            ),
            # Past triage, someone leads the case.
            models.CheckConstraint(
                condition=Q(status=CaseStatus.REFERRED) | Q(lead_worker__isnull=False),
                name="case_lead_worker_after_referral",
            ),
            # A closed case has a closing date, reason and outcome; an open one none.
            models.CheckConstraint(
                condition=(
                    Q(status=CaseStatus.CLOSED)
                    & Q(closed_on__isnull=False)
                    & ~Q(closure_reason="")
                    & ~Q(outcome="")
                )
                | (~Q(status=CaseStatus.CLOSED) & Q(closed_on__isnull=True)),
                name="case_closed_has_date_reason_outcome",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="case_closed_after_opened",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "status"], name="case_team_status_idx"),
            models.Index(fields=["lead_worker", "status"], name="case_lead_status_idx"),
            models.Index(fields=["project", "opened_on"], name="case_project_opened_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    def audit_label(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def allowed_transitions(self) -> tuple[str, ...]:
        return TRANSITIONS[self.status]


class CaseWorker(models.Model):
    """A worker other than the lead who works on (and so sees) the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="worker_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_links"
    )
    added_on = models.DateField(_("added on"), auto_now_add=True)

    class Meta:
        verbose_name = _("case worker")
        verbose_name_plural = _("case workers")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="caseworker_unique"),
        ]
        indexes = [models.Index(fields=["user", "case"], name="caseworker_user_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.user_id}"


class CaseMember(models.Model):
    """A family member linked to the case (a child, a partner, a grandmother caring)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="case_memberships", verbose_name=_("person")
    )
    role_in_case = models.CharField(
        _("role in the case"),
        max_length=100,
        blank=True,
        help_text=_("For example: daughter, caring grandmother."),
    )
    added_on = models.DateField(_("added on"), auto_now_add=True)

    class Meta:
        verbose_name = _("family member in a case")
        verbose_name_plural = _("family members in cases")
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="casemember_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.person_id}"

    @classmethod
    def merge_people(cls, keep: Person, drop: Person) -> dict | None:
        """A case listing both records keeps the kept person's row."""
        both = cls.objects.filter(person=drop, case__members__person=keep)
        removed = list(both.values_list("case_id", flat=True))
        both.delete()
        return {"case_members_removed": removed} if removed else None


class CaseEventKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    STATUS = "status", _("Status changed")
    REOPENED = "reopened", _("Case reopened")
    CLOSED = "closed", _("Case closed")
    LEAD_CHANGED = "lead_changed", _("Lead worker changed")
    PLAN_REVIEWED = "plan_reviewed", _("Plan reviewed")


class CaseEvent(models.Model):
    """A moment in the case's life that is not a record of its own: status changes,
    reopening with its reason, a new lead worker, a plan review."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=16, choices=CaseEventKind.choices)
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    erasable_fields = ("reason",)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "at"], name="caseevent_case_at_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"


# --- Referrals in: the intake queue --------------------------------------------------


class ReferralSource(models.TextChoices):
    PARTNER = "partner", _("A partner organisation")
    SELF = "self", _("Self-referral")
    PRISON_STAFF = "prison_staff", _("Prison staff")
    PUBLIC_FORM = "public_form", _("The public request-help form")
    OTHER = "other", _("Other")


class ReferralStatus(models.TextChoices):
    NEW = "new", _("Waiting for triage")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ContactSafety(models.TextChoices):
    """The safe-contact question of the request-help form (and of a phone referral)."""

    SAFE = "safe", _("Safe to call and to leave a message")
    CALL_ONLY = "call_only", _("Safe to call, but leave no message")
    WRITE_ONLY = "write_only", _("Do not call; write only")
    NOT_KNOWN = "not_known", _("Not asked or not known")


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Administrators: all. Caseworkers and programme managers: their teams'.
        Unassigned referrals (no team yet, e.g. from the public form) go to every
        caseworker and programme manager, who route them."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR):
            return self.all()
        if not user.has_role(*CASE_ROLES):
            return self.none()
        return self.filter(Q(team_id__in=user.team_ids) | Q(team__isnull=True))


class Referral(models.Model):
    """A referral in: who asked for help for whom, waiting in the intake queue.

    The person is described in the referral's own fields until triage links or
    creates a Person record: a referral from the public form must not create
    anyone in the registry before a coordinator has looked at it.
    """

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    source = models.CharField(_("source"), max_length=16, choices=ReferralSource.choices)
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("team"),
        null=True,
        blank=True,
        help_text=_("Leave empty when it is not yet clear which team should take it."),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="referrals_made",
        verbose_name=_("referring partner"),
        null=True,
        blank=True,
    )
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        related_name="referrals_made",
        verbose_name=_("referring facility"),
        null=True,
        blank=True,
    )
    referrer_name = models.CharField(_("referrer's name"), max_length=200, blank=True)
    referrer_contact = models.CharField(_("referrer's contact"), max_length=200, blank=True)
    received_on = models.DateField(_("received on"))
    # The person referred, as the referrer described them.
    given_name = models.CharField(_("first name or alias"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    contact_safety = models.CharField(
        _("is it safe to contact them?"),
        max_length=16,
        choices=ContactSafety.choices,
        default=ContactSafety.NOT_KNOWN,
    )
    safe_contact_note = models.CharField(_("how to reach them safely"), max_length=300, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        null=True,
        blank=True,
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    case_type = models.CharField(
        _("kind of help"), max_length=32, choices=CaseType.choices, blank=True
    )
    needs = models.JSONField(_("needs mentioned"), default=list, blank=True)
    description = models.TextField(_("what they need, in words"), max_length=4000, blank=True)
    consent_to_contact = models.BooleanField(_("the person agreed to be contacted"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.NEW
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("person"),
        null=True,
        blank=True,
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="referrals_in",
        verbose_name=_("case"),
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReferralQuerySet.as_manager()
    audit_excluded_fields = ("version",)
    erasable_fields = (
        "given_name",
        "family_name",
        "phone",
        "email",
        "safe_contact_note",
        "description",
        "referrer_name",
        "referrer_contact",
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(given_name=""), name="referral_given_name_required"
            ),
            models.CheckConstraint(
                condition=~Q(source=ReferralSource.PARTNER) | Q(partner__isnull=False),
                name="referral_partner_source_names_partner",
            ),
            # Accepted: a person and a case. Declined: a reason. New: neither.
            models.CheckConstraint(
                condition=(
                    Q(status=ReferralStatus.ACCEPTED)
                    & Q(person__isnull=False)
                    & Q(case__isnull=False)
                    & Q(decided_at__isnull=False)
                )
                | (
                    Q(status=ReferralStatus.DECLINED)
                    & ~Q(decline_reason="")
                    & Q(decided_at__isnull=False)
                )
                | (
                    Q(status=ReferralStatus.NEW) & Q(case__isnull=True) & Q(decided_at__isnull=True)
                ),
                name="referral_decision_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "received_on"], name="referral_queue_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    def audit_label(self) -> str:
        return self.reference


# --- Referrals out -------------------------------------------------------------------


class SharedItem(models.TextChoices):
    """What was shared with a partner (recorded, so a subject-access request can tell)."""

    CONTACT = "contact", _("Name and contact details")
    SITUATION = "situation", _("The situation in brief")
    NEEDS = "needs", _("Needs")
    CUSTODY = "custody", _("Custody and release dates")
    CHILDREN = "children", _("Children and caregivers")
    RISKS = "risks", _("Known risks")


class ReferralOutStatus(models.TextChoices):
    SENT = "sent", _("Sent, waiting for an answer")
    ACCEPTED = "accepted", _("Accepted by the partner")
    DECLINED = "declined", _("Declined by the partner")
    NO_ANSWER = "no_answer", _("No answer")
    COMPLETED = "completed", _("Help given")


class ReferralOut(models.Model):
    """The case referred the client to a partner organisation, under a sharing consent."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals_out")
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("partner organisation"),
    )
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        related_name="referrals_out",
        verbose_name=_("consent to share"),
    )
    reason = models.TextField(_("what the partner is asked to do"), max_length=2000)
    shared_items = models.JSONField(_("what was shared"), default=list)
    shared_note = models.TextField(_("shared in words"), max_length=2000, blank=True)
    sent_on = models.DateField(_("sent on"))
    status = models.CharField(
        _("answer"),
        max_length=16,
        choices=ReferralOutStatus.choices,
        default=ReferralOutStatus.SENT,
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_note = models.TextField(_("answer in words"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_excluded_fields = ("version",)
    erasable_fields = ("reason", "shared_note", "answer_note")

    class Meta:
        verbose_name = _("referral out")
        verbose_name_plural = _("referrals out")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ReferralOutStatus.SENT) | Q(answered_on__isnull=False),
                name="referralout_answer_dated",
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("sent_on")),
                name="referralout_answer_after_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} -> {self.partner_id}"


# --- Needs and plan -------------------------------------------------------------------


class NeedType(models.Model):
    """The configurable list of needs. Built-in ones have a code and a translated label;
    an administrator adds the organisation's own (named in its working language)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        from kinbridge.casework.needs import need_label

        return need_label(self)


class Severity(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    CRITICAL = 4, _("Critical")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    NOT_RELEVANT = "not_relevant", _("No longer relevant")


class CaseNeed(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="needs")
    need = models.ForeignKey(
        NeedType, on_delete=models.PROTECT, related_name="+", verbose_name=_("need")
    )
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=Severity.choices, default=Severity.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    identified_on = models.DateField(_("identified on"))
    note = models.TextField(_("note"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    erasable_fields = ("note",)
    audit_excluded_fields = ("updated_at",)

    class Meta:
        verbose_name = _("case need")
        verbose_name_plural = _("case needs")
        ordering = ["-severity", "need__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "need"], name="caseneed_unique"),
            models.CheckConstraint(
                condition=Q(severity__gte=1, severity__lte=4), name="caseneed_severity_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.need_id}"


class GoalStatus(models.TextChoices):
    PLANNED = "planned", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    DROPPED = "dropped", _("Dropped")


class Goal(models.Model):
    """A goal of the case plan, usually answering one need."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    need = models.ForeignKey(
        CaseNeed,
        on_delete=models.SET_NULL,
        related_name="goals",
        verbose_name=_("need it answers"),
        null=True,
        blank=True,
    )
    description = models.TextField(_("goal"), max_length=1000)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    erasable_fields = ("description",)
    audit_excluded_fields = ("updated_at", "version")

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["target_date", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="goal_description_required"),
        ]

    def __str__(self) -> str:
        return f"goal {self.pk} (case {self.case_id})"


class PlanReview(models.Model):
    """The plan was reviewed on a date (with the client), and the next review set."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    erasable_fields = ("note",)

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True) | Q(next_review_on__gt=F("reviewed_on")),
                name="planreview_next_after_this",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.reviewed_on}"


# --- Services ---------------------------------------------------------------------------


class ServiceType(models.TextChoices):
    COUNSELLING = "counselling", _("Counselling")
    INFORMATION = "information", _("Information")
    MEDIATION = "mediation", _("Mediation")
    REPRESENTATION = "representation", _("Representation")
    ESCORT = "escort", _("Escort")
    CONTACT = "contact", _("Casework contact")
    TRANSPORT = "transport", _("Transport")
    ADVOCACY = "advocacy", _("Advocacy")
    PSYCHOLOGICAL = "psychological", _("Psychological support session")


class ServiceMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    ONLINE = "online", _("Online")
    IN_PRISON = "in_prison", _("In prison")


class Service(models.Model):
    """One service given: what, how, when, how long, by whom, to whom."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    service_type = models.CharField(_("service"), max_length=16, choices=ServiceType.choices)
    mode = models.CharField(_("mode"), max_length=16, choices=ServiceMode.choices)
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="services_given",
        verbose_name=_("worker"),
    )
    # The client, or a family member linked to the case.
    recipient = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="services_received",
        verbose_name=_("received by"),
    )
    note = models.CharField(_("short note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    erasable_fields = ("note",)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service_type__in=ServiceType.values), name="service_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=ServiceMode.values), name="service_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_SERVICE_MINUTES),
                name="service_duration_range",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "date"], name="service_case_date_idx"),
            models.Index(fields=["date", "service_type"], name="service_date_type_idx"),
            models.Index(fields=["worker", "date"], name="service_worker_date_idx"),
        ]

    def __str__(self) -> str:
        return f"service {self.pk} (case {self.case_id})"


# --- Notes ---------------------------------------------------------------------------------


class Note(models.Model):
    """A case note. Confidential notes are read only by the case's own workers and
    administrators, and every read of one is audited. Edits keep the earlier text
    as :class:`NoteVersion` rows."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    confidential = models.BooleanField(_("confidential"), default=False)
    body = models.TextField(_("note"), max_length=20000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    # Note text never enters the audit trail (it is kept in NoteVersion, under the
    # note's own access rule); the trail records that it changed.
    audit_redacted_fields = ("body",)
    audit_excluded_fields = ("updated_at", "version")
    erasable_fields = ("body",)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="note_body_required")]
        indexes = [models.Index(fields=["case", "created_at"], name="note_case_created_idx")]

    def __str__(self) -> str:
        return f"note {self.pk} (case {self.case_id})"

    def audit_label(self) -> str:
        return f"note {self.pk} (case {self.case_id})"


class NoteVersion(models.Model):
    """The text of a note as it was before an edit."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    body = models.TextField(max_length=20000)
    confidential = models.BooleanField(default=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    edited_at = models.DateTimeField()

    erasable_fields = ("body",)

    class Meta:
        verbose_name = _("earlier version of a note")
        verbose_name_plural = _("earlier versions of notes")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["note", "version"], name="noteversion_unique"),
        ]

    def __str__(self) -> str:
        return f"note {self.note_id} v{self.version}"


# --- Tasks -----------------------------------------------------------------------------------


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=TaskStatus.OPEN)

    def visible_to(self, user):
        """A task is seen by its assignee, and by whoever sees its case."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR):
            return self.all()
        return self.filter(Q(assignee=user) | Q(case__in=Case.objects.visible_to(user)))


class Task(models.Model):
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name=_("case"),
        null=True,
        blank=True,
    )
    title = models.CharField(_("task"), max_length=200)
    details = models.TextField(_("details"), max_length=2000, blank=True)
    due_on = models.DateField(_("due on"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("assigned to"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = TaskQuerySet.as_manager()
    audit_excluded_fields = ("version",)
    erasable_fields = ("details",)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="task_title_required"),
            models.CheckConstraint(
                condition=(Q(status=TaskStatus.OPEN) & Q(completed_at__isnull=True))
                | (~Q(status=TaskStatus.OPEN) & Q(completed_at__isnull=False)),
                name="task_completion_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["assignee", "status", "due_on"], name="task_assignee_due_idx"),
            models.Index(fields=["case", "status"], name="task_case_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"task {self.pk}" + (f" (case {self.case_id})" if self.case_id else "")


class DigestDelivery(models.Model):
    """The daily digest went to this user on this day: cron and the worker can both run
    it, and a retry after a crash sends nothing twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    task_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digestdelivery_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.day}"


# --- Risk flags ------------------------------------------------------------------------------


class RiskKind(models.TextChoices):
    SELF_HARM = "self_harm", _("Self-harm")
    CHILD_PROTECTION = "child_protection", _("Child-protection concern")
    DOMESTIC_ABUSE = "domestic_abuse", _("Domestic abuse")
    CHILD_ABANDONMENT = "child_abandonment", _("Risk of child abandonment")


class AbandonmentReason(models.TextChoices):
    """Seed 000's three reasons a mother in a colony may give up her baby."""

    NO_FAMILY_SUPPORT = "no_family_support", _("No support from the family")
    STAFF_ATTITUDE = "staff_attitude", _("The attitude of the colony's staff")
    MOTHERS_UNCERTAINTY = "mothers_uncertainty", _("The mother's own uncertainty")


class RiskFlag(models.Model):
    """A risk on a case. Seen only by the case's workers, the team's supervisors
    (programme managers) and administrators; others see that a restricted flag exists."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_flags")
    kind = models.CharField(_("risk"), max_length=24, choices=RiskKind.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    raised_on = models.DateField(_("raised on"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("raised by"),
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    resolution_note = models.TextField(_("how it was resolved"), max_length=2000, blank=True)

    audit_redacted_fields = ("note", "resolution_note")
    erasable_fields = ("note", "resolution_note")

    class Meta:
        verbose_name = _("risk flag")
        verbose_name_plural = _("risk flags")
        ordering = ["resolved_on", "-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RiskKind.values), name="riskflag_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("raised_on")),
                name="riskflag_resolved_after_raised",
            ),
        ]
        indexes = [models.Index(fields=["case", "resolved_on"], name="riskflag_case_idx")]

    def __str__(self) -> str:
        return f"flag {self.pk} (case {self.case_id})"
