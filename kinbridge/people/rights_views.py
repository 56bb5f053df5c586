"""Pages for duplicates and merge, and the data-subject rights: export, erasure, retention."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kinbridge.audit.actions import record_read
from kinbridge.people import duplicates, erasure, export, merge, retention
from kinbridge.people.access import get_person_for_user
from kinbridge.people.forms import EraseForm, MergeForm
from kinbridge.people.models import Person

PAGE_SIZE = 50
COMPARED_FIELDS = ("reference", *Person.EDITABLE_FIELDS)


@login_required
def duplicate_list(request):
    if not duplicates.can_list_pairs(request.user):
        raise PermissionDenied
    after = request.GET.get("after", "")[:100]
    pairs, next_after = duplicates.possible_pairs(request.user, after=after)
    return render(
        request,
        "people/duplicate_list.html",
        {"pairs": pairs, "next_after": next_after, "can_merge": merge.can_merge(request.user)},
    )


def _shown(person: Person, name: str) -> str:
    value = getattr(person, name)
    if value in (None, ""):
        return "—"
    if Person._meta.get_field(name).choices:
        return str(getattr(person, f"get_{name}_display")())
    return str(value)


def _compare(first: Person, second: Person) -> list[tuple[str, str, str, bool]]:
    """(label, first's value, second's value, differ?) for each field."""
    rows = []
    for name in COMPARED_FIELDS:
        left, right = _shown(first, name), _shown(second, name)
        rows.append((str(Person._meta.get_field(name).verbose_name), left, right, left != right))
    return rows


def _link_counts(first: Person, second: Person) -> list[tuple[str, int, int]]:
    labels = {
        merge.link_label(link): f"{link.model._meta.verbose_name_plural} ({link.verbose_name})"
        for link in merge.person_links()
    }
    counts = merge.count_links(first), merge.count_links(second)
    keys = sorted(set(counts[0]) | set(counts[1]))
    return [(labels[key], counts[0].get(key, 0), counts[1].get(key, 0)) for key in keys]


@login_required
def person_merge(request, pk):
    """Find the other record, compare both side by side, choose which to keep, confirm."""
    person = get_person_for_user(request, pk, audit_read=False)
    if not merge.can_merge(request.user):
        raise PermissionDenied
    if person.is_erased:
        messages.error(request, _("A person whose data was erased cannot be merged."))
        return redirect("people:detail", pk=person.pk)
    other_id = request.POST.get("other") or request.GET.get("other", "")
    if not other_id or str(other_id) == str(person.pk):
        query = request.GET.get("q", "").strip()[:100]
        found = []
        if query:
            found = (
                Person.objects.visible_to(request.user)
                .filter(erased_at__isnull=True)
                .exclude(pk=person.pk)
                .search(query)[:20]
            )
        error = (
            _("A person cannot be merged with themselves. Choose the other record.")
            if other_id
            else ""
        )
        return render(
            request,
            "people/person_merge.html",
            {"person": person, "query": query, "found": found, "error": error},
        )
    other = get_person_for_user(request, other_id, audit_read=False)
    form = MergeForm(request.POST or None, first=person, second=other)
    if request.method == "POST" and form.is_valid():
        keep, drop = person, other
        if form.cleaned_data["keep"] != str(person.pk):
            keep, drop = other, person
        try:
            merge.merge_people(request.user, keep, drop)
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                form.add_error("keep" if field in ("drop", "keep") else None, problems)
        else:
            messages.success(
                request,
                _("%(dropped)s was merged into %(kept)s.")
                % {"dropped": drop.reference, "kept": keep.reference},
            )
            return redirect("people:detail", pk=keep.pk)
    if request.method == "GET":
        record_read(request.user, person, via="merge page")
        record_read(request.user, other, via="merge page")
    return render(
        request,
        "people/person_merge.html",
        {
            "person": person,
            "other": other,
            "form": form,
            "comparison": _compare(person, other),
            "link_counts": _link_counts(person, other),
        },
    )


def _exported(request, pk, format):
    person = get_person_for_user(request, pk, audit_read=False)
    if not export.can_export(request.user):
        raise PermissionDenied
    return person, export.export_person(request.user, person, format=format)


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def person_export(request, pk):
    """Everything held about the person, readable; with JSON and PDF downloads."""
    person, data = _exported(request, pk, "html")
    return render(
        request,
        "people/subject_access.html",
        {"person": person, "data": data, "readable": export.readable(data)},
    )


@login_required
def person_export_json(request, pk):
    person, data = _exported(request, pk, "json")
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _attachment(response, f"{person.reference}.json")


@login_required
def person_export_pdf(request, pk):
    person, data = _exported(request, pk, "pdf")
    response = HttpResponse(export.render_pdf(data, get_language()), content_type="application/pdf")
    return _attachment(response, f"{person.reference}.pdf")


@login_required
def person_erase(request, pk):
    person = get_person_for_user(request, pk, audit_read=False)
    if not erasure.can_erase(request.user):
        raise PermissionDenied
    if person.is_erased:
        messages.info(request, _("This person's data has already been erased."))
        return redirect("people:detail", pk=person.pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure.erase_person(
                request.user,
                person,
                reason=form.cleaned_data["reason"],
                confirmation=form.cleaned_data["confirmation"],
            )
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The person's identifying data was erased."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_erase.html", {"person": person, "form": form})


def _after(value: str) -> Q | None:
    """The keyset condition for "after" = '<updated_at ISO>_<id>'."""
    stamp, _sep, pk = value.rpartition("_")
    try:
        moment, pk = dt.datetime.fromisoformat(stamp), int(pk)
    except ValueError:
        return None
    return Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=pk)


@login_required
def retention_list(request):
    """People with no activity for the retention period, oldest first."""
    if not retention.can_review(request.user):
        raise PermissionDenied
    day = retention.cutoff()
    people = retention.due_for_review(Person.objects.visible_to(request.user), day)
    after = _after(request.GET.get("after", "")[:60])
    if after is not None:
        people = people.filter(after)
    page = list(people.order_by("updated_at", "pk")[: PAGE_SIZE + 1])
    more, page = len(page) > PAGE_SIZE, page[:PAGE_SIZE]
    last = retention.last_activity(page)
    return render(
        request,
        "people/retention_list.html",
        {
            "rows": [(person, last[person.pk]) for person in page],
            "cutoff": day,
            "years": settings.KINBRIDGE_RETENTION_YEARS,
            "next_after": f"{page[-1].updated_at.isoformat()}_{page[-1].pk}" if more else None,
        },
    )
