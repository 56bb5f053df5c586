"""Forms of the intake queue, the triage page and referrals out. They parse and convert;
the rules live in :mod:`.intake` and :mod:`.referral_actions`."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinbridge.accounts.models import Region, Team, User
from kinbridge.accounts.roles import Role
from kinbridge.casework.intake import STAFF_SOURCES
from kinbridge.casework.models import (
    CASE_ROLES,
    CaseType,
    ContactSafety,
    NeedType,
    ReferralOutStatus,
    ReferralSource,
    SharedItem,
)
from kinbridge.casework.needs import need_label
from kinbridge.casework.referral_actions import ANSWERS, NEW_PERSON_ROLES
from kinbridge.facilities.models import Facility
from kinbridge.partners.models import Partner
from kinbridge.people.models import Person, PersonRoleKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


def need_choices() -> list[tuple[str, str]]:
    return [(need.code, need_label(need)) for need in NeedType.objects.filter(is_active=True)]


def case_teams(user):
    """Teams the user may open cases (and file referrals) for."""
    teams = Team.objects.active()
    if user.has_role(Role.ADMINISTRATOR):
        return teams
    return teams.filter(pk__in=user.team_ids)


def lead_workers(user):
    """Who may lead a case: active casework staff of the user's teams (all, for admins)."""
    users = User.objects.filter(
        is_active=True, groups__name__in=[Role.ADMINISTRATOR, *CASE_ROLES]
    ).order_by("first_name", "last_name", "username")
    if not user.has_role(Role.ADMINISTRATOR):
        users = users.filter(memberships__team_id__in=user.team_ids)
    return users.distinct()


class ReferralForm(forms.Form):
    """A referral recorded by staff (from a partner, prison staff, the person, other)."""

    source = forms.ChoiceField(
        label=_("Referred by"),
        choices=[(value, ReferralSource(value).label) for value in STAFF_SOURCES],
        widget=forms.RadioSelect,
    )
    partner = forms.ModelChoiceField(
        label=_("Referring partner"), queryset=Partner.objects.none(), required=False
    )
    facility = forms.ModelChoiceField(
        label=_("Referring facility"), queryset=Facility.objects.none(), required=False
    )
    referrer_name = forms.CharField(label=_("Referrer's name"), max_length=200, required=False)
    referrer_contact = forms.CharField(
        label=_("Referrer's contact"), max_length=200, required=False
    )
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("Not decided yet"),
        help_text=_("Leave empty when it is not yet clear which team should take it."),
    )
    given_name = forms.CharField(label=_("First name or alias"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    contact_safety = forms.ChoiceField(
        label=_("Is it safe to contact them?"),
        choices=ContactSafety.choices,
        initial=ContactSafety.NOT_KNOWN,
    )
    safe_contact_note = forms.CharField(
        label=_("How to reach them safely"),
        max_length=300,
        required=False,
        help_text=_("For example: only through her sister; or why there is no way to reach them."),
    )
    consent_to_contact = forms.BooleanField(
        label=_("The person agreed to be contacted"), required=False
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("name"), required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", "—"), *settings.LANGUAGES], required=False
    )
    case_type = forms.ChoiceField(
        label=_("Kind of help"), choices=[("", "—"), *CaseType.choices], required=False
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs mentioned"), required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("What they need, in words"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    fieldsets = (
        (
            _("Who referred"),
            ("source", "partner", "facility", "referrer_name", "referrer_contact", "received_on"),
        ),
        (_("The person"), ("given_name", "family_name", "birth_date", "region", "language")),
        (
            _("Reaching them"),
            ("phone", "email", "contact_safety", "safe_contact_note", "consent_to_contact"),
        ),
        (_("What they need"), ("team", "case_type", "needs", "description")),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.active().order_by("name")
        self.fields["facility"].queryset = Facility.objects.active().order_by("name")
        self.fields["team"].queryset = case_teams(user)
        self.fields["needs"].choices = need_choices()
        self.fields["received_on"].initial = timezone.localdate

    def grouped(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]


class AcceptForm(forms.Form):
    """Accept: the person (an existing one, or new from the referral) and the case."""

    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), required=False
    )
    role = forms.ChoiceField(
        label=_("Role of the new person"),
        choices=[(value, PersonRoleKind(value).label) for value in NEW_PERSON_ROLES],
        initial=PersonRoleKind.RELATIVE,
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    case_type = forms.ChoiceField(label=_("Case type"), choices=CaseType.choices)
    lead_worker = UserChoiceField(
        label=_("Lead worker"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Choose later"),
        help_text=_("With a lead worker the case starts at assessment."),
    )
    seen_duplicates = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm_not_duplicate = forms.BooleanField(
        label=_("This is a different person: create a new record anyway"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user).filter(
            erased_at__isnull=True
        )
        self.fields["team"].queryset = case_teams(user)
        self.fields["lead_worker"].queryset = lead_workers(user)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is declined"),
        max_length=1600,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    signposted_to = forms.CharField(
        label=_("Signposted to"),
        max_length=300,
        required=False,
        help_text=_("Where the person was pointed instead, if anywhere."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReferralOutForm(forms.Form):
    """Refer the client to a partner, recording what was shared."""

    partner = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Partner.objects.none()
    )
    reason = forms.CharField(
        label=_("What the partner is asked to do"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    shared_items = forms.MultipleChoiceField(
        label=_("What was shared"),
        choices=SharedItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    shared_note = forms.CharField(
        label=_("Shared in words"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sent_on = forms.DateField(label=_("Sent on"), widget=DateInput)

    def __init__(self, *args, consented_partners=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        field.queryset = Partner.objects.active().order_by("name")
        marker = _("consent to share on file")
        field.label_from_instance = lambda partner: (
            f"{partner.name} ({marker})" if partner.pk in consented_partners else partner.name
        )
        self.fields["sent_on"].initial = timezone.localdate


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[(value, ReferralOutStatus(value).label) for value in ANSWERS],
        widget=forms.RadioSelect,
    )
    answered_on = forms.DateField(label=_("Answered on"), widget=DateInput)
    answer_note = forms.CharField(
        label=_("Answer in words"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
