"""Forms of the services area: the quick entry (panel and "Log a service") and edits."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinbridge.casework.access import case_workers_for_services
from kinbridge.casework.forms_plan import DateInput
from kinbridge.casework.models import MAX_SERVICE_MINUTES, Case, ServiceMode, ServiceType
from kinbridge.casework.service_actions import recipients_for

COMMON_DURATIONS = (15, 30, 45, 60, 90)


def my_open_cases(user):
    """The open cases the user works on (lead or other worker): the quick entry's list."""
    return (
        Case.objects.open()
        .filter(Q(lead_worker=user) | Q(worker_links__user=user))
        .select_related("client")
        .distinct()
        .order_by("client__family_name", "client__given_name", "reference")
    )


class CaseChoiceForm(forms.Form):
    """Step one of "Log a service": which of my open cases."""

    case = forms.ModelChoiceField(
        label=_("Case"),
        queryset=Case.objects.none(),
        empty_label="",
        error_messages={"invalid_choice": _("Choose one of your open cases.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = my_open_cases(user)
        self.fields["case"].label_from_instance = lambda case: (
            f"{case.client.full_name} ({case.reference})"
        )


class ServiceForm(forms.Form):
    service_type = forms.ChoiceField(label=_("Service"), choices=ServiceType.choices)
    mode = forms.ChoiceField(label=_("Mode"), choices=ServiceMode.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        help_text=_("Pick 15, 30, 45, 60 or 90, or type any number of minutes."),
        widget=forms.NumberInput(
            attrs={"list": "service-durations", "min": 1, "max": MAX_SERVICE_MINUTES}
        ),
    )
    worker = forms.ModelChoiceField(label=_("Worker"), queryset=None, required=False)
    recipient = forms.TypedChoiceField(label=_("Received by"), coerce=int, required=False)
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["date"].initial = timezone.localdate()
        workers = self.fields["worker"]
        workers.queryset = case_workers_for_services(case)
        workers.initial = user.pk
        workers.label_from_instance = lambda worker: worker.get_full_name() or worker.username
        self.recipients = {person.pk: person for person in recipients_for(case)}
        self.fields["recipient"].choices = [
            (pk, f"{person.full_name} ({person.reference})")
            for pk, person in self.recipients.items()
        ]
        self.fields["recipient"].initial = case.client_id

    def clean_recipient(self):
        pk = self.cleaned_data.get("recipient")
        return self.recipients.get(pk) if pk else None
