"""The caseload pages' one setting: after how many days without contact a case is listed."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

MAX_DAYS = 365


class NoContactForm(forms.Form):
    days = forms.IntegerField(
        label=_("No contact for at least (days)"), min_value=1, max_value=MAX_DAYS, required=False
    )

    def __init__(self, data=None):
        super().__init__(data, initial={"days": settings.CASE_NO_CONTACT_DAYS})

    def days_or_default(self) -> int:
        """The days asked for, or the configured default when none or a bad value was sent."""
        if self.is_valid() and self.cleaned_data["days"]:
            return self.cleaned_data["days"]
        return settings.CASE_NO_CONTACT_DAYS
