"""Formsets of table rows (visiting slots, partner services, contact people)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RowFormSet(forms.BaseFormSet):
    """Rows on file stay unless "Remove" is ticked; an empty new row is ignored."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")

    def kept_forms(self):
        return [
            form
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed())
            and not self._should_delete_form(form)
        ]

    def rows(self, names) -> list[dict]:
        return [{name: form.cleaned_data.get(name) for name in names} for form in self.kept_forms()]
