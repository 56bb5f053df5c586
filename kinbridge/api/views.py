from rest_framework import status
from rest_framework.views import exception_handler as drf_exception_handler

from kinbridge.audit.actions import record
from kinbridge.audit.models import Action


def exception_handler(exc, context):
    """DRF's handler, plus an audit event whenever access is refused."""
    response = drf_exception_handler(exc, context)
    request = context.get("request")
    if (
        response is not None
        and response.status_code == status.HTTP_403_FORBIDDEN
        and request is not None
        and request.user.is_authenticated
    ):
        record(Action.PERMISSION_DENIED, actor=request.user, path=request.path[:300])
    return response
