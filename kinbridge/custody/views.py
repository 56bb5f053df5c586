"""The person page's Custody tab, the forms it posts to, and the planning page."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, F, OuterRef
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinbridge.custody import actions
from kinbridge.custody.access import get_episode_for_user, get_stay_for_user
from kinbridge.custody.forms import (
    NEXT_PLACES,
    EndStayForm,
    EpisodeForm,
    EpisodeUpdateForm,
    PlaceChildForm,
    ReleaseForm,
    TransferForm,
)
from kinbridge.custody.models import ChildResidence
from kinbridge.custody.planning import occupancy, parse_days, planning_lists
from kinbridge.facilities.models import Facility
from kinbridge.people.access import get_person_for_user
from kinbridge.people.actions import can_edit_people
from kinbridge.people.models import PARENT_KINDS, ROLES_SEEING_PEOPLE, Person, Relationship
from kinbridge.people.tabs import PERSON_TABS


def _stays(user, **filters):
    """Children's stays with child, mother, facility, carer and the mother's release."""
    visible = Person.objects.visible_to(user)
    return (
        ChildResidence.objects.visible_to(user)
        .filter(**filters)
        .with_mother_release()
        .annotate(carer_visible=Exists(visible.filter(pk=OuterRef("carer_id"))))
        .select_related("child", "mother", "facility", "carer")
        .order_by(F("end").desc(nulls_first=True), "-start", "-id")
    )


def _with_limits(stays, today):
    for stay in stays:
        stay.limit = stay.stay_limit(stay.mother_release) if stay.end is None else None
        stay.days_left = (stay.limit - today).days if stay.limit else None
    return stays


def custody_tab(request, person, bound=None):
    """Episodes (with transfers), children living with her, and where a child lives."""
    bound = bound or {}
    today = timezone.localdate()
    episodes = list(
        person.custody_episodes.select_related("facility", "previous__facility").order_by(
            "-start", "-id"
        )
    )
    current = next((episode for episode in episodes if episode.end is None), None)
    with_her = _with_limits(list(_stays(request.user, mother=person)), today)
    own_stays = _with_limits(list(_stays(request.user, child=person)), today)
    children_here = [stay for stay in with_her if stay.end is None]
    context = {
        "episodes": episodes,
        "current_episode": current,
        "days_to_release": current.days_to_release(today) if current else None,
        "children_with_her": with_her,
        "own_stays": own_stays,
        "can_edit": can_edit_people(request.user),
    }
    if context["can_edit"]:
        context |= _tab_forms(request, person, current, children_here, bound)
    return "custody/_tab_custody.html", context


def _tab_forms(request, person, current, children_here, bound) -> dict:
    has_children = bool(children_here)
    forms = {
        "episode_form": bound.get("episode") or EpisodeForm(prefix="episode"),
        "next_places": NEXT_PLACES,
    }
    if current is None:
        return forms
    visible = Person.objects.visible_to(request.user)
    here = {stay.child_id for stay in children_here}
    her_children = [
        link.person
        for link in Relationship.objects.filter(
            relative=person, kind__in=PARENT_KINDS, end__isnull=True, person__in=visible
        )
        .exclude(person_id__in=ChildResidence.objects.current().values("child_id"))
        .select_related("person")
        .order_by("person__given_name", "person_id")
    ]
    relatives = defaultdict(list)
    for link in (
        Relationship.objects.filter(person_id__in=here, end__isnull=True, relative__in=visible)
        .select_related("relative")
        .order_by("kind", "id")
    ):
        relatives[link.person_id].append(link.relative)
    for stay in children_here:
        carers = [person] + [r for r in relatives[stay.child_id] if r.pk != person.pk]
        stay.end_form = bound.get(f"leave-{stay.pk}") or EndStayForm(
            prefix=f"leave-{stay.pk}", carers=carers
        )
    forms |= {
        "update_form": bound.get("edit") or EpisodeUpdateForm(prefix="edit", instance=current),
        "transfer_form": bound.get("transfer")
        or TransferForm(prefix="transfer", has_children=has_children),
        "release_form": bound.get("release")
        or ReleaseForm(prefix="release", has_children=has_children),
        "place_form": bound.get("child") or PlaceChildForm(prefix="child", children=her_children),
        "children_unit": occupancy(Facility.objects.filter(pk=current.facility_id)).first(),
    }
    return forms


def _tab_url(person) -> str:
    return reverse("people:detail", args=[person.pk]) + "?tab=custody"


def _render_tab(request, person, bound):
    """The person page on the Custody tab, showing a refused form with its errors."""
    template, context = custody_tab(request, person, bound)
    return render(
        request,
        "people/person_detail.html",
        {"person": person, "tab": "custody", "tabs": PERSON_TABS, "tab_template": template}
        | context,
    )


def _apply_errors(form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _require_editor(request) -> None:
    if not can_edit_people(request.user):
        raise PermissionDenied


def _attempt(request, person, key, form, action, success):
    """Run ``action`` with the form's data; redirect on success, else show the errors."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(_tab_url(person))
    return _render_tab(request, person, {key: form})


