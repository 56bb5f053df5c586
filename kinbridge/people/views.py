from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kinbridge.accounts.access import is_administrator
from kinbridge.audit.actions import REDACTED
from kinbridge.audit.models import AuditEvent
from kinbridge.people import actions, duplicates
from kinbridge.people.access import get_person_for_user
from kinbridge.people.forms import DuplicateConfirmForm, PersonForm, RelationshipForm
from kinbridge.people.models import (
    ROLES_SEEING_PEOPLE,
    MergedPerson,
    Person,
    PersonRole,
    PersonRoleKind,
    Relationship,
)
from kinbridge.people.tabs import PERSON_TABS, tab_view

PAGE_SIZE = 50


def _require_people_access(user) -> None:
    if not user.has_role(*ROLES_SEEING_PEOPLE):
        raise PermissionDenied


@login_required
def person_list(request):
    _require_people_access(request.user)
    people = Person.objects.visible_to(request.user).prefetch_related(
        Prefetch("roles", queryset=PersonRole.objects.filter(end__isnull=True))
    )
    query = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    people = people.search(query)
    if role in PersonRoleKind.values:
        people = people.filter(roles__role=role, roles__end__isnull=True)
    after = request.GET.get("after", "")
    people = people.order_by("-id")
    if after.isdigit():
        people = people.filter(pk__lt=int(after))
    page = list(people[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    return render(
        request,
        "people/person_list.html",
        {
            "people": page,
            "next_after": page[-1].pk if more else None,
            "query": query,
            "role": role,
            "roles": PersonRoleKind.choices,
            "can_edit": actions.can_edit_people(request.user),
            "can_list_duplicates": duplicates.can_list_pairs(request.user),
            "is_administrator": is_administrator(request.user),
        },
    )


def _apply_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


@login_required
def person_create(request):
    if not actions.can_edit_people(request.user):
        raise PermissionDenied
    form = PersonForm(request.POST or None, user=request.user)
    confirm_form, check = None, None
    if request.method == "POST":
        valid = form.is_valid()
        data = form.cleaned_data
        fields = {name: data[name] for name in actions.PERSON_FIELDS if name in data}
        # Likely duplicates show as soon as the name is readable, whatever else is wrong.
        check = duplicates.check_new_person(request.user, fields)
        confirm = DuplicateConfirmForm(request.POST)
        confirmed = (
            confirm.is_valid()
            and confirm.cleaned_data["confirm_not_duplicate"]
            and check.covered_by(confirm.cleaned_data["seen_duplicates"])
        )
        if check.found and confirmed:
            confirm_form = confirm
        elif check.found:
            confirm_form = DuplicateConfirmForm({"seen_duplicates": check.token})
            confirm_form.is_valid()
            confirm_form.add_error(
                "confirm_not_duplicate",
                _(
                    "Check the similar people above. If this is a different person, "
                    "tick this box and save again."
                ),
            )
        if valid and (confirmed or not check.found):
            try:
                person = actions.create_person(
                    request.user,
                    teams=data["teams"],
                    roles=data["roles"],
                    not_duplicate_of=[c.person.pk for c in check.candidates]
                    + (["another team"] if check.elsewhere else []),
                    **fields,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request, _("Saved. Reference: %(ref)s") % {"ref": person.reference}
                )
                return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "confirm_form": confirm_form, "duplicates": check},
    )


@login_required
def person_detail(request, pk):
    try:
        person = get_person_for_user(request, pk)
    except Http404:
        # The id of a record merged into another leads to the kept person, if visible.
        merged = MergedPerson.objects.filter(old_id=pk).values_list("person_id", flat=True)
        kept = Person.objects.visible_to(request.user).filter(pk__in=merged).first()
        if kept is None:
            raise
        return redirect("people:detail", pk=kept.pk)
    tab = request.GET.get("tab", "overview")
    view = tab_view(tab)
    if view is None:
        tab, view = "overview", tab_view("overview")
    template, context = view(request, person)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "tab": tab,
            "tabs": PERSON_TABS,
            "tab_template": template,
            "can_edit": actions.can_edit_people(request.user) and not person.is_erased,
            "is_administrator": is_administrator(request.user),
            **context,
        },
    )


def overview_tab(request, person):
    return "people/_tab_overview.html", {
        "roles": person.roles.all(),
        "teams": person.teams.order_by("name"),
    }


def family_tab(request, person):
    visible = Person.objects.visible_to(request.user)
    find = request.GET.get("find", "").strip()[:100]
    return "people/_tab_family.html", {
        "relatives": Relationship.objects.filter(person=person, relative__in=visible)
        .select_related("relative")
        .order_by("end", "kind"),
        "relative_of": Relationship.objects.filter(relative=person, person__in=visible)
        .select_related("person")
        .order_by("end", "kind"),
        "relationship_form": RelationshipForm(),
        "candidates": visible.exclude(pk=person.pk).search(find)[:20] if find else [],
        "find": find,
    }


def history_tab(request, person):
    history = list(AuditEvent.objects.for_object(person).select_related("actor")[:100])
    if person.is_erased:
        # Earlier events still hold the erased values (the trail is append-only):
        # the person's page shows which fields changed, never what they were.
        for event in history:
            event.changes = {name: [REDACTED, REDACTED] for name in event.changes}
    return "people/_tab_history.html", {"history": history}


@login_required
def person_edit(request, pk):
    person = get_person_for_user(request, pk, audit_read=False)
    if not actions.can_edit_people(request.user):
        raise PermissionDenied
    if person.is_erased:
        messages.error(request, _("This person's data was erased; the record cannot be edited."))
        return redirect("people:detail", pk=person.pk)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in actions.PERSON_FIELDS if name in data}
        try:
            actions.update_person(request.user, person, version=data["version"] or 0, **fields)
        except actions.StaleEdit as stale:
            conflict = stale.current
            form.add_error(
                None,
                _(
                    "Someone else saved this person while you were editing. Their version is "
                    "shown below; your changes were not saved. Reload and apply them again."
                ),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:detail", pk=person.pk)
    return render(
        request, "people/person_form.html", {"form": form, "person": person, "conflict": conflict}
    )


@login_required
def relationship_add(request, pk):
    person = get_person_for_user(request, pk, audit_read=False)
    if request.method != "POST" or not actions.can_edit_people(request.user):
        raise PermissionDenied
    form = RelationshipForm(request.POST)
    if form.is_valid():
        relative = get_person_for_user(request, form.cleaned_data["relative"], audit_read=False)
        try:
            actions.add_relationship(
                request.user,
                person,
                relative,
                form.cleaned_data["kind"],
                parental_responsibility=form.cleaned_data["parental_responsibility"],
                lives_with=form.cleaned_data["lives_with"],
            )
        except ValidationError as exc:
            for problem in exc.messages:
                messages.error(request, problem)
        else:
            messages.success(request, _("Relationship saved."))
    else:
        messages.error(request, _("Choose a person and the relationship."))
    return redirect(f"/people/{person.pk}/?tab=family")
