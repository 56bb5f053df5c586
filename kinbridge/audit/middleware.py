from kinbridge.audit import context


class AuditContextMiddleware:
    """Makes the request's address and id available to audit events."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.begin(request)
        try:
            response = self.get_response(request)
        finally:
            context.end(token)
        response["X-Request-ID"] = request.request_id
        return response
