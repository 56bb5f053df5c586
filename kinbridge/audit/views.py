from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from kinbridge.audit import export
from kinbridge.audit.actions import record
from kinbridge.audit.forms import EventFilterForm
from kinbridge.audit.models import Action, AuditEvent

PAGE_SIZE = 100


def _visible_events(request):
    events = AuditEvent.objects.visible_to(request.user)
    if not request.user.has_perm("audit.view_auditevent"):
        raise PermissionDenied
    return events


@login_required
def event_list(request):
    events = _visible_events(request).select_related("actor")
    form = EventFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        events = form.filter(events)
    elif form.is_bound:
        events = events.none()
    before = request.GET.get("before", "")
    if before.isdigit():
        events = events.filter(pk__lt=int(before))
    page = list(events.order_by("-pk")[: PAGE_SIZE + 1])
    has_more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "events": page,
            "older": page[-1].pk if has_more else None,
            "query": query.urlencode(),
            "can_export": request.user.has_perm("audit.export_auditevent"),
        },
    )


@login_required
def event_export(request):
    events = _visible_events(request)
    if not request.user.has_perm("audit.export_auditevent"):
        raise PermissionDenied
    form = EventFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        events = form.filter(events)
        filters = {key: str(value) for key, value in form.cleaned_data.items() if value}
    record(Action.EXPORT, actor=request.user, object_type="audit.auditevent", filters=filters)
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        export.rows(events.order_by("-pk").iterator(chunk_size=2000)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="kinbridge-audit-{stamp}.csv"'
    return response
