from django import forms
from django.utils.translation import gettext_lazy as _

from kinbridge.custody.models import OPEN_STATUSES, CustodyEpisode, CustodyStatus
from kinbridge.facilities.models import Facility, FacilityKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class FacilityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, facility):
        return f"{facility.name} ({facility.region.name})"


def custody_facilities():
    """Places where someone can be in custody."""
    return (
        Facility.objects.filter(is_active=True)
        .exclude(kind=FacilityKind.COMMUNITY_VENUE)
        .select_related("region")
        .order_by("name", "id")
    )


class ActionModelForm(forms.ModelForm):
    """A model form whose action validates and saves.

    The model's own checks would run on a half-built instance and repeat the
    action's messages less clearly, so they are skipped here.
    """

    def _post_clean(self):
        pass


class EpisodeForm(ActionModelForm):
    """Open a custody episode, or record a past one with its end date."""

    facility = FacilityChoiceField(label=_("Facility"), queryset=Facility.objects.none())

    class Meta:
        model = CustodyEpisode
        fields = [
            "facility",
            "status",
            "start",
            "expected_release",
            "parole_eligibility",
            "end",
            "notes",
        ]
        widgets = {
            "start": DateInput(),
            "expected_release": DateInput(),
            "parole_eligibility": DateInput(),
            "end": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"end": _("Only for a past episode: the day of the release or transfer.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = custody_facilities()
        self.fields["status"].initial = CustodyStatus.REMAND


class EpisodeUpdateForm(ActionModelForm):
    """Correct the current episode: remand to sentenced, new dates, notes."""

    class Meta:
        model = CustodyEpisode
        fields = ["status", "start", "expected_release", "parole_eligibility", "notes"]
        widgets = {
            "start": DateInput(),
            "expected_release": DateInput(),
            "parole_eligibility": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (value, label) for value, label in CustodyStatus.choices if value in OPEN_STATUSES
        ]


class TransferForm(forms.Form):
    facility = FacilityChoiceField(label=_("To facility"), queryset=Facility.objects.none())
    date = forms.DateField(label=_("Transfer date"), widget=DateInput())
    expected_release = forms.DateField(
        label=_("New expected release"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to keep the current one."),
    )
    children_move_with_her = forms.BooleanField(
        label=_("The children move with her"),
        required=False,
        help_text=_("Their stay here ends and a new one starts at the new facility."),
    )

    def __init__(self, *args, has_children=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = custody_facilities()
        if not has_children:
            del self.fields["children_move_with_her"]


class ReleaseForm(forms.Form):
    date = forms.DateField(label=_("Release date"), widget=DateInput())
    children_leave_with_her = forms.BooleanField(
        label=_("The children leave with her"),
        required=False,
        help_text=_("Their stay ends on the same day, recorded as “with the mother”."),
    )

    def __init__(self, *args, has_children=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_children:
            del self.fields["children_leave_with_her"]


class PlaceChildForm(forms.Form):
    child = forms.TypedChoiceField(label=_("Child"), coerce=int)
    start = forms.DateField(label=_("Living with her there from"), widget=DateInput())

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [
            (child.pk, f"{child.full_name} ({child.birth_display or '?'})") for child in children
        ]


NEXT_PLACES = (
    _("With the mother's relatives"),
    _("With the father"),
    _("Foster care"),
    _("A children's home outside the facility"),
    _("With the mother, on her release"),
)


class EndStayForm(forms.Form):
    date = forms.DateField(label=_("Left on"), widget=DateInput())
    next_place = forms.CharField(
        label=_("Where the child goes next"),
        max_length=200,
        widget=forms.TextInput(attrs={"list": "next-places"}),
    )
    carer = forms.TypedChoiceField(
        label=_("Who cares for the child now"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, carers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carer"].choices = [("", _("Not recorded"))] + [
            (person.pk, person.full_name) for person in carers
        ]
