"""Pages: sessions, recurring series and handouts (courses: ``sessions_courses.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kinbridge.accounts.roles import Role
from kinbridge.audit.actions import record_read
from kinbridge.facilities.models import Facility
from kinbridge.programmes import sessions_actions as actions
from kinbridge.programmes import sessions_course_actions as course_actions
from kinbridge.programmes.access import (
    can_edit_session,
    can_plan,
    can_record_attendance,
    can_see_roster,
    get_session_for_user,
    require_roster,
)
from kinbridge.programmes.forms_sessions import (
    CancelForm,
    HandoutForm,
    ReceiptsForm,
    SeriesForm,
    SessionEditForm,
    SessionForm,
)
from kinbridge.programmes.models import (
    Handout,
    Project,
    Session,
    SessionKind,
    SessionStatus,
)
from kinbridge.programmes.views import sessions_courses
from kinbridge.programmes.views.sessions_common import apply_errors, require_reader, shows_names

PAGE_SIZE = 50


@login_required
def session_list(request):
    require_reader(request)
    user = request.user
    visible = Session.objects.visible_to(user)
    sessions, filters = actions.filter_sessions(visible, request.GET, user)
    sessions = actions.upcoming_first(sessions.select_related("project", "facility", "course"))
    names = shows_names(user)
    if names:
        sessions = sessions.prefetch_related("facilitators")
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/sessions/session_list.html",
        {
            "page": page,
            "sessions": page.object_list,
            "filters": filters,
            "kinds": SessionKind.choices,
            "statuses": SessionStatus.choices,
            "projects": Project.objects.visible_to(user).order_by("title"),
            "facilities": Facility.objects.filter(
                pk__in=visible.exclude(facility=None).values("facility_id")
            ).order_by("name"),
            "shows_names": names,
            "can_plan": can_plan(user),
            "runs_sessions": user.has_role(Role.FACILITATOR),
        },
    )


@login_required
def session_detail(request, pk):
    require_reader(request)
    session = get_session_for_user(request, pk)
    user = request.user
    names = can_see_roster(user, session)
    series_sessions = []
    if session.series_id:
        series_sessions = list(
            Session.objects.visible_to(user)
            .filter(series_id=session.series_id)
            .order_by("start", "id")
            .only("pk", "start", "end", "status", "topic", "series_id")
        )
    return render(
        request,
        "programmes/sessions/session_detail.html",
        {
            "session": session,
            "shows_names": names,
            "facilitators": list(session.facilitators.all()) if names else [],
            "external": list(session.external_facilitators.all()) if names else [],
            "handouts": list(session.handouts.annotate(received=Count("receipts"))),
            "series_sessions": series_sessions,
            "can_edit": can_edit_session(user, session),
            "can_handouts": can_record_attendance(user, session),
            "handout_form": HandoutForm(),
            "cancel_form": CancelForm(),
        },
    )


def _initial_from_query(request) -> dict:
    initial = {}
    for name in ("project", "course", "kind"):
        value = request.GET.get(name, "")
        if value:
            initial[name] = value
    return initial


@login_required
def session_create(request):
    require_reader(request)
    if not can_plan(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = SessionForm(data, user=request.user, initial=_initial_from_query(request))
    if data is not None and form.is_valid():
        try:
            session = actions.create_session(request.user, **form.action_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Session saved."))
            return redirect("programmes:session_detail", pk=session.pk)
    return render(request, "programmes/sessions/session_form.html", {"form": form})


@login_required
def session_edit(request, pk):
    require_reader(request)
    session = get_session_for_user(request, pk)
    if not can_edit_session(request.user, session):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = SessionEditForm(data, user=request.user, session=session)
    if not session.series_id:
        del form.fields["scope"]
    if data is not None and form.is_valid():
        fields = form.action_fields()
        following = fields.pop("scope", "") == "following"
        try:
            actions.update_session(request.user, session, following=following, **fields)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("programmes:session_detail", pk=session.pk)
    return render(
        request, "programmes/sessions/session_form.html", {"form": form, "session": session}
    )


@login_required
@require_POST
def session_cancel(request, pk):
    require_reader(request)
    session = get_session_for_user(request, pk)
    if not can_edit_session(request.user, session):
        raise PermissionDenied
    form = CancelForm(request.POST)
    following = form.is_valid() and form.cleaned_data["scope"] == "following"
    try:
        cancelled = actions.cancel_session(request.user, session, following=following)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d session cancelled.", "%(count)d sessions cancelled.", len(cancelled)
            )
            % {"count": len(cancelled)},
        )
    return redirect("programmes:session_detail", pk=session.pk)


@login_required
def series_create(request):
    require_reader(request)
    if not can_plan(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = SeriesForm(data, user=request.user, initial=_initial_from_query(request))
    if data is not None and form.is_valid():
        fields = form.action_fields()
        try:
            series = actions.create_series(request.user, **fields)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Series saved with %(count)d session.",
                    "Series saved with %(count)d sessions.",
                    series.occurrences,
                )
                % {"count": series.occurrences},
            )
            first = series.sessions.order_by("start", "id").first()
            return redirect("programmes:session_detail", pk=first.pk)
    return render(request, "programmes/sessions/session_form.html", {"form": form, "series": True})


# Handouts ------------------------------------------------------------------


def get_handout_for_user(request, pk) -> Handout:
    require_reader(request)
    try:
        return (
            Handout.objects.filter(session__in=Session.objects.visible_to(request.user))
            .select_related("session", "session__course")
            .get(pk=pk)
        )
    except (Handout.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@login_required
@require_POST
def handout_add(request, pk):
    require_reader(request)
    session = get_session_for_user(request, pk)
    if not can_record_attendance(request.user, session):
        raise PermissionDenied
    form = HandoutForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            course_actions.add_handout(request.user, session, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Handout added."))
            return redirect("programmes:session_detail", pk=session.pk)
    for problems in form.errors.values():
        messages.error(request, " ".join(problems))
    return redirect("programmes:session_detail", pk=session.pk)


@login_required
@require_POST
def handout_delete(request, pk):
    handout = get_handout_for_user(request, pk)
    if not can_record_attendance(request.user, handout.session):
        raise PermissionDenied
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm removing the handout."))
        return redirect("programmes:session_detail", pk=handout.session_id)
    course_actions.delete_handout(request.user, handout)
    messages.success(request, _("Handout removed."))
    return redirect("programmes:session_detail", pk=handout.session_id)


@login_required
def handout_file(request, pk):
    """The handout's file, for those who may see the session's roster; audited."""
    handout = get_handout_for_user(request, pk)
    require_roster(request, handout.session, audit=False)
    if not handout.file:
        raise Http404
    try:
        stream = handout.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record_read(request.user, handout, file="file")
    return FileResponse(stream, as_attachment=True, filename=handout.file.name.rsplit("/", 1)[-1])


@login_required
def handout_detail(request, pk):
    """Who received the handout: one tick per participant (names: roster readers only)."""
    handout = get_handout_for_user(request, pk)
    session = handout.session
    can_tick = can_record_attendance(request.user, session)
    form = ReceiptsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_tick:
            raise PermissionDenied
        require_roster(request, session, audit=False)
        if form.is_valid():
            day = form.cleaned_data["received_on"]
            try:
                if "all_present" in request.POST:
                    added, removed = course_actions.everyone_present_received(
                        request.user, handout, received_on=day
                    )
                else:
                    added, removed = course_actions.set_handout_receipts(
                        request.user, handout, request.POST.getlist("received"), received_on=day
                    )
            except (ValidationError, ValueError) as exc:
                messages.error(
                    request, " ".join(getattr(exc, "messages", [_("Tick people from the list.")]))
                )
            else:
                messages.success(
                    request,
                    _("Saved: %(added)d ticked, %(removed)d unticked.")
                    % {"added": added, "removed": removed},
                )
                return redirect("programmes:handout_detail", pk=handout.pk)
    else:
        require_roster(request, session)
    receipts = {r.person_id: r for r in handout.receipts.all()}
    present = course_actions.present_ids(session)
    people = list(course_actions.handout_recipients(session))
    known = {person.pk for person in people}
    people += [
        r.person for r in handout.receipts.select_related("person") if r.person_id not in known
    ]
    rows = [
        {"person": person, "receipt": receipts.get(person.pk), "present": person.pk in present}
        for person in people
    ]
    return render(
        request,
        "programmes/sessions/handout_detail.html",
        {"handout": handout, "session": session, "rows": rows, "can_tick": can_tick, "form": form},
    )


urlpatterns: list = [
    path("sessions/", session_list, name="session_list"),
    path("sessions/new/", session_create, name="session_create"),
    path("sessions/<int:pk>/", session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/handouts/", handout_add, name="handout_add"),
    path("series/new/", series_create, name="series_create"),
    path("handouts/<int:pk>/", handout_detail, name="handout_detail"),
    path("handouts/<int:pk>/file/", handout_file, name="handout_file"),
    path("handouts/<int:pk>/delete/", handout_delete, name="handout_delete"),
    *sessions_courses.urlpatterns,
]
