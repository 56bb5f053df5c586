from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kinbridge.consents.models import Method, Purpose
from kinbridge.partners.models import Partner
from kinbridge.people.models import Person, Relationship

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
EVIDENCE_HELP = _("A PDF, JPEG or PNG: a scan or a photo of the signed form.")


def giver_choices(person: Person, visible) -> list[tuple[Person, str]]:
    """The person themself and the relatives (visible to the user) with parental responsibility."""
    choices = [(person, _("%(name)s (this person)") % {"name": person.full_name})]
    links = (
        Relationship.objects.filter(
            person=person,
            parental_responsibility=True,
            end__isnull=True,
            relative__in=visible,
        )
        .select_related("relative")
        .order_by("kind", "id")
    )
    seen = {person.pk}
    for link in links:
        if link.relative_id not in seen:
            seen.add(link.relative_id)
            label = _("%(name)s (%(kind)s, parental responsibility)") % {
                "name": link.relative.full_name,
                "kind": link.get_kind_display().lower(),
            }
            choices.append((link.relative, label))
    return choices


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Consent for"),
        choices=[(value, capfirst(label)) for value, label in Purpose.choices],
    )
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"),
        queryset=Partner.objects.filter(is_active=True),
        required=False,
        help_text=_("Only for sharing with a partner."),
    )
    given_by = forms.TypedChoiceField(label=_("Given by"), coerce=int)
    given_on = forms.DateField(label=_("Date given"), widget=DATE_INPUT)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    evidence = forms.FileField(
        label=_("Evidence (optional)"), required=False, help_text=EVIDENCE_HELP
    )

    def __init__(self, *args, person: Person, visible, **kwargs):
        super().__init__(*args, **kwargs)
        choices = giver_choices(person, visible)
        self.givers = {giver.pk: giver for giver, _label in choices}
        self.fields["given_by"].choices = [(giver.pk, label) for giver, label in choices]
        self.initial.setdefault("given_on", timezone.localdate())
        self.initial.setdefault("given_by", person.pk)

    def clean_given_by(self):
        return self.givers[self.cleaned_data["given_by"]]


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example, the person's own words."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("withdrawn_on", timezone.localdate())


class EvidenceForm(forms.Form):
    evidence = forms.FileField(label=_("Evidence"), help_text=EVIDENCE_HELP)
