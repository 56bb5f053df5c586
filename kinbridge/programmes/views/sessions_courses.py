"""Pages: courses, their schedule, enrolment, waitlist, parcels and completion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kinbridge.audit.actions import record_read
from kinbridge.people.access import get_person_for_user
from kinbridge.people.models import Person
from kinbridge.programmes import sessions_course_actions as actions
from kinbridge.programmes.access import (
    can_manage_enrolment,
    can_plan,
    can_plan_for_team,
    can_see_course_roster,
    courses_visible_to,
    get_course_for_user,
)
from kinbridge.programmes.forms_sessions import (
    CourseForm,
    EnrolForm,
    ParcelForm,
    ScheduleForm,
    WithdrawForm,
)
from kinbridge.programmes.models import Enrolment, EnrolmentStatus, Project, SessionStatus
from kinbridge.programmes.views.sessions_common import apply_errors, require_reader

PAGE_SIZE = 50


@login_required
def course_list(request):
    require_reader(request)
    user = request.user
    courses = courses_visible_to(user).select_related("project", "team")
    project = request.GET.get("project", "")
    if project.isdigit():
        courses = courses.filter(project_id=int(project))
    else:
        project = ""
    courses = courses.annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)),
        waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)),
    ).order_by("-created_at", "title", "id")
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/sessions/course_list.html",
        {
            "page": page,
            "courses": page.object_list,
            "filters": {"project": project},
            "projects": Project.objects.visible_to(user).order_by("title"),
            "can_plan": can_plan(user),
        },
    )


def _course_page(request, course, *, bound=None, status=200):
    """The course page; ``bound`` holds refused forms (key -> form) to show with errors."""
    user = request.user
    bound = bound or {}
    sessions = list(course.sessions.select_related("facility").order_by("start", "id"))
    first = next((s for s in sessions if s.status != SessionStatus.CANCELLED), None)
    context = {
        "course": course,
        "sessions": sessions,
        "scheduled": sum(1 for s in sessions if s.status != SessionStatus.CANCELLED),
        "held": sum(1 for s in sessions if s.status == SessionStatus.HELD),
        "first_session": first,
        "can_edit": can_plan_for_team(user, course.team_id),
        "can_manage": can_manage_enrolment(user, course),
        "sees_roster": can_see_course_roster(user, course),
        "counts": course.enrolments.aggregate(
            enrolled=Count("pk", filter=Q(status=EnrolmentStatus.ENROLLED)),
            waiting=Count("pk", filter=Q(status=EnrolmentStatus.WAITLISTED)),
            withdrawn=Count("pk", filter=Q(status=EnrolmentStatus.WITHDRAWN)),
        ),
    }
    if context["sees_roster"]:
        record_read(user, course, roster="enrolments")
        enrolments = list(course.enrolments.select_related("person", "referred_by"))
        progress = actions.course_progress(course, enrolments)
        for enrolment in enrolments:
            enrolment.progress = progress[enrolment.pk]
            enrolment.withdraw_form = bound.get(f"w{enrolment.pk}") or WithdrawForm(
                prefix=f"w{enrolment.pk}"
            )
            enrolment.parcel_form = bound.get(f"p{enrolment.pk}") or ParcelForm(
                prefix=f"p{enrolment.pk}", initial={"parcel_sent_on": enrolment.parcel_sent_on}
            )
        context |= {
            "enrolments": enrolments,
            "parcels_missing": actions.parcels_missing(course, enrolments, first),
        }
        if context["can_manage"]:
            context |= _enrol_search(request, course, enrolments, bound)
    return render(request, "programmes/sessions/course_detail.html", context, status=status)


def _enrol_search(request, course, enrolments, bound) -> dict:
    query = request.GET.get("q", "").strip()[:100]
    taken = {e.person_id for e in enrolments if e.status != EnrolmentStatus.WITHDRAWN}
    found = []
    if query:
        found = [
            person
            for person in Person.objects.visible_to(request.user).search(query)[:20]
            if person.pk not in taken
        ]
    return {"q": query, "found": found, "enrol_form": bound.get("enrol") or EnrolForm()}


@login_required
def course_detail(request, pk):
    require_reader(request)
    return _course_page(request, get_course_for_user(request, pk))


def _edit(request, course):
    data = request.POST if request.method == "POST" else None
    form = CourseForm(data, instance=course, user=request.user)
    if data is not None and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in actions.COURSE_FIELDS}
        try:
            if course is None:
                course = actions.create_course(request.user, **fields)
            else:
                actions.update_course(request.user, course, **fields)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Course saved."))
            return redirect("programmes:course_detail", pk=course.pk)
    return render(request, "programmes/sessions/course_form.html", {"form": form, "course": course})


@login_required
def course_create(request):
    require_reader(request)
    if not can_plan(request.user):
        raise PermissionDenied
    return _edit(request, None)


@login_required
def course_edit(request, pk):
    require_reader(request)
    course = get_course_for_user(request, pk)
    if not can_plan_for_team(request.user, course.team_id):
        raise PermissionDenied
    return _edit(request, course)


@login_required
def course_schedule(request, pk):
    """Schedule the course's meetings weekly from the first one."""
    require_reader(request)
    course = get_course_for_user(request, pk)
    if not can_plan_for_team(request.user, course.team_id):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = ScheduleForm(data, user=request.user, course=course)
    if data is not None and form.is_valid():
        fields = form.action_fields()
        try:
            series = actions.schedule_course(request.user, course, **fields)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d session scheduled.",
                    "%(count)d sessions scheduled.",
                    series.occurrences,
                )
                % {"count": series.occurrences},
            )
            return redirect("programmes:course_detail", pk=course.pk)
    remaining = (
        course.planned_sessions - course.sessions.exclude(status=SessionStatus.CANCELLED).count()
    )
    return render(
        request,
        "programmes/sessions/course_schedule.html",
        {"form": form, "course": course, "remaining": remaining},
    )


