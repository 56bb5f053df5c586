"""The note form: the confidential box is there only for those who may use it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinbridge.casework.forms_plan import VersionField
from kinbridge.casework.note_actions import MAX_BODY


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 4})
    )
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=_("Only the case's own workers and administrators will see it."),
    )
    version = VersionField()

    def __init__(self, *args, may_write_confidential: bool, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_write_confidential:
            del self.fields["confidential"]
        if not editing:
            del self.fields["version"]
