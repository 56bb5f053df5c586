"""The funder report's choices: period and variant."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinbridge.programmes import reports

MAX_DAYS = 366 * 10


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    variant = forms.ChoiceField(
        label=_("Variant"),
        choices=[
            (reports.INTERNAL, _("Internal: exact figures")),
            (reports.EXTERNAL, _("External: small numbers hidden")),
        ],
    )

    def __init__(self, data, *, project, allowed):
        """``data``: the query string; what it leaves out comes from the project."""
        values = {
            "start": project.start.isoformat(),
            "end": project.end.isoformat(),
            "variant": allowed[0],
        }
        values |= {key: data[key] for key in values if data.get(key)}
        super().__init__(values)
        # Only the variants this user may read are offered; asking for another is
        # refused by the action (403), not treated as a typing mistake.
        self.fields["variant"].widget.choices = [
            choice for choice in self.fields["variant"].choices if choice[0] in allowed
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the period must not be before its start."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("Choose a period of at most ten years."))
        return cleaned
