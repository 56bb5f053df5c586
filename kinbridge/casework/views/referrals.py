"""Pages: the intake queue, recording a referral, triage (accept or decline) and
referrals out of a case (the case page's panel, the form and the partner's answer)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, F, When
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinbridge.accounts.models import Team
from kinbridge.casework import intake, referral_actions
from kinbridge.casework.access import (
    can_edit_case,
    can_triage,
    get_case_for_user,
    get_referral_for_user,
    get_referral_out_for_user,
    require_casework,
)
from kinbridge.casework.forms_referrals import (
    AcceptForm,
    AnswerForm,
    DeclineForm,
    ReferralForm,
    ReferralOutForm,
)
from kinbridge.casework.locking import StaleEdit
from kinbridge.casework.models import (
    NeedType,
    Referral,
    ReferralOut,
    ReferralSource,
    ReferralStatus,
    SharedItem,
)
from kinbridge.casework.needs import need_label
from kinbridge.casework.views.common import apply_errors, next_url
from kinbridge.consents.models import Consent, Purpose
from kinbridge.people.models import Person, PersonRoleKind

PAGE_SIZE = 50
NO_TEAM = "none"


def _queue_order(referrals):
    """Waiting referrals first, the longest waiting on top; then the latest decisions."""
    waiting = models.Case(When(status=ReferralStatus.NEW, then=0), default=1)
    received = models.Case(When(status=ReferralStatus.NEW, then=F("received_on")))
    return referrals.order_by(waiting, received.asc(), F("decided_at").desc(), "id")


@login_required
def referral_list(request):
    require_casework(request.user)
    visible = Referral.objects.visible_to(request.user)
    filters = {
        "status": request.GET.get("status", ""),
        "source": request.GET.get("source", ""),
        "team": request.GET.get("team", ""),
    }
    referrals = visible
    if filters["status"] in ReferralStatus.values:
        referrals = referrals.filter(status=filters["status"])
    if filters["source"] in ReferralSource.values:
        referrals = referrals.filter(source=filters["source"])
    if filters["team"] == NO_TEAM:
        referrals = referrals.filter(team__isnull=True)
    elif filters["team"].isdigit():
        referrals = referrals.filter(team_id=int(filters["team"]))
    referrals = _queue_order(referrals.select_related("team", "partner", "facility"))
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = list(
        visible.filter(status=ReferralStatus.NEW)
        .values("team_id", "team__name")
        .annotate(count=Count("id"))
        .order_by("team__name")
    )
    return render(
        request,
        "casework/referrals/referral_list.html",
        {
            "page": page,
            "referrals": page.object_list,
            "filters": filters,
            "waiting": waiting,
            "waiting_total": sum(row["count"] for row in waiting),
            "statuses": ReferralStatus.choices,
            "sources": ReferralSource.choices,
            "teams": Team.objects.visible_to(request.user).order_by("name"),
            "no_team": NO_TEAM,
        },
    )


@login_required
def referral_create(request):
    require_casework(request.user)
    form = ReferralForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            referral = intake.file_referral(request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The referral is in the queue. Reference: %(ref)s") % {"ref": referral.reference},
            )
            return redirect("casework:referral_detail", pk=referral.pk)
    return render(request, "casework/referrals/referral_form.html", {"form": form})


def _accept_initial(referral: Referral, check) -> dict:
    role = (
        PersonRoleKind.PRISONER
        if referral.source == ReferralSource.PRISON_STAFF
        else PersonRoleKind.RELATIVE
    )
    return {
        "team": referral.team_id,
        "case_type": referral.case_type,
        "role": role,
        "version": referral.version,
        "seen_duplicates": check.token if check else "",
    }


def _triage_page(request, referral: Referral, *, accept=None, decline=None, check=None):
    """The triage page; the forms only while the referral waits and the user may decide."""
    user = request.user
    decides = referral.status == ReferralStatus.NEW and can_triage(user, referral)
    query = request.GET.get("q", "").strip()[:100]
    found = []
    if decides:
        if check is None:
            check = referral_actions.likely_duplicates(user, referral)
        accept = accept or AcceptForm(initial=_accept_initial(referral, check), user=user)
        decline = decline or DeclineForm(initial={"version": referral.version})
        if query:
            found = list(
                Person.objects.visible_to(user).filter(erased_at__isnull=True).search(query)[:10]
            )
    needs = NeedType.objects.filter(code__in=referral.needs) if referral.needs else []
    return render(
        request,
        "casework/referrals/referral_detail.html",
        {
            "referral": referral,
            "decides": decides,
            "duplicates": check,
            "found": found,
            "query": query,
            "accept_form": accept,
            "decline_form": decline,
            "needs": [need_label(need) for need in needs],
            "chosen_person": (accept["person"].value() if accept else None) or "",
        },
    )


@login_required
def referral_detail(request, pk):
    return _triage_page(request, get_referral_for_user(request, pk))


def _triage_referral(request, pk) -> Referral:
    referral = get_referral_for_user(request, pk, audit=False)
    if not can_triage(request.user, referral):
        raise PermissionDenied
    return referral


def _decided_elsewhere(request, referral, exc) -> object:
    if isinstance(exc, StaleEdit):
        messages.error(request, _("The referral changed while you were looking; check it again."))
    else:
        messages.error(request, exc.messages[0])
    return redirect("casework:referral_detail", pk=referral.pk)


@login_required
@require_POST
def referral_accept(request, pk):
    referral = _triage_referral(request, pk)
    form = AcceptForm(request.POST, user=request.user)
    check = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            referral = referral_actions.accept_referral(
                request.user,
                referral,
                team=data["team"],
                case_type=data["case_type"],
                lead_worker=data["lead_worker"],
                person=data["person"],
                role=data["role"],
                not_duplicate_of=data["seen_duplicates"] if data["confirm_not_duplicate"] else None,
                version=data["version"],
            )
        except (referral_actions.AlreadyDecided, StaleEdit) as exc:
            return _decided_elsewhere(request, referral, exc)
        except referral_actions.LikelyDuplicates as exc:
            check = exc.check
            form = AcceptForm(
                request.POST.dict() | {"seen_duplicates": check.token}, user=request.user
            )
            form.is_valid()
            apply_errors(form, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Accepted: case %(case)s is open for %(name)s.")
                % {"case": referral.case.reference, "name": referral.person.full_name},
            )
            return redirect("casework:referral_detail", pk=referral.pk)
    return _triage_page(request, referral, accept=form, check=check)


@login_required
@require_POST
def referral_decline(request, pk):
    referral = _triage_referral(request, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            referral_actions.decline_referral(
                request.user,
                referral,
                reason=data["reason"],
                signposted_to=data["signposted_to"],
                version=data["version"],
            )
        except (referral_actions.AlreadyDecided, StaleEdit) as exc:
            return _decided_elsewhere(request, referral, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The referral was declined."))
            return redirect("casework:referral_detail", pk=referral.pk)
    return _triage_page(request, referral, decline=form)


# --- Referrals out ---------------------------------------------------------------------


def _consented_partners(case) -> set[int]:
    """Partners the client currently consents to share with (one query)."""
    return set(
        Consent.objects.held_on(timezone.localdate())
        .filter(person_id=case.client_id, purpose=Purpose.SHARING)
        .values_list("partner_id", flat=True)
    )


def _out_context(request, case, form=None) -> dict:
    editable = case.is_open and can_edit_case(request.user, case)
    if editable and form is None:
        form = ReferralOutForm(consented_partners=_consented_partners(case))
    rows = list(ReferralOut.objects.filter(case=case).select_related("partner", "consent"))
    for row in rows:
        row.shared_labels = [SharedItem(item).label for item in row.shared_items]
    return {
        "case": case,
        "rows": rows,
        "form": form if editable else None,
        "next": request.get_full_path(),
    }


def case_panel(request, case) -> dict:
    """The case page's "Referrals out" panel: the referrals with their answers, the form."""
    return _out_context(request, case)


