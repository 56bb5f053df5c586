class NoStoreMiddleware:
    """Pages for signed-in users must not be kept by browsers or proxies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith(
            ("/accounts/", "/api/")
        ):
            response["Cache-Control"] = "no-store"
            response.setdefault("Pragma", "no-cache")
        return response
