"""Forms of the project pages: the project with its fundings and budget lines, and
an indicator whose settings fields come from its kind's ``parameters``."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kinbridge.accounts.models import Region
from kinbridge.facilities.models import Facility
from kinbridge.front.formsets import RowFormSet
from kinbridge.programmes import indicators
from kinbridge.programmes.actions_projects import PROJECT_FIELDS, project_errors
from kinbridge.programmes.models import Programme, Project, SessionKind

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_ERRORS = {
    "invalid": _("Enter an amount as a number, such as 1500 or 1500.50."),
    "max_decimal_places": _("Use at most two decimal places."),
    "max_digits": _("This amount is too large."),
    "max_whole_digits": _("This amount is too large."),
}


def _model_field(name: str, **kwargs):
    return Project._meta.get_field(name).formfield(**kwargs)


def _money_field(label, *, required=True, help_text=""):
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        required=required,
        help_text=help_text,
        error_messages=MONEY_ERRORS,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )


class ProjectForm(forms.Form):
    """The project's own fields. ``teams``: where the user may plan (asked on creation)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, empty_label=None)
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=None,
        required=False,
        empty_label=_("— a new programme —"),
        help_text=_("The continuing line of work this project funds."),
    )
    programme_name = forms.CharField(
        label=_("New programme"),
        max_length=200,
        required=False,
        help_text=_("Only if it is not in the list above: its name, e.g. “Mom Behind Bars”."),
    )
    title = _model_field("title")
    code = _model_field("code")
    status = _model_field("status")
    start = _model_field("start", widget=DATE_INPUT)
    end = _model_field("end", widget=DATE_INPUT)
    currency = _model_field("currency")
    total_budget = _money_field(_("Total budget"))
    description = _model_field("description", widget=forms.Textarea(attrs={"rows": 4}))
    target_beneficiaries = _model_field(
        "target_beneficiaries", widget=forms.Textarea(attrs={"rows": 2})
    )
    facilities = forms.ModelMultipleChoiceField(
        label=_("Facilities"),
        queryset=Facility.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Prisons, colonies and children's homes where the work happens. "
            "Hold Ctrl (or ⌘ on a Mac) to choose several."
        ),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    report_notes = _model_field("report_notes", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, teams, project: Project | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        team_ids = [project.team_id] if project else [team.pk for team in teams]
        self.fields["programme"].queryset = (
            Programme.objects.filter(team_id__in=team_ids).select_related("team").order_by("name")
        )
        # A project's team is chosen once, and only asked when there is a choice.
        self.only_team = project.team if project else (teams[0] if len(teams) == 1 else None)
        if self.only_team is None:
            self.fields["team"].queryset = teams
        else:
            del self.fields["team"]
        if len(team_ids) > 1:
            self.fields["programme"].label_from_instance = lambda p: f"{p.name} ({p.team.name})"
        chosen = Q(pk__in=project.facilities.values("pk")) if project else Q(pk__in=[])
        self.fields["facilities"].queryset = Facility.objects.filter(
            Q(is_active=True) | chosen
        ).order_by("name")
        self.fields["regions"].queryset = Region.objects.order_by("country", "name")
        self.fields["total_budget"].error_messages["required"] = _("Enter the total budget.")
        if project is not None:
            self.initial |= {name: getattr(project, name) for name in PROJECT_FIELDS} | {
                "programme": project.programme_id,
                "facilities": [facility.pk for facility in project.facilities.all()],
                "regions": [region.pk for region in project.regions.all()],
                "version": project.version,
            }

    def clean_total_budget(self):
        value = self.cleaned_data["total_budget"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("An amount cannot be negative."))
        return value

    def clean(self):
        cleaned = super().clean()
        for name, message in project_errors(cleaned).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        programme, name = cleaned.get("programme"), (cleaned.get("programme_name") or "").strip()
        if programme is None and not name:
            self.add_error("programme", _("Choose a programme or name a new one."))
        elif programme is not None and name:
            self.add_error(
                "programme_name", _("Either choose a programme or name a new one, not both.")
            )
        team = self.chosen_team()
        if programme is not None and team is not None and programme.team_id != team.pk:
            self.add_error("programme", _("Choose a programme of the project's team."))
        return cleaned

    def chosen_team(self):
        return self.only_team or self.cleaned_data.get("team")

    def project_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in PROJECT_FIELDS if name != "programme"}
        fields["programme"] = data["programme"]
        return fields


