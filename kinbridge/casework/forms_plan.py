"""Forms of the plan area: needs, goals, plan reviews and the list of needs.

The forms convert and offer choices; the actions check every rule and say what is
wrong at the field (``views.common.apply_errors`` puts an action's errors on the form).
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinbridge.casework.models import CaseNeed, GoalStatus, NeedStatus, NeedType, Severity
from kinbridge.casework.needs import need_label


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class NeedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, need):
        return need_label(need)


class VersionField(forms.IntegerField):
    """The version the form was loaded with (optimistic locking)."""

    def __init__(self):
        super().__init__(widget=forms.HiddenInput, min_value=1)


class NeedAddForm(forms.Form):
    need = NeedChoiceField(
        label=_("Need"), queryset=NeedType.objects.filter(is_active=True), empty_label=""
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"), choices=Severity.choices, coerce=int, initial=Severity.MEDIUM
    )
    identified_on = forms.DateField(label=_("Identified on"), widget=DateInput)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["identified_on"].initial = timezone.localdate()


class NeedUpdateForm(forms.Form):
    severity = forms.TypedChoiceField(label=_("Severity"), choices=Severity.choices, coerce=int)
    status = forms.ChoiceField(label=_("Status"), choices=NeedStatus.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NeedTypeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    position = forms.IntegerField(
        label=_("Position in the list"),
        required=False,
        min_value=0,
        max_value=32000,
        help_text=_("Lower numbers come first. Leave empty to add it at the end."),
    )


class NeedTypeEditForm(NeedTypeForm):
    is_active = forms.BooleanField(
        label=_("In use"),
        required=False,
        help_text=_("A retired need stays on the cases that have it but cannot be added again."),
    )


class GoalForm(forms.Form):
    description = forms.CharField(
        label=_("Goal"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    need = forms.ModelChoiceField(
        label=_("The need it answers"), queryset=CaseNeed.objects.none(), required=False
    )
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DateInput)
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    version = VersionField()

    def __init__(self, *args, case, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        needs = CaseNeed.objects.filter(case=case).select_related("need")
        self.fields["need"].queryset = needs
        self.fields["need"].label_from_instance = lambda case_need: need_label(case_need.need)
        if not editing:
            del self.fields["version"]


class PlanReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DateInput)
    next_review_on = forms.DateField(label=_("Next review"), required=False, widget=DateInput)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate()
