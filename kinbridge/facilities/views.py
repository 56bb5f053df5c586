from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kinbridge.accounts.models import Region
from kinbridge.facilities import actions, wording
from kinbridge.facilities.access import get_facility_for_user
from kinbridge.facilities.filters import filter_facilities
from kinbridge.facilities.forms import FacilityForm, SlotFormSet, VisitingRulesForm, slot_initial
from kinbridge.facilities.models import Facility, FacilityKind

PAGE_SIZE = 50


@login_required
def facility_list(request):
    if not actions.can_view_facilities(request.user):
        raise PermissionDenied
    facilities = Facility.objects.visible_to(request.user).select_related(
        "region", "visiting_rules"
    )
    facilities, filters = filter_facilities(facilities, request.GET)
    page = Paginator(facilities.order_by("name", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    regions = list(Region.objects.order_by("country", "name"))
    return render(
        request,
        "facilities/facility_list.html",
        {
            "page": page,
            "facilities": page.object_list,
            "filters": filters,
            "kinds": FacilityKind.choices,
            "regions": regions,
            "countries": sorted({region.country for region in regions}),
            "can_edit": actions.can_edit_facilities(request.user),
        },
    )


@login_required
def facility_detail(request, pk):
    facility = get_facility_for_user(request, pk)
    rules = getattr(facility, "visiting_rules", None)
    slots = list(rules.slots.all()) if rules else []
    return render(
        request,
        "facilities/facility_detail.html",
        {
            "facility": facility,
            "stay_rule": wording.stay_rule(facility),
            "rules": rules,
            "rule_sentences": wording.visiting_rules(rules) if rules else [],
            "slots": [(slot, wording.slot_when(slot)) for slot in slots],
            "banned_items": rules.banned_item_list() if rules else [],
            "can_edit": actions.can_edit_facilities(request.user),
        },
    )


def _apply_errors(forms, error: ValidationError) -> None:
    """Send each error of an action to the form that has the field; others to the first."""
    facility_form, rules_form, slot_formset = forms
    for field, problems in error.message_dict.items():
        if field in facility_form.fields:
            facility_form.add_error(field, problems)
        elif field in rules_form.fields:
            rules_form.add_error(field, problems)
        elif field == "slots":
            slot_formset._non_form_errors = slot_formset.error_class(
                problems, error_class="nonform", renderer=slot_formset.renderer
            )
        else:
            facility_form.add_error(None, problems)


def _edit(request, facility: Facility | None):
    if not actions.can_edit_facilities(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    rules = getattr(facility, "visiting_rules", None) if facility else None
    title = facility.name if facility else ""  # the form's instance takes posted values
    facility_form = FacilityForm(data, instance=facility)
    rules_form = VisitingRulesForm(data, instance=rules)
    slot_formset = SlotFormSet(data, prefix="slots", initial=slot_initial(rules))
    if data is not None:
        facility_ok = facility_form.is_valid()
        wants_rules = facility_form.cleaned_data.get("has_visiting_rules", False)
        # Validate every part, so all problems show at once.
        rules_ok = not wants_rules or all([rules_form.is_valid(), slot_formset.is_valid()])
        if facility_ok and rules_ok:
            fields = {name: facility_form.cleaned_data[name] for name in actions.FACILITY_FIELDS}
            new_rules = None
            if wants_rules:
                new_rules = {name: rules_form.cleaned_data[name] for name in actions.RULES_FIELDS}
            slots = slot_formset.slots() if wants_rules else []
            try:
                if facility is None:
                    facility = actions.create_facility(
                        request.user, rules=new_rules, slots=slots, **fields
                    )
                else:
                    actions.update_facility(
                        request.user, facility, rules=new_rules, slots=slots, **fields
                    )
            except ValidationError as exc:
                _apply_errors((facility_form, rules_form, slot_formset), exc)
            else:
                messages.success(request, _("Facility saved."))
                return redirect("facilities:detail", pk=facility.pk)
    return render(
        request,
        "facilities/facility_form.html",
        {
            "facility": facility,
            "title": title,
            "form": facility_form,
            "rules_form": rules_form,
            "slot_formset": slot_formset,
        },
    )


@login_required
def facility_create(request):
    return _edit(request, None)


@login_required
def facility_edit(request, pk):
    return _edit(request, get_facility_for_user(request, pk))