class FundingForm(forms.Form):
    funder = forms.CharField(
        label=_("Funder"),
        max_length=200,
        widget=forms.TextInput(attrs={"list": "funder-names", "autocomplete": "off"}),
        help_text=_("Pick a funder on file or type a new one's name."),
    )
    amount = _money_field(_("Contribution"))

    def clean_amount(self):
        value = self.cleaned_data["amount"]
        if value is not None and value <= 0:
            raise forms.ValidationError(_("The contribution must be more than zero."))
        return value


class FundingFormSet(RowFormSet):
    def clean(self):
        if any(self.errors):
            return
        names = [form.cleaned_data["funder"].strip().casefold() for form in self.kept_forms()]
        if len(set(names)) != len(names):
            raise forms.ValidationError(
                _("Each funder can be listed once; add up their contributions.")
            )

    def fundings(self) -> list[dict]:
        return [
            {"funder": None, "funder_name": row["funder"], "amount": row["amount"]}
            for row in self.rows(["funder", "amount"])
        ]


class BudgetLineForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Budget line"), max_length=200)
    planned = _money_field(_("Planned"))
    spent = _money_field(_("Spent"), required=False)

    def _not_negative(self, name):
        value = self.cleaned_data[name]
        if value is not None and value < 0:
            raise forms.ValidationError(_("An amount cannot be negative."))
        return value

    def clean_planned(self):
        return self._not_negative("planned")

    def clean_spent(self):
        return self._not_negative("spent")


class BudgetLineFormSet(RowFormSet):
    def clean(self):
        if any(self.errors):
            return
        names = [form.cleaned_data["name"].strip().casefold() for form in self.kept_forms()]
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("Each budget line needs its own name."))

    def budget_lines(self) -> list[dict]:
        return self.rows(["id", "name", "planned", "spent"])


FundingRows = forms.formset_factory(
    FundingForm, formset=FundingFormSet, extra=2, can_delete=True, max_num=20, validate_max=True
)
BudgetLineRows = forms.formset_factory(
    BudgetLineForm,
    formset=BudgetLineFormSet,
    extra=3,
    can_delete=True,
    max_num=60,
    validate_max=True,
)


def funding_initial(project: Project | None) -> list[dict]:
    if project is None:
        return []
    return [
        {"funder": funding.funder.name, "amount": funding.amount}
        for funding in project.fundings.select_related("funder").order_by("-amount", "id")
    ]


def budget_line_initial(project: Project | None) -> list[dict]:
    if project is None:
        return []
    return [
        {"id": line.pk, "name": line.name, "planned": line.planned, "spent": line.spent}
        for line in project.budget_lines.all()
    ]


# --- Indicators ----------------------------------------------------------------------


