from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kinbridge.accounts.models import Team
from kinbridge.people.actions import validate_person
from kinbridge.people.models import Person, PersonRoleKind, RelationshipKind


class PersonForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"), queryset=Team.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=PersonRoleKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Person
        fields = list(Person.EDITABLE_FIELDS)
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}),
            "address": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "given_name": _("As the person writes it, in any script."),
            "birth_year": _("Only when the exact date is unknown."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.active()
        if not user.has_role("administrator"):
            teams = teams.filter(pk__in=user.team_ids)
        self.fields["teams"].queryset = teams
        if self.instance.pk:
            del self.fields["teams"]
            del self.fields["roles"]
            self.initial["version"] = self.instance.version
        elif teams.count() == 1:
            self.initial["teams"] = list(teams)

    def clean(self):
        cleaned = super().clean()
        try:
            validate_person({**cleaned, "given_name": cleaned.get("given_name") or "-"})
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                if field not in self.errors:
                    self.add_error(field, problems)
        return cleaned

    def clean_languages(self):
        codes = [code.strip().lower() for code in self.cleaned_data["languages"].split(",")]
        codes = [code for code in codes if code]
        if any(not (code.isalpha() and 2 <= len(code) <= 3) for code in codes):
            raise forms.ValidationError(_("Use language codes separated by commas, e.g. ru, lt."))
        return ", ".join(codes)


class RelationshipForm(forms.Form):
    relative = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("is the … of this person"), choices=RelationshipKind.choices)
    parental_responsibility = forms.BooleanField(
        label=_("Holds parental responsibility"), required=False
    )
    lives_with = forms.BooleanField(label=_("This person lives with them now"), required=False)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PersonRoleKind.choices)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class EndForm(forms.Form):
    end = forms.DateField(
        label=_("Ended on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class DuplicateConfirmForm(forms.Form):
    """Shown under the likely duplicates of a person being added."""

    seen_duplicates = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm_not_duplicate = forms.BooleanField(
        label=_("This is a different person: save anyway"), required=False
    )


class MergeForm(forms.Form):
    keep = forms.ChoiceField(label=_("Keep the record"), widget=forms.RadioSelect)
    confirm = forms.BooleanField(
        label=_(
            "I have checked that both records describe the same person. Merging cannot be undone."
        )
    )

    def __init__(self, *args, first, second, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            (str(person.pk), f"{person.reference} — {person.full_name}")
            for person in (first, second)
        ]
        self.initial.setdefault("keep", str(first.pk))


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example the date and channel of the request. Do not write the name."),
    )
    confirmation = forms.CharField(label=_("Type the person's reference to confirm"), max_length=12)
