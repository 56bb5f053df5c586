"""Forms of the case pages: opening a case, editing it, and the workflow's steps.

Forms check what the page offers (a choice from the lists shown, a date); the rules
of the case itself (who may open it, the workflow, closure) are the actions'.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinbridge.accounts.models import Team
from kinbridge.casework.access import case_staff
from kinbridge.casework.case_actions import OpenTasks
from kinbridge.casework.models import Case, CaseOutcome, CaseStatus, CaseType, ClosureReason
from kinbridge.people.models import PARENT_KINDS, Person, Relationship, RelationshipKind
from kinbridge.programmes.models import Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLANK = [("", "—")]


def family_links(user, client: Person) -> list[tuple[Person, str]]:
    """The client's current relatives the user sees, each with their role in the case."""
    visible = Person.objects.visible_to(user)
    links = Relationship.objects.filter(
        Q(person=client, relative__in=visible) | Q(relative=client, person__in=visible),
        end__isnull=True,
    ).select_related("person", "relative")
    family = {}
    for link in links.order_by("kind", "id"):
        if link.person_id == client.pk:
            other, role = link.relative, link.get_kind_display()
        else:
            # The client is this person's <kind>: name the other side of the link.
            other = link.person
            role = _("child") if link.kind in PARENT_KINDS else link.get_kind_display()
            if link.kind == RelationshipKind.GRANDPARENT:
                role = _("grandchild")
        family.setdefault(other.pk, (other, str(role).lower()))
    return list(family.values())