@login_required
def referral_out_create(request, pk):
    case = get_case_for_user(request, pk, audit=request.method == "GET")
    if not can_edit_case(request.user, case):
        raise PermissionDenied
    here = reverse("casework:referral_out_create", kwargs={"pk": case.pk})
    form = None
    if request.method == "POST":
        form = ReferralOutForm(request.POST, consented_partners=_consented_partners(case))
        if form.is_valid():
            try:
                referral_actions.refer_out(request.user, case, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Referred to %(partner)s.") % {"partner": form.cleaned_data["partner"].name},
                )
                return redirect(next_url(request, here))
    context = _out_context(request, case, form)
    context["next"] = next_url(request, here)
    return render(request, "casework/referrals/referral_out_form.html", {"panel": context})


@login_required
def referral_out_answer(request, pk):
    referral = get_referral_out_for_user(request, pk)
    case = referral.case
    if not can_edit_case(request.user, case):
        raise PermissionDenied
    back = reverse("casework:referral_out_create", kwargs={"pk": case.pk})
    initial = {
        "status": referral.status if referral.status != "sent" else "",
        "answered_on": referral.answered_on or timezone.localdate(),
        "answer_note": referral.answer_note,
        "version": referral.version,
    }
    form = AnswerForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral_actions.answer_referral_out(request.user, referral, **data)
        except StaleEdit as stale:
            conflict = stale
            form = AnswerForm(request.POST.dict() | {"version": stale.current.version})
            form.is_valid()
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The partner's answer is saved."))
            return redirect(next_url(request, back))
    return render(
        request,
        "casework/referrals/referral_out_answer.html",
        {
            "referral": referral,
            "case": case,
            "form": form,
            "conflict": conflict.differences() if conflict else None,
            "next": next_url(request, back),
        },
    )


urlpatterns = [
    path("referrals/", referral_list, name="referral_list"),
    path("referrals/new/", referral_create, name="referral_create"),
    path("referrals/<int:pk>/", referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/accept/", referral_accept, name="referral_accept"),
    path("referrals/<int:pk>/decline/", referral_decline, name="referral_decline"),
    path("cases/<int:pk>/referrals-out/", referral_out_create, name="referral_out_create"),
    path("referrals-out/<int:pk>/answer/", referral_out_answer, name="referral_out_answer"),
]
