from django import forms
from django.utils.translation import gettext_lazy as _

from kinbridge.accounts.models import Region
from kinbridge.facilities.actions import (
    facility_errors,
    rules_errors,
    slot_errors,
)
from kinbridge.facilities.models import Facility, VisitingRules, VisitKind, VisitSlot, Weekday
from kinbridge.front.formsets import RowFormSet

EMPTY_CHOICE = [("", "—")]


def _add_errors(form, errors: dict) -> None:
    """Rule errors go to their field, unless the field already has one of its own."""
    for field, message in errors.items():
        if field in form.fields and field not in form.errors:
            form.add_error(field, message)


class GroupedFormMixin:
    groups: list = []

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.groups]


class FacilityForm(GroupedFormMixin, forms.ModelForm):
    website = Facility._meta.get_field("website").formfield(assume_scheme="https")
    has_visiting_rules = forms.BooleanField(
        label=_("Relatives visit here: record the visiting rules below"),
        required=False,
        initial=True,
    )

    class Meta:
        model = Facility
        fields = list(Facility.EDITABLE_FIELDS)
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    groups = [
        (
            _("Facility"),
            ["name", "kind", "region", "address", "phone", "email", "website", "notes"],
        ),
        (
            _("Children's unit"),
            [
                "children_capacity",
                "child_age_limit_months",
                "extension_if_release_within_months",
                "extended_age_limit_months",
            ],
        ),
        (_("Status"), ["is_active", "is_public", "has_visiting_rules"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("country", "name")
        if self.instance.pk:
            self.initial["has_visiting_rules"] = hasattr(self.instance, "visiting_rules")

    def clean(self):
        cleaned = super().clean()
        fields = {name: cleaned.get(name) for name in Facility.EDITABLE_FIELDS}
        _add_errors(self, facility_errors(fields, instance=self.instance))
        return cleaned

    def validate_unique(self):
        """Uniqueness is checked in clean() with a message about the region."""


class VisitingRulesForm(GroupedFormMixin, forms.ModelForm):
    prefix = "rules"

    class Meta:
        model = VisitingRules
        fields = list(VisitingRules.EDITABLE_FIELDS)
        widgets = {
            "accepted_ids": forms.Textarea(attrs={"rows": 2}),
            "banned_items": forms.Textarea(attrs={"rows": 5}),
            "entry_notes": forms.Textarea(attrs={"rows": 3}),
        }

    groups = [
        (_("Booking and visitors"), ["booking_lead_days", "booking_window_days", "max_visitors"]),
        (_("Children visiting"), ["min_age_unaccompanied"]),
        (_("At the gate"), ["id_required", "accepted_ids", "banned_items", "devices_allowed"]),
        (_("Family room"), ["has_family_room", "family_room_capacity"]),
        (_("Other"), ["entry_notes"]),
    ]

    def clean(self):
        cleaned = super().clean()
        _add_errors(self, rules_errors(cleaned))
        return cleaned


class VisitSlotForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Day"), choices=EMPTY_CHOICE + Weekday.choices, coerce=int
    )
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    kind = forms.ChoiceField(label=_("Kind of visit"), choices=EMPTY_CHOICE + VisitKind.choices)
    days = forms.IntegerField(
        label=_("Calendar days"),
        min_value=1,
        max_value=VisitSlot.MAX_DAYS,
        initial=1,
        help_text=VisitSlot._meta.get_field("days").help_text,
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            _add_errors(self, slot_errors(cleaned))
        return cleaned


class BaseSlotFormSet(RowFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.kept_forms():
            data = form.cleaned_data
            key = (data["weekday"], data["start"], data["kind"])
            if key in seen:
                raise forms.ValidationError(_("The same day, start and kind appear twice."))
            seen.add(key)

    def slots(self) -> list[dict]:
        return self.rows(VisitSlot.EDITABLE_FIELDS)


SlotFormSet = forms.formset_factory(
    VisitSlotForm, formset=BaseSlotFormSet, extra=2, can_delete=True, max_num=50, validate_max=True
)


def slot_initial(rules: VisitingRules | None) -> list[dict]:
    if rules is None:
        return []
    return [
        {name: getattr(slot, name) for name in VisitSlot.EDITABLE_FIELDS}
        for slot in rules.slots.all()
    ]
