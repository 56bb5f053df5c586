from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinbridge.accounts.access import is_administrator
from kinbridge.accounts.models import Team
from kinbridge.audit.actions import REDACTED
from kinbridge.audit.models import AuditEvent
from kinbridge.consents.checks import contact_consents
from kinbridge.custody.family import homes
from kinbridge.people import actions, duplicates
from kinbridge.people.access import get_person_for_user
from kinbridge.people.forms import (
    DuplicateConfirmForm,
    EndForm,
    PersonForm,
    RelationshipForm,
    RoleForm,
)
from kinbridge.people.models import (
    PARENT_KINDS,
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


SORTS = {
    "recent": ("-id",),
    "name": ("family_name", "given_name", "id"),
}


def _keyset(people, sort: str, after: str):
    """Rows after the cursor ``after`` in the order ``sort`` (None: a malformed cursor)."""
    if not after:
        return people
    if sort == "recent":
        return people.filter(pk__lt=int(after)) if after.isdigit() else None
    family, _sep, rest = after.partition("\x1f")
    given, _sep, pk = rest.partition("\x1f")
    if not pk.isdigit():
        return None
    return people.filter(
        Q(family_name__gt=family)
        | Q(family_name=family, given_name__gt=given)
        | Q(family_name=family, given_name=given, pk__gt=int(pk))
    )


def _cursor(person, sort: str) -> str:
    if sort == "recent":
        return str(person.pk)
    return "\x1f".join((person.family_name, person.given_name, str(person.pk)))


@login_required
def person_list(request):
    _require_people_access(request.user)
    people = Person.objects.visible_to(request.user).prefetch_related(
        Prefetch("roles", queryset=PersonRole.objects.filter(end__isnull=True))
    )
    query = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    sort = request.GET.get("sort", "recent")
    sort = sort if sort in SORTS else "recent"
    teams = Team.objects.visible_to(request.user).active().order_by("name")
    team = request.GET.get("team", "")
    people = people.search(query)
    if role in PersonRoleKind.values:
        people = people.filter(roles__role=role, roles__end__isnull=True)
    if team.isdigit():
        people = people.filter(team_links__team_id=int(team))
    people = _keyset(people.order_by(*SORTS[sort]), sort, request.GET.get("after", "")[:320])
    if people is None:
        return redirect("people:list")
    page = list(people[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    filters = {"q": query, "role": role, "team": team, "sort": sort}
    return render(
        request,
        "people/person_list.html",
        {
            "people": page,
            "next_query": urlencode(filters | {"after": _cursor(page[-1], sort)}) if more else None,
            "query": query,
            "role": role,
            "roles": PersonRoleKind.choices,
            "team": team,
            "teams": teams,
            "sort": sort,
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
    links = person.team_links.select_related("team").order_by("team__name")
    sharable = []
    if is_administrator(request.user):
        sharable = Team.objects.active().exclude(person_links__person=person).order_by("name")
    return "people/_tab_overview.html", {
        "roles": person.roles.all(),
        "role_form": RoleForm(),
        "team_links": links,
        "sharable_teams": sharable,
        "can_share": is_administrator(request.user),
        "contact": contact_consents(person),
    }


def family_tab(request, person):
    visible = Person.objects.visible_to(request.user)
    find = request.GET.get("find", "").strip()[:100]
    relative_of = list(
        Relationship.objects.filter(relative=person, person__in=visible)
        .select_related("person")
        .order_by("end", "kind")
    )
    # The person and each of their children (current parent links), once each.
    household = list(
        {
            member.pk: member
            for member in [person]
            + [
                link.person
                for link in relative_of
                if link.kind in PARENT_KINDS and link.end is None
            ]
        }.values()
    )
    living = homes(request.user, household)
    return "people/_tab_family.html", {
        "relatives": Relationship.objects.filter(person=person, relative__in=visible)
        .select_related("relative")
        .order_by("end", "kind"),
        "relative_of": relative_of,
        "household": [(member, living[member.pk]) for member in household],
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
    return redirect(f"{reverse('people:detail', args=[person.pk])}?tab=family")


def _post_errors(request, error: ValidationError) -> None:
    for problem in error.messages:
        messages.error(request, problem)


def _apply_posted(request, person, form, change, done: str, tab: str):
    """Run ``change(cleaned_data)`` for a small form posted from a person's tab.

    Success and problems come back as messages on the tab the form was on.
    """
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors.values()))
        change(form.cleaned_data)
    except ValidationError as exc:
        _post_errors(request, exc)
    else:
        messages.success(request, done)
    return redirect(f"{reverse('people:detail', args=[person.pk])}?tab={tab}")


def _editable_person(request, pk) -> Person:
    person = get_person_for_user(request, pk, audit_read=False)
    if not actions.can_edit_people(request.user):
        raise PermissionDenied
    return person


@login_required
@require_POST
def role_add(request, pk):
    person = _editable_person(request, pk)
    return _apply_posted(
        request,
        person,
        RoleForm(request.POST),
        lambda data: actions.add_role(request.user, person, data["role"], start=data["start"]),
        _("Role added."),
        "overview",
    )


@login_required
@require_POST
def role_end(request, pk, role_pk):
    person = _editable_person(request, pk)
    facet = person.roles.filter(pk=role_pk).first()
    if facet is None:
        raise Http404
    return _apply_posted(
        request,
        person,
        EndForm(request.POST),
        lambda data: actions.end_role(request.user, facet, end=data["end"]),
        _("Role ended."),
        "overview",
    )


@login_required
@require_POST
def relationship_end(request, pk, link_pk):
    person = _editable_person(request, pk)
    visible = Person.objects.visible_to(request.user)
    link = (
        Relationship.objects.filter(pk=link_pk, person__in=visible, relative__in=visible)
        .filter(Q(person=person) | Q(relative=person))
        .first()
    )
    if link is None:
        raise Http404
    return _apply_posted(
        request,
        person,
        EndForm(request.POST),
        lambda data: actions.end_relationship(request.user, link, end=data["end"]),
        _("Relationship ended."),
        "family",
    )


@login_required
@require_POST
def person_share(request, pk):
    """Administrators let another team see a person, or stop sharing it."""
    person = get_person_for_user(request, pk, audit_read=False)
    if not is_administrator(request.user):
        raise PermissionDenied
    team = Team.objects.filter(pk=request.POST.get("team") or 0).first()
    try:
        if team is None:
            raise ValidationError(_("Choose a team."))
        if request.POST.get("stop"):
            actions.unshare_person(request.user, person, team)
            messages.success(request, _("No longer shared with %(team)s.") % {"team": team.name})
        else:
            actions.share_person(request.user, person, team)
            messages.success(request, _("Shared with %(team)s.") % {"team": team.name})
    except ValidationError as exc:
        _post_errors(request, exc)
    return redirect("people:detail", pk=person.pk)