class KindChoiceForm(forms.Form):
    """Step one (a GET form): how the indicator is counted."""

    kind = forms.ChoiceField(label=_("How it is counted"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = indicators.kind_choices()


def setting_field_name(parameter_name: str) -> str:
    return f"setting_{parameter_name}"


def parameter_field(parameter: indicators.Parameter) -> forms.Field:
    """A form field for one of the kind's settings."""
    common = {
        "label": capfirst(parameter.label),
        "required": parameter.required,
        "help_text": parameter.help_text,
        "error_messages": {"required": _("This setting is required for this kind of indicator.")},
    }
    if parameter.kind == "session_kinds":
        return forms.MultipleChoiceField(
            choices=SessionKind.choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if parameter.kind == "characteristic":
        choices = [(code, c.label) for code, c in indicators.CHARACTERISTICS.items()]
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    if parameter.kind == "choices":
        return forms.MultipleChoiceField(
            choices=parameter.choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if parameter.kind == "choice":
        return forms.ChoiceField(choices=[("", "—"), *parameter.choices], **common)
    if parameter.kind == "integer":
        common["error_messages"]["invalid"] = _("Enter a whole number.")
        return forms.IntegerField(
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **common
        )
    return forms.CharField(**common)


NUMBER_ERRORS = {
    "max_decimal_places": _("Use at most two decimal places."),
    "max_digits": _("This number is too large."),
    "max_whole_digits": _("This number is too large."),
}


class IndicatorForm(forms.Form):
    """The indicator's name and target, one field per setting of its kind, and for a
    manual kind the achieved value with its evidence."""

    name = forms.CharField(
        label=_("Indicator"),
        max_length=300,
        help_text=_("As the funder's table names it, e.g. “Women who attended trainings”."),
    )
    target = forms.DecimalField(
        label=_("Target"),
        max_digits=12,
        decimal_places=2,
        error_messages=NUMBER_ERRORS
        | {
            "invalid": _("The target must be a number, such as 90."),
            "required": _("Enter the target, such as 90."),
        },
        widget=forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"}),
    )
    manual_actual = forms.DecimalField(
        label=_("Achieved so far"),
        max_digits=12,
        decimal_places=2,
        required=False,
        error_messages=NUMBER_ERRORS
        | {"invalid": _("The achieved value must be a number, such as 1.")},
        widget=forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"}),
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("A PDF, JPEG or PNG file: the brochure, a photo, a signed list."),
    )
    evidence_note = forms.CharField(
        label=_("About the evidence"),
        max_length=300,
        required=False,
        help_text=_("For example: “1,000 copies printed in May; PDF attached”."),
    )

    def __init__(self, *args, kind: indicators.IndicatorKind, indicator=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for parameter in kind.parameters:
            self.fields[setting_field_name(parameter.name)] = parameter_field(parameter)
        if not kind.manual:
            for name in ("manual_actual", "evidence", "evidence_note"):
                del self.fields[name]
        if indicator is not None:
            self.initial |= {
                "name": indicator.name,
                "target": indicator.target,
                "manual_actual": indicator.manual_actual,
                "evidence_note": indicator.evidence_note,
            }
            if indicator.kind == kind.code:
                for parameter in kind.parameters:
                    value = (indicator.parameters or {}).get(parameter.name)
                    if value is not None:
                        self.initial[setting_field_name(parameter.name)] = value

    def clean_target(self):
        value = self.cleaned_data["target"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("The target cannot be negative."))
        return value

    def clean_manual_actual(self):
        value = self.cleaned_data["manual_actual"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("The achieved value cannot be negative."))
        return value

    def setting_fields(self):
        return [self[setting_field_name(p.name)] for p in self.kind.parameters]

    def indicator_fields(self) -> dict:
        data = self.cleaned_data
        parameters = {}
        for parameter in self.kind.parameters:
            value = data.get(setting_field_name(parameter.name))
            if value not in (None, "", []):
                parameters[parameter.name] = value
        fields = {
            "name": data["name"],
            "kind": self.kind.code,
            "parameters": parameters,
            "target": data["target"],
        }
        if self.kind.manual:
            fields["manual_actual"] = data.get("manual_actual")
            fields["evidence_note"] = data.get("evidence_note", "")
        return fields

    def field_for_error(self, key: str) -> str | None:
        """Where an action's error goes: a setting's field, a field, or the form."""
        if key in {p.name for p in self.kind.parameters}:
            return setting_field_name(key)
        return key if key in self.fields else None
