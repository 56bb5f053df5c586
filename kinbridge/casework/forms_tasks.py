"""Forms of the tasks area: they convert and offer choices; task_actions checks the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinbridge.casework.access import task_assignees
from kinbridge.casework.models import Case


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, case):
        return case.reference


class TaskForm(forms.Form):
    """A task: on ``case`` when given; otherwise the case may be chosen (or none)."""

    title = forms.CharField(
        label=_("Task"),
        max_length=200,
        help_text=_("Shown in e-mail reminders: write no client names here."),
    )
    due_on = forms.DateField(
        label=_("Due on"),
        widget=DateInput(),
        error_messages={"invalid": _("Give the day the task is due (YYYY-MM-DD).")},
    )
    assignee = UserChoiceField(label=_("Assigned to"), queryset=None)
    case = CaseChoiceField(
        label=_("Case"),
        queryset=Case.objects.none(),
        required=False,
        empty_label=_("No case"),
    )
    details = forms.CharField(
        label=_("Details"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, case=None, task=None, **kwargs):
        if task is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": task.title,
                    "due_on": task.due_on,
                    "assignee": task.assignee_id,
                    "details": task.details,
                    "version": task.version,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Say what is to be done.")
        self.fields["due_on"].error_messages["required"] = _(
            "Give the day the task is due (YYYY-MM-DD)."
        )
        self.fields["assignee"].queryset = task_assignees(case).order_by(
            "first_name", "last_name", "username"
        )
        if task is not None or case is not None:
            # The case is fixed: given by the page, or the task's own.
            del self.fields["case"]
        else:
            self.fields["case"].queryset = (
                Case.objects.visible_to(user).open().order_by("reference")
            )
        if task is None:
            del self.fields["version"]
            self.initial.setdefault("assignee", user.pk)

    def action_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data
