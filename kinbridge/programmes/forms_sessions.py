"""Forms of the sessions area: sessions, series, courses, enrolment and handouts.

The forms convert and offer choices; the actions check every rule and say
what is wrong at the field.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinbridge.facilities.models import Facility
from kinbridge.partners.models import Partner
from kinbridge.programmes.models import (
    Audience,
    Course,
    PlaceKind,
    Session,
    SessionKind,
    SessionStatus,
)
from kinbridge.programmes.sessions_actions import (
    MAX_EVERY_WEEKS,
    MAX_OCCURRENCES,
    facilitator_candidates,
    planning_teams,
    specialist_candidates,
    visible_courses_for_planning,
    visible_projects,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class FacilityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, facility):
        return f"{facility.name} ({facility.get_kind_display()})"


class UserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return f"{person.full_name} ({person.reference})"


class SessionForm(forms.Form):
    """One session: what, where, when, who leads it and for whom."""

    team = forms.ModelChoiceField(label=_("Team"), queryset=None)
    kind = forms.ChoiceField(label=_("Type"), choices=SessionKind.choices)
    topic = forms.CharField(label=_("Topic"), max_length=300)
    module = forms.CharField(label=_("Curriculum module"), max_length=200, required=False)
    project = forms.ModelChoiceField(label=_("Project"), queryset=None, required=False)
    course = forms.ModelChoiceField(label=_("Course"), queryset=None, required=False)
    place_kind = forms.ChoiceField(
        label=_("Where"), choices=PlaceKind.choices, widget=forms.RadioSelect
    )
    facility = FacilityChoiceField(
        label=_("Facility or venue"),
        queryset=Facility.objects.none(),
        required=False,
        help_text=_(
            "In a facility: the facility. Community venue: a venue on file, or type it below."
        ),
    )
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    online_link = forms.URLField(
        label=_("Link to join"), max_length=500, required=False, assume_scheme="https"
    )
    start = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    end = forms.DateTimeField(
        label=_("Ends"),
        widget=DateTimeInput(),
        help_text=_("A two-day training ends on the second day."),
    )
    facilitators = UserChoiceField(
        label=_("Facilitators"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    external_facilitators = PersonChoiceField(
        label=_("External specialists"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("People on file with the role “external specialist”."),
    )
    audience = forms.MultipleChoiceField(
        label=_("Audience"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=32000, required=False)
    unnamed_headcount = forms.IntegerField(
        label=_("Participants not named"),
        min_value=0,
        required=False,
        help_text=_("People counted at a public event without recording their names."),
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=SessionStatus.choices, initial=SessionStatus.PLANNED
    )

    def __init__(self, *args, user, session: Session | None = None, **kwargs):
        if session is not None and "initial" not in kwargs:
            kwargs["initial"] = session_initial(session)
        super().__init__(*args, **kwargs)
        teams = planning_teams(user)
        team_ids = list(teams.values_list("pk", flat=True))
        if session is not None and session.team_id not in team_ids:
            team_ids.append(session.team_id)
        self.fields["team"].queryset = teams
        if len(team_ids) == 1:
            self.fields["team"].initial = team_ids[0]
        self.fields["project"].queryset = visible_projects(user, team_ids)
        self.fields["course"].queryset = visible_courses_for_planning(user, team_ids)
        self.fields["facility"].queryset = Facility.objects.filter(is_active=True).order_by(
            "name", "id"
        )
        self.fields["facilitators"].queryset = facilitator_candidates(team_ids)
        self.fields["external_facilitators"].queryset = specialist_candidates(user)

    def action_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["unnamed_headcount"] = data.get("unnamed_headcount") or 0
        data["facilitators"] = list(data.get("facilitators") or [])
        data["external_facilitators"] = list(data.get("external_facilitators") or [])
        return data

    fieldsets = (
        (_("Session"), ("team", "kind", "topic", "module", "project", "course", "status")),
        (_("Where"), ("place_kind", "facility", "venue", "online_link")),
        (_("When"), ("start", "end")),
        (_("Who"), ("facilitators", "external_facilitators", "audience", "capacity")),
        (_("More"), ("unnamed_headcount", "notes")),
    )

    def grouped(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]


def session_initial(session: Session) -> dict:
    local = timezone.localtime
    return {
        "team": session.team_id,
        "kind": session.kind,
        "topic": session.topic,
        "module": session.module,
        "project": session.project_id,
        "course": session.course_id,
        "place_kind": session.place_kind,
        "facility": session.facility_id,
        "venue": session.venue,
        "online_link": session.online_link,
        "start": local(session.start),
        "end": local(session.end),
        "facilitators": list(session.facilitators.values_list("pk", flat=True)),
        "external_facilitators": list(session.external_facilitators.values_list("pk", flat=True)),
        "audience": session.audience,
        "capacity": session.capacity,
        "unnamed_headcount": session.unnamed_headcount,
        "notes": session.notes,
        "status": session.status,
    }


SCOPES = (("this", _("This session only")), ("following", _("This and the following sessions")))


class SessionEditForm(SessionForm):
    """Editing a session of a series asks whether the later ones change too."""

    scope = forms.ChoiceField(
        label=_("Apply the changes to"),
        choices=SCOPES,
        initial="this",
        widget=forms.RadioSelect,
        required=False,
    )


class SeriesForm(SessionForm):
    """The first session's details, how often, and how many times."""

    every_weeks = forms.IntegerField(
        label=_("Every (weeks)"),
        min_value=1,
        max_value=MAX_EVERY_WEEKS,
        initial=1,
        help_text=_("1 for weekly, 6 for every six weeks."),
    )
    occurrences = forms.IntegerField(
        label=_("Number of sessions"),
        min_value=1,
        max_value=MAX_OCCURRENCES,
        help_text=_("For example 10 for a term of weekly meetings, 9 for a year every six weeks."),
    )
    title = forms.CharField(
        label=_("Name of the series"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to use the topic."),
    )

    fieldsets = (
        (_("Repeat"), ("every_weeks", "occurrences", "title")),
        *SessionForm.fieldsets,
    )


class CancelForm(forms.Form):
    scope = forms.ChoiceField(choices=SCOPES, initial="this", required=False)


class CourseForm(forms.ModelForm):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None)

    class Meta:
        model = Course
        fields = [
            "team",
            "title",
            "description",
            "project",
            "planned_sessions",
            "capacity",
            "completion_percent",
            "referring_partner",
            "parcels",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "capacity": _("Leave empty for no limit. When full, new enrolees join the waitlist."),
            "completion_percent": _(
                "A participant completes the course when present at this share of the sessions "
                "held."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = planning_teams(user)
        team_ids = list(teams.values_list("pk", flat=True))
        if self.instance.pk and self.instance.team_id not in team_ids:
            team_ids.append(self.instance.team_id)
        self.fields["team"].queryset = teams
        if len(team_ids) == 1:
            self.fields["team"].initial = team_ids[0]
        self.fields["project"].queryset = visible_projects(user, team_ids)
        self.fields["referring_partner"].queryset = Partner.objects.filter(is_active=True).order_by(
            "name"
        )

    def _post_clean(self):
        pass  # the action validates, with clearer messages


class ScheduleForm(SessionForm):
    """The first meeting of a course; the rest follow weekly."""

    every_weeks = forms.IntegerField(
        label=_("Every (weeks)"), min_value=1, max_value=MAX_EVERY_WEEKS, initial=1
    )

    fieldsets = (
        (_("Session"), ("kind", "topic", "module")),
        (_("Where"), ("place_kind", "facility", "venue", "online_link")),
        (_("When"), ("every_weeks", "start", "end")),
        (_("Who"), ("facilitators", "external_facilitators", "audience", "capacity")),
    )

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("team", "project", "course", "status", "unnamed_headcount", "notes"):
            del self.fields[name]
        self.fields["kind"].initial = SessionKind.COURSE_MEETING
        self.fields["topic"].initial = course.title
        self.fields["facilitators"].queryset = facilitator_candidates([course.team_id])
        self.fields["capacity"].initial = course.capacity


class EnrolForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    referred_by = forms.ModelChoiceField(
        label=_("Referred by"), queryset=Partner.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referred_by"].queryset = Partner.objects.filter(is_active=True).order_by(
            "name"
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawing"), max_length=300)
    on = forms.DateField(label=_("Withdrew on"), widget=DateInput(), required=False)


class ParcelForm(forms.Form):
    parcel_sent_on = forms.DateField(label=_("Parcel sent on"), widget=DateInput(), required=False)


class HandoutForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(label=_("File"), required=False)


class ReceiptsForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput(), required=False)