@login_required
@require_POST
def episode_create(request, pk):
    person = get_person_for_user(request, pk, audit_read=False)
    _require_editor(request)
    form = EpisodeForm(request.POST, prefix="episode")
    return _attempt(
        request,
        person,
        "episode",
        form,
        lambda data: actions.record_episode(request.user, person, **data),
        _("Custody episode saved."),
    )


@login_required
@require_POST
def episode_update(request, pk):
    episode = get_episode_for_user(request, pk)
    _require_editor(request)
    form = EpisodeUpdateForm(request.POST, prefix="edit", instance=episode)
    return _attempt(
        request,
        episode.person,
        "edit",
        form,
        lambda data: actions.update_episode(request.user, episode, **data),
        _("Changes saved."),
    )


def _has_children(episode) -> bool:
    return (
        ChildResidence.objects.current()
        .filter(mother_id=episode.person_id, facility_id=episode.facility_id)
        .exists()
    )


@login_required
@require_POST
def episode_transfer(request, pk):
    episode = get_episode_for_user(request, pk)
    _require_editor(request)
    form = TransferForm(request.POST, prefix="transfer", has_children=_has_children(episode))
    return _attempt(
        request,
        episode.person,
        "transfer",
        form,
        lambda data: actions.transfer(request.user, episode, **data),
        _("Transfer recorded."),
    )


@login_required
@require_POST
def episode_release(request, pk):
    episode = get_episode_for_user(request, pk)
    _require_editor(request)
    form = ReleaseForm(request.POST, prefix="release", has_children=_has_children(episode))
    return _attempt(
        request,
        episode.person,
        "release",
        form,
        lambda data: actions.release(request.user, episode, **data),
        _("Release recorded."),
    )


@login_required
@require_POST
def stay_create(request, pk):
    """Place a child with the mother (``pk``) in her facility."""
    mother = get_person_for_user(request, pk, audit_read=False)
    _require_editor(request)
    visible = Person.objects.visible_to(request.user)
    children = [
        link.person
        for link in Relationship.objects.filter(
            relative=mother, kind__in=PARENT_KINDS, end__isnull=True, person__in=visible
        ).select_related("person")
    ]
    form = PlaceChildForm(request.POST, prefix="child", children=children)

    def place(data):
        child = next(child for child in children if child.pk == data["child"])
        actions.place_child(request.user, child=child, mother=mother, start=data["start"])

    return _attempt(
        request, mother, "child", form, place, _("The child's stay with her is recorded.")
    )


@login_required
@require_POST
def stay_end(request, pk):
    stay = get_stay_for_user(request, pk)
    _require_editor(request)
    visible = Person.objects.visible_to(request.user)
    carers = [stay.mother] + [
        link.relative
        for link in Relationship.objects.filter(
            person_id=stay.child_id, end__isnull=True, relative__in=visible
        )
        .exclude(relative_id=stay.mother_id)
        .select_related("relative")
    ]
    key = f"leave-{stay.pk}"
    form = EndStayForm(request.POST, prefix=key, carers=carers)

    def end(data):
        carer = next((person for person in carers if person.pk == data["carer"]), None)
        actions.end_stay(
            request.user, stay, date=data["date"], next_place=data["next_place"], carer=carer
        )

    return _attempt(request, stay.mother, key, form, end, _("The child's departure is recorded."))


@login_required
def planning(request):
    """Children nearing their stay limit, prisoners nearing release, and occupancy."""
    if not request.user.has_role(*ROLES_SEEING_PEOPLE):
        raise PermissionDenied
    days = parse_days(request.GET.get("days"))
    latest_first = request.GET.get("order") == "latest"
    lists = planning_lists(
        request.user, today=timezone.localdate(), days=days, latest_first=latest_first
    )
    facilities = (
        occupancy(Facility.objects.filter(is_active=True))
        .select_related("region")
        .order_by("region__country", "name", "id")
    )
    return render(
        request,
        "custody/planning.html",
        {"plan": lists, "facilities": facilities, "latest_first": latest_first},
    )
