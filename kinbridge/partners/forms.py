from django import forms
from django.utils.translation import gettext_lazy as _

from kinbridge.accounts.models import Region
from kinbridge.front.formsets import RowFormSet
from kinbridge.partners.actions import (
    CONTACT_FIELDS,
    SERVICE_FIELDS,
    normalise_languages,
    partner_errors,
)
from kinbridge.partners.models import Partner, PartnerService, ServiceKind


class PartnerForm(forms.ModelForm):
    website = Partner._meta.get_field("website").formfield(assume_scheme="https")

    class Meta:
        model = Partner
        fields = list(Partner.EDITABLE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "address": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("country", "name")

    def clean(self):
        cleaned = super().clean()
        for field, message in partner_errors(cleaned, instance=self.instance).items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def validate_unique(self):
        """Checked in clean(), case-insensitively."""


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=[("", "—"), *ServiceKind.choices])
    description = forms.CharField(
        label=_("Short description"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Only in these regions"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: wherever the partner works."),
    )
    languages = forms.CharField(
        label=_("Languages"), max_length=60, required=False, help_text=_("For example: ru, lt, en")
    )

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        # One region list for every row: the formset passes it in (no query per row).
        self.fields["regions"].queryset = Region.objects.order_by("country", "name")
        if regions is not None:
            self.fields["regions"].choices = [(region.pk, str(region)) for region in regions]

    def clean_languages(self):
        codes = normalise_languages(self.cleaned_data["languages"])
        if codes is None:
            raise forms.ValidationError(_("Use language codes separated by commas, e.g. ru, lt."))
        return codes


class ServiceFormSet(RowFormSet):
    def __init__(self, *args, regions=None, **kwargs):
        self.regions = regions
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"regions": self.regions}

    def clean(self):
        if any(self.errors):
            return
        kinds = [form.cleaned_data["kind"] for form in self.kept_forms()]
        if len(set(kinds)) != len(kinds):
            raise forms.ValidationError(
                _("Each kind of service can be listed once; describe it in one row.")
            )

    def services(self) -> list[dict]:
        return self.rows([*SERVICE_FIELDS, "regions"])


class ContactForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(label=_("Role"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)


class ContactFormSet(RowFormSet):
    def contacts(self) -> list[dict]:
        return self.rows(["id", *CONTACT_FIELDS])


ServiceRows = forms.formset_factory(
    ServiceForm, formset=ServiceFormSet, extra=2, can_delete=True, max_num=20, validate_max=True
)
ContactRows = forms.formset_factory(
    ContactForm, formset=ContactFormSet, extra=2, can_delete=True, max_num=20, validate_max=True
)


def service_initial(partner: Partner | None) -> list[dict]:
    if partner is None:
        return []
    services = partner.services.prefetch_related("regions")
    return [
        {
            **{name: getattr(service, name) for name in PartnerService.EDITABLE_FIELDS},
            "regions": [region.pk for region in service.regions.all()],
        }
        for service in services
    ]


def contact_initial(partner: Partner | None) -> list[dict]:
    if partner is None:
        return []
    return [
        {
            "id": contact.pk,
            **{name: getattr(contact, name) for name in CONTACT_FIELDS},
        }
        for contact in partner.contacts.all()
    ]
