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