class CaseCreateForm(forms.Form):
    team = forms.ModelChoiceField(label=gettext_lazy("Team"), queryset=Team.objects.none())
    case_type = forms.ChoiceField(label=gettext_lazy("Case type"), choices=CaseType.choices)
    lead_worker = forms.ModelChoiceField(
        label=gettext_lazy("Lead worker"),
        queryset=case_staff([]),
        required=False,
        help_text=gettext_lazy("Can wait until triage; needed before assessment starts."),
    )
    workers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Other workers"),
        queryset=case_staff([]),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    members = forms.MultipleChoiceField(
        label=gettext_lazy("Family members in the case"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    project = forms.ModelChoiceField(
        label=gettext_lazy("Project"),
        queryset=Project.objects.none(),
        required=False,
        help_text=gettext_lazy("The team's project that pays for the work, if any."),
    )
    summary = forms.CharField(
        label=gettext_lazy("Presenting situation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )
    opened_on = forms.DateField(label=gettext_lazy("Opened on"), widget=DATE)

    def __init__(self, *args, user, client: Person, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.visible_to(user).active().order_by("name")
        team_ids = list(teams.values_list("pk", flat=True))
        self.fields["team"].queryset = teams
        self.fields["lead_worker"].queryset = case_staff(team_ids)
        self.fields["workers"].queryset = case_staff(team_ids)
        self.fields["project"].queryset = Project.objects.filter(team_id__in=team_ids).order_by(
            "title"
        )
        self.family = family_links(user, client)
        self.fields["members"].choices = [
            (str(person.pk), f"{person.full_name} ({role})" if role else person.full_name)
            for person, role in self.family
        ]
        if len(team_ids) == 1:
            self.fields["team"].initial = team_ids[0]
        self.fields["opened_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        team = data.get("team")
        if team is not None:
            chosen = {
                "lead_worker": [data["lead_worker"]] if data.get("lead_worker") else [],
                "workers": list(data.get("workers") or []),
            }
            for name, users in chosen.items():
                outside = [user for user in users if team.pk not in user.team_ids]
                if outside:
                    self.add_error(
                        name,
                        _("Not in the team %(team)s: %(names)s.")
                        % {
                            "team": team.name,
                            "names": ", ".join(u.get_full_name() or u.username for u in outside),
                        },
                    )
        return data

    def member_pairs(self) -> list[tuple[Person, str]]:
        chosen = set(self.cleaned_data.get("members") or [])
        return [(person, role) for person, role in self.family if str(person.pk) in chosen]


class CaseEditForm(forms.Form):
    case_type = forms.ChoiceField(label=gettext_lazy("Case type"), choices=CaseType.choices)
    summary = forms.CharField(
        label=gettext_lazy("Presenting situation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        required=False,
    )
    project = forms.ModelChoiceField(
        label=gettext_lazy("Project"), queryset=Project.objects.none(), required=False
    )
    next_review_on = forms.DateField(
        label=gettext_lazy("Next plan review"), widget=DATE, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "case_type": case.case_type,
                "summary": case.summary,
                "project": case.project_id,
                "next_review_on": case.next_review_on,
                "version": case.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(team_id=case.team_id).order_by(
            "title"
        )

    def fields_to_save(self) -> dict:
        return {name: self.cleaned_data[name] for name in Case.EDITABLE_FIELDS}


class TransitionForm(forms.Form):
    """One step of the workflow. Which fields apply depends on where the case goes."""

    to = forms.ChoiceField(choices=CaseStatus.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason or note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    lead_worker = forms.ModelChoiceField(
        label=gettext_lazy("Lead worker"), queryset=case_staff([]), required=False
    )
    closure_reason = forms.ChoiceField(
        label=gettext_lazy("Closure reason"), choices=BLANK + ClosureReason.choices, required=False
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), choices=BLANK + CaseOutcome.choices, required=False
    )
    outcome_note = forms.CharField(
        label=gettext_lazy("Outcome in words"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    closed_on = forms.DateField(label=gettext_lazy("Closed on"), widget=DATE, required=False)
    open_tasks = forms.ChoiceField(
        label=gettext_lazy("Open tasks"),
        choices=[
            (OpenTasks.CANCEL, gettext_lazy("Cancel them")),
            (OpenTasks.CARRY, gettext_lazy("Carry them on without the case")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, case: Case, to: str | None = None, **kwargs):
        initial = {"to": to, "version": case.version, "lead_worker": case.lead_worker_id}
        if to == CaseStatus.CLOSED:
            initial["closed_on"] = timezone.localdate()
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["lead_worker"].queryset = case_staff([case.team_id])
        self.target = to or (self.data.get("to") if self.is_bound else None)

    def action_fields(self) -> dict:
        data = self.cleaned_data
        fields = {"version": data["version"], "reason": data["reason"].strip()}
        if data.get("lead_worker") is not None:
            fields["lead_worker"] = data["lead_worker"]
        if data["to"] == CaseStatus.CLOSED:
            fields |= {
                "closure_reason": data["closure_reason"],
                "outcome": data["outcome"],
                "outcome_note": data["outcome_note"].strip(),
                "closed_on": data["closed_on"],
                "open_tasks": data["open_tasks"],
            }
        return fields


class ReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=gettext_lazy("Why is the case reopened?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class WorkerForm(forms.Form):
    user = forms.ModelChoiceField(label=gettext_lazy("Worker"), queryset=case_staff([]))

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = case_staff([case.team_id])


class MemberForm(forms.Form):
    person = forms.ChoiceField(label=gettext_lazy("Family member"))
    role_in_case = forms.CharField(
        label=gettext_lazy("Role in the case"), max_length=100, required=False
    )

    def __init__(self, *args, user, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        linked = set(case.members.values_list("person_id", flat=True))
        family = family_links(user, case.client)
        self.family = [(person, role) for person, role in family if person.pk not in linked]
        self.fields["person"].choices = BLANK + [
            (str(person.pk), f"{person.full_name} ({role})" if role else person.full_name)
            for person, role in self.family
        ]

    def chosen(self) -> tuple[Person, str]:
        pk = int(self.cleaned_data["person"])
        person, role = next(pair for pair in self.family if pair[0].pk == pk)
        return person, self.cleaned_data["role_in_case"].strip() or role
