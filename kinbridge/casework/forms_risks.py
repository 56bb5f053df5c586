"""Forms of the risk flags: they convert input; ``risk_actions`` validates the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinbridge.casework.models import AbandonmentReason, RiskKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RaiseFlagForm(forms.Form):
    kind = forms.ChoiceField(label=_("Risk"), choices=[("", "—"), *RiskKind.choices])
    reasons = forms.MultipleChoiceField(
        label=_("Reasons (risk of child abandonment only)"),
        choices=AbandonmentReason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    raised_on = forms.DateField(label=_("Raised on"), widget=DateInput(), required=False)
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("Only the case's workers, the team's managers and administrators read it."),
    )


class ResolveFlagForm(forms.Form):
    resolved_on = forms.DateField(label=_("Resolved on"), widget=DateInput(), required=False)
    note = forms.CharField(
        label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