def _require_manager(request, course) -> None:
    if not can_see_course_roster(request.user, course) or not can_manage_enrolment(
        request.user, course
    ):
        raise PermissionDenied


@login_required
@require_POST
def course_enrol(request, pk):
    require_reader(request)
    course = get_course_for_user(request, pk)
    _require_manager(request, course)
    form = EnrolForm(request.POST, prefix=None)
    if form.is_valid():
        person = get_person_for_user(request, form.cleaned_data["person"], audit_read=False)
        try:
            enrolment = actions.enrol(
                request.user, course, person, referred_by=form.cleaned_data["referred_by"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if enrolment.status == EnrolmentStatus.WAITLISTED:
                messages.warning(
                    request,
                    _("The course is full: %(name)s is number %(position)d on the waitlist.")
                    % {"name": person.full_name, "position": enrolment.waitlist_position},
                )
            else:
                messages.success(request, _("%(name)s is enrolled.") % {"name": person.full_name})
            return redirect("programmes:course_detail", pk=course.pk)
    return _course_page(request, course, bound={"enrol": form}, status=400)


def _get_enrolment(request, pk) -> Enrolment:
    require_reader(request)
    try:
        enrolment = Enrolment.objects.select_related("person").get(pk=pk)
    except (Enrolment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    enrolment.course = get_course_for_user(request, enrolment.course_id)
    _require_manager(request, enrolment.course)
    return enrolment


@login_required
@require_POST
def enrolment_withdraw(request, pk):
    enrolment = _get_enrolment(request, pk)
    key = f"w{enrolment.pk}"
    form = WithdrawForm(request.POST, prefix=key)
    if form.is_valid():
        try:
            actions.withdraw(
                request.user,
                enrolment,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s withdrew.") % {"name": enrolment.person.full_name}
            )
            return redirect("programmes:course_detail", pk=enrolment.course.pk)
    return _course_page(request, enrolment.course, bound={key: form}, status=400)


@login_required
@require_POST
def enrolment_parcel(request, pk):
    enrolment = _get_enrolment(request, pk)
    key = f"p{enrolment.pk}"
    form = ParcelForm(request.POST, prefix=key)
    if form.is_valid():
        try:
            actions.set_parcel_sent(request.user, enrolment, form.cleaned_data["parcel_sent_on"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Parcel date saved."))
            return redirect("programmes:course_detail", pk=enrolment.course.pk)
    return _course_page(request, enrolment.course, bound={key: form}, status=400)


urlpatterns: list = [
    path("courses/", course_list, name="course_list"),
    path("courses/new/", course_create, name="course_create"),
    path("courses/<int:pk>/", course_detail, name="course_detail"),
    path("courses/<int:pk>/edit/", course_edit, name="course_edit"),
    path("courses/<int:pk>/schedule/", course_schedule, name="course_schedule"),
    path("courses/<int:pk>/enrol/", course_enrol, name="course_enrol"),
    path("enrolments/<int:pk>/withdraw/", enrolment_withdraw, name="enrolment_withdraw"),
    path("enrolments/<int:pk>/parcel/", enrolment_parcel, name="enrolment_parcel"),
]
