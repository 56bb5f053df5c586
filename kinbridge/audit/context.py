"""Who is asking, from where: the request facts an audit event carries.

The middleware sets them for the length of one request; actions called from
commands or workers run with none, and their events say so.
"""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings


@dataclass(frozen=True)
class RequestInfo:
    ip: str | None
    request_id: str
    method: str
    path: str
    # Records whose read this request already audited (record_reads): a page showing
    # the same note in two places (a panel and the timeline) is one read.
    reads: set = field(default_factory=set, compare=False)


_current: ContextVar[RequestInfo | None] = ContextVar("kinbridge_request", default=None)


def current() -> RequestInfo | None:
    return _current.get()


def client_ip(request) -> str | None:
    """The client's address, trusting X-Forwarded-For only from our own proxies."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


def client_ip_for_axes(request) -> str:
    return client_ip(request) or ""


def begin(request) -> object:
    info = RequestInfo(
        ip=client_ip(request),
        request_id=uuid.uuid4().hex,
        method=request.method or "",
        path=request.path[:300],
    )
    request.request_id = info.request_id
    return _current.set(info)


def end(token) -> None:
    _current.reset(token)
