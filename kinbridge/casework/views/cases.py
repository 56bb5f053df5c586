"""Casework pages: the case list, opening a case, the case page and its edit form, the
timeline, and the "Cases" tab of a person's page. (The workflow steps, workers and
family members: ``cases_workflow.py``.)"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinbridge.accounts.models import Team
from kinbridge.casework import case_actions, timeline
from kinbridge.casework.access import (
    case_staff,
    does_casework,
    get_case_for_user,
    require_casework,
)
from kinbridge.casework.forms_cases import CaseCreateForm, CaseEditForm
from kinbridge.casework.locking import StaleEdit
from kinbridge.casework.models import (
    Case,
    CaseMember,
    CaseStatus,
    CaseType,
    CaseWorker,
    Service,
)
from kinbridge.casework.views import cases_workflow
from kinbridge.casework.views.cases_page import render_case_page
from kinbridge.casework.views.common import apply_errors
from kinbridge.people.access import get_person_for_user
from kinbridge.people.models import Person

PAGE_SIZE = 50
STATUS_FILTERS = [("open", gettext_lazy("Open")), ("all", gettext_lazy("All"))]


def _last_service_on():
    return Subquery(
        Service.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(last=Max("date"))
        .values("last")[:1]
    )


def _mine(user) -> Q:
    return Q(lead_worker=user) | Q(
        Exists(CaseWorker.objects.filter(case_id=OuterRef("pk"), user=user))
    )


def filter_cases(cases, params, user):
    """The list's filters (shared with the API); returns the cases and the filters used."""
    filters = {name: params.get(name, "").strip()[:100] for name in ("type", "team", "lead", "q")}
    filters["status"] = params.get("status", "") or "open"
    filters["mine"] = "1" if params.get("mine") in ("1", "true", "on") else ""
    if filters["status"] == "open":
        cases = cases.open()
    elif filters["status"] in CaseStatus.values:
        cases = cases.filter(status=filters["status"])
    if filters["type"] in CaseType.values:
        cases = cases.filter(case_type=filters["type"])
    for name, field in (("team", "team_id"), ("lead", "lead_worker_id")):
        if filters[name].isdigit():
            cases = cases.filter(**{field: int(filters[name])})
    if filters["mine"]:
        cases = cases.filter(_mine(user))
    query = filters["q"]
    if query:
        clients = Person.objects.search(query).values("pk")
        cases = cases.filter(Q(reference=query.upper()) | Q(client__in=clients))
    return cases, filters


@login_required
def case_list(request):
    user = request.user
    require_casework(user)
    cases, filters = filter_cases(Case.objects.visible_to(user), request.GET, user)
    # The page's ids first, then their rows: visible_to is an OR no index orders, and
    # PostgreSQL would otherwise join every open case before keeping one page
    # (docs/benchmarks.md, casework: 1.35 s against 0.29 s at 100,000 cases).
    page = Paginator(cases.values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    ids = list(page.object_list)
    rows = Case.objects.filter(pk__in=ids).select_related("client", "lead_worker")
    rows = {case.pk: case for case in rows.annotate(last_service_on=_last_service_on())}
    page.object_list = [rows[pk] for pk in ids]
    teams = Team.objects.visible_to(user).active().order_by("name")
    return render(
        request,
        "casework/cases/case_list.html",
        {
            "page": page,
            "cases": page.object_list,
            "filters": filters,
            "statuses": STATUS_FILTERS + CaseStatus.choices,
            "types": CaseType.choices,
            "teams": teams,
            "leads": case_staff(list(teams.values_list("pk", flat=True))),
        },
    )


@login_required
def case_create(request):
    user = request.user
    require_casework(user)
    person = request.POST.get("person") or request.GET.get("person", "")
    if not person:
        query = request.GET.get("q", "").strip()[:100]
        found = Person.objects.visible_to(user).search(query)[:20] if query else []
        return render(request, "casework/cases/case_pick_client.html", {"q": query, "found": found})
    client = get_person_for_user(request, person, audit_read=False)
    form = CaseCreateForm(request.POST or None, user=user, client=client)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = case_actions.create_case(
                user,
                client=client,
                team=data["team"],
                case_type=data["case_type"],
                lead_worker=data["lead_worker"],
                opened_on=data["opened_on"],
                summary=data["summary"].strip(),
                project=data["project"],
                workers=list(data["workers"]),
                members=form.member_pairs(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
            return redirect("casework:case_detail", pk=case.pk)
    return render(request, "casework/cases/case_form.html", {"form": form, "client": client})


@login_required
def case_detail(request, pk):
    return render_case_page(request, get_case_for_user(request, pk))


@login_required
def case_edit(request, pk):
    case = get_case_for_user(request, pk, audit=request.method == "GET")
    cases_workflow.require_editor(request.user, case)
    form = CaseEditForm(request.POST or None, case=case)
    differences = None
    if request.method == "POST" and form.is_valid():
        try:
            case_actions.update_case(
                request.user, case, version=form.cleaned_data["version"], **form.fields_to_save()
            )
        except StaleEdit as stale:
            differences = stale.differences()
            # Keep the user's input; the form now carries the version on file, so saving
            # again (deliberately, having seen the differences) goes through.
            data = request.POST.copy()
            data["version"] = stale.current.version
            form = CaseEditForm(data, case=stale.current)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Someone else saved this case while you were editing it, so your changes "
                    "were not saved. Their values and yours are shown below; check them and "
                    "save again to keep yours."
                ),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("casework:case_detail", pk=case.pk)
    return render(
        request,
        "casework/cases/case_edit.html",
        {"case": case, "form": form, "differences": differences},
    )


@login_required
def case_timeline(request, pk):
    """The timeline alone: older entries for the case page (htmx), or a page of its own."""
    case = get_case_for_user(request, pk, audit=not request.htmx)
    page = timeline.case_timeline(request.user, case, timeline.page_number(request.GET.get("page")))
    template = "_timeline_entries.html" if request.htmx else "timeline.html"
    return render(request, f"casework/cases/{template}", {"case": case, "page": page})


def cases_tab(request, person):
    """The person's cases, as client or family member, that the user may see."""
    if not does_casework(request.user):
        return "casework/cases/_tab_cases.html", {"no_case_access": True}
    member = CaseMember.objects.filter(case_id=OuterRef("pk"), person=person)
    cases = (
        Case.objects.visible_to(request.user)
        .filter(Q(client=person) | Q(Exists(member)))
        .select_related("client", "team", "lead_worker")
        .order_by("-opened_on", "-id")
    )
    return "casework/cases/_tab_cases.html", {
        "person_cases": list(cases),
        "can_open_case": not person.is_erased,
    }


urlpatterns: list = [
    path("cases/", case_list, name="case_list"),
    path("cases/new/", case_create, name="case_create"),
    path("cases/<int:pk>/", case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", case_edit, name="case_edit"),
    path("cases/<int:pk>/timeline/", case_timeline, name="case_timeline"),
    *cases_workflow.urlpatterns,
]
