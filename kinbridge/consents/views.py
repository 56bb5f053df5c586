"""The Consents tab of a person's page and the forms it posts to."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinbridge.audit.actions import record_read
from kinbridge.consents import actions
from kinbridge.consents.access import get_consent_for_user
from kinbridge.consents.forms import ConsentForm, EvidenceForm, WithdrawForm
from kinbridge.consents.storage import content_type
from kinbridge.people.access import get_person_for_user
from kinbridge.people.actions import can_edit_people
from kinbridge.people.models import Person
from kinbridge.people.tabs import PERSON_TABS

TAB_TEMPLATE = "consents/_tab_consents.html"


def consents_tab(request, person, *, form=None, refused=None):
    """Current and past consents, and (for editors) the forms to change them.

    ``refused``: ``(consent id, bound form)`` of a withdrawal or upload that was
    refused, shown again with its errors.
    """
    can_edit = can_edit_people(request.user)
    visible = Person.objects.visible_to(request.user)
    consents = list(
        person.consents.select_related(
            "partner", "given_by", "recorded_by", "withdrawal_recorded_by"
        )
    )
    other_givers = {consent.given_by_id for consent in consents} - {person.pk}
    shown_givers = {person.pk} | set(
        visible.filter(pk__in=other_givers).values_list("pk", flat=True)
    )
    for consent in consents:
        # A giver from a team the user cannot see is named by reference only.
        consent.giver_visible = consent.given_by_id in shown_givers
        if can_edit:
            consent.withdraw_form = WithdrawForm(prefix=f"w{consent.pk}")
            consent.evidence_form = EvidenceForm(prefix=f"e{consent.pk}")
            if refused and refused[0] == consent.pk:
                if isinstance(refused[1], WithdrawForm):
                    consent.withdraw_form = refused[1]
                else:
                    consent.evidence_form = refused[1]
    if can_edit and form is None:
        form = ConsentForm(person=person, visible=visible)
    return TAB_TEMPLATE, {
        "current_consents": [consent for consent in consents if consent.is_current],
        "past_consents": [consent for consent in consents if not consent.is_current],
        "consent_form": form if can_edit else None,
        "refused_id": refused[0] if refused else None,
    }


def _tab_url(person) -> str:
    return f"{reverse('people:detail', args=[person.pk])}?tab=consents"


def _render_tab(request, person, **kwargs):
    template, context = consents_tab(request, person, **kwargs)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "tab": "consents",
            "tabs": PERSON_TABS,
            "tab_template": template,
            "can_edit": True,
            **context,
        },
    )


def _apply_errors(form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _require_editor(request) -> None:
    if not can_edit_people(request.user):
        raise PermissionDenied


@login_required
@require_POST
def consent_create(request, pk):
    person = get_person_for_user(request, pk, audit_read=False)
    _require_editor(request)
    visible = Person.objects.visible_to(request.user)
    form = ConsentForm(request.POST, request.FILES, person=person, visible=visible)
    if form.is_valid():
        try:
            consent = actions.record_consent(request.user, person, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, _("Consent recorded: %(purpose)s.") % {"purpose": consent.purpose_display}
            )
            return redirect(_tab_url(person))
    return _render_tab(request, person, form=form)


@login_required
@require_POST
def consent_withdraw(request, pk):
    consent = get_consent_for_user(request, pk)
    _require_editor(request)
    if not consent.is_current:
        messages.error(request, _("This consent was already withdrawn."))
        return redirect(_tab_url(consent.person))
    form = WithdrawForm(request.POST, prefix=f"w{consent.pk}")
    if form.is_valid():
        try:
            actions.withdraw_consent(request.user, consent, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Consent withdrawn: %(purpose)s.") % {"purpose": consent.purpose_display},
            )
            return redirect(_tab_url(consent.person))
    return _render_tab(request, consent.person, refused=(consent.pk, form))


@login_required
@require_POST
def evidence_attach(request, pk):
    consent = get_consent_for_user(request, pk)
    _require_editor(request)
    form = EvidenceForm(request.POST, request.FILES, prefix=f"e{consent.pk}")
    if form.is_valid():
        try:
            actions.attach_evidence(request.user, consent, form.cleaned_data["evidence"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Evidence uploaded."))
            return redirect(_tab_url(consent.person))
    return _render_tab(request, consent.person, refused=(consent.pk, form))


def evidence_response(consent) -> FileResponse:
    """The evidence file as a download (never shown inline); 404 if there is none."""
    if not consent.evidence:
        raise Http404
    try:
        handle = consent.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = consent.evidence.name
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"consent-{consent.pk}.{name.rsplit('.', 1)[-1]}",
        content_type=content_type(name),
    )


@login_required
def evidence_download(request, pk):
    """Through the access helper only, and every download is audited."""
    consent = get_consent_for_user(request, pk)
    response = evidence_response(consent)
    record_read(request.user, consent, file="evidence")
    return response
