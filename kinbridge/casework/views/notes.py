"""Casework pages: case notes, ordinary and confidential.

Every list goes through ``access.notes_for`` (confidential notes only for the
case's own workers and administrators; the others do not learn they exist, not
even from a count), and every confidential note shown is an audited read.
Edits lock by version and keep the replaced text; the history page shows it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinbridge.audit.actions import record_reads
from kinbridge.casework import access, note_actions
from kinbridge.casework.forms_notes import NoteForm
from kinbridge.casework.locking import StaleEdit
from kinbridge.casework.models import NoteVersion
from kinbridge.casework.views.common import (
    apply_errors,
    keep_input_on_newer_version,
    redirect_back,
)

PANEL_ROWS = 5
PAGE_ROWS = 30


def _notes(user, case):
    return access.notes_for(user, case).select_related("author")


def case_panel(request, case) -> dict:
    """The note form and the latest notes the user may read."""
    user = request.user
    notes = list(_notes(user, case)[:PANEL_ROWS])
    access.audit_note_reads(user, notes)
    may_write = access.can_edit_case(user, case)
    confidential = access.can_read_confidential(user, case)
    return {
        "case": case,
        "notes": notes,
        "count": _notes(user, case).count(),
        "form": NoteForm(may_write_confidential=confidential, auto_id="id_note_%s")
        if may_write
        else None,
        "may_write": may_write,
        "next": request.get_full_path(),
    }


@login_required
def case_notes(request, pk):
    case = access.get_case_for_user(request, pk)
    page = Paginator(_notes(request.user, case), PAGE_ROWS).get_page(request.GET.get("page"))
    access.audit_note_reads(request.user, page.object_list)
    return render(
        request,
        "casework/notes/list.html",
        {"case": case, "page": page, "may_write": access.can_edit_case(request.user, case)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_add(request, pk):
    case = access.get_case_for_user(request, pk, audit=False)
    if not access.can_edit_case(request.user, case):
        raise PermissionDenied
    confidential = access.can_read_confidential(request.user, case)
    form = NoteForm(request.POST or None, may_write_confidential=confidential)
    if request.method == "POST" and form.is_valid():
        try:
            note_actions.create_note(request.user, case, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Note saved."))
            return redirect_back(request, reverse("casework:case_notes", args=[case.pk]))
    return render(
        request,
        "casework/notes/form.html",
        {"case": case, "form": form, "title": _("Write a note"), "next": request.POST.get("next")},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request, pk):
    note = access.get_note_by_id_for_user(request, pk)
    case = note.case
    if not access.can_edit_case(request.user, case):
        raise PermissionDenied
    initial = {"body": note.body, "confidential": note.confidential, "version": note.version}
    form = NoteForm(
        request.POST or None,
        may_write_confidential=access.can_read_confidential(request.user, case),
        editing=True,
        initial=initial,
    )
    conflict = []
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            note_actions.update_note(request.user, note, **fields)
        except StaleEdit as stale:
            conflict = stale.differences()
            keep_input_on_newer_version(form, stale)
            form.add_error(
                None,
                _(
                    "Someone else saved this note while you were editing. Their text is shown "
                    "below next to yours; your changes were not saved. Save again to keep yours."
                ),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Note saved; the earlier text is kept in its history."))
            return redirect_back(request, reverse("casework:case_notes", args=[case.pk]))
    return render(
        request,
        "casework/notes/form.html",
        {
            "case": case,
            "note": note,
            "form": form,
            "title": _("Edit a note"),
            "conflict": conflict,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=409 if conflict else (400 if form.errors else 200),
    )


@login_required
def note_history(request, pk):
    """The note as it is now and every earlier text the user may read, newest first.

    A version row keeps the text as it was before an edit, with who replaced it and
    when; earlier confidential texts are shown only to those who may read them.
    """
    note = access.get_note_by_id_for_user(request, pk)
    versions = NoteVersion.objects.filter(note=note).select_related("edited_by")
    if not access.can_read_confidential(request.user, note.case):
        versions = versions.filter(confidential=False)
    versions = list(versions)
    record_reads(request.user, versions)
    return render(
        request,
        "casework/notes/history.html",
        {"case": note.case, "note": note, "versions": versions},
    )


urlpatterns = [
    path("cases/<int:pk>/notes/", case_notes, name="case_notes"),
    path("cases/<int:pk>/notes/add/", note_add, name="note_add"),
    path("notes/<int:pk>/", note_edit, name="note_edit"),
    path("notes/<int:pk>/history/", note_history, name="note_history"),
]
