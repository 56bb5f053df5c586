from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kinbridge.accounts.models import Region
from kinbridge.partners import actions
from kinbridge.partners.access import get_partner_for_user
from kinbridge.partners.filters import filter_partners
from kinbridge.partners.forms import (
    ContactRows,
    PartnerForm,
    ServiceRows,
    contact_initial,
    service_initial,
)
from kinbridge.partners.models import Partner, PartnerService, ServiceKind

PAGE_SIZE = 50


@login_required
def partner_list(request):
    if not actions.can_view_partners(request.user):
        raise PermissionDenied
    partners = (
        Partner.objects.visible_to(request.user)
        .select_related("region")
        .prefetch_related(Prefetch("services", queryset=PartnerService.objects.order_by("kind")))
    )
    partners, filters = filter_partners(partners, request.GET)
    page = Paginator(partners.order_by("name", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/partner_list.html",
        {
            "page": page,
            "partners": page.object_list,
            "filters": filters,
            "regions": Region.objects.order_by("country", "name"),
            "services": ServiceKind.choices,
            "can_edit": actions.can_edit_partners(request.user),
        },
    )


@login_required
def partner_detail(request, pk):
    partner = get_partner_for_user(request, pk)
    see_contacts = actions.can_see_contacts(request.user)
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "services": partner.services.prefetch_related("regions").order_by("kind"),
            "contacts": partner.contacts.all() if see_contacts else None,
            "can_edit": actions.can_edit_partners(request.user),
        },
    )


def _apply_errors(form, formsets: dict, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        if field in form.fields:
            form.add_error(field, problems)
        elif field in formsets:
            formset = formsets[field]
            formset._non_form_errors = formset.error_class(
                problems, error_class="nonform", renderer=formset.renderer
            )
        else:
            form.add_error(None, problems)


def _edit(request, partner: Partner | None):
    if not actions.can_edit_partners(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    title = partner.name if partner else ""  # the form's instance takes posted values
    regions = list(Region.objects.order_by("country", "name"))
    form = PartnerForm(data, instance=partner)
    services = ServiceRows(
        data, prefix="services", initial=service_initial(partner), regions=regions
    )
    contacts = ContactRows(data, prefix="contacts", initial=contact_initial(partner))
    if data is not None and all([form.is_valid(), services.is_valid(), contacts.is_valid()]):
        fields = {name: form.cleaned_data[name] for name in actions.PARTNER_FIELDS}
        try:
            if partner is None:
                partner = actions.create_partner(
                    request.user,
                    services=services.services(),
                    contacts=contacts.contacts(),
                    **fields,
                )
            else:
                actions.update_partner(
                    request.user,
                    partner,
                    services=services.services(),
                    contacts=contacts.contacts(),
                    **fields,
                )
        except ValidationError as exc:
            _apply_errors(form, {"services": services, "contacts": contacts}, exc)
        else:
            messages.success(request, _("Partner saved."))
            return redirect("partners:detail", pk=partner.pk)
    return render(
        request,
        "partners/partner_form.html",
        {
            "partner": partner,
            "title": title,
            "form": form,
            "services": services,
            "contacts": contacts,
        },
    )


@login_required
def partner_create(request):
    return _edit(request, None)


@login_required
def partner_edit(request, pk):
    return _edit(request, get_partner_for_user(request, pk))
