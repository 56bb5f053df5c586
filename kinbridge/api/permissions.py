from rest_framework.permissions import BasePermission

from kinbridge.accounts import access


class IsVerifiedUser(BasePermission):
    """Signed in and active; a browser session must also have passed 2FA if required.

    Token requests are integrations whose token an administrator issued, so the
    token stands in for the second factor.
    """

    message = "Authentication with a verified session or an API token is required."

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.auth is not None:  # token authentication
            return True
        if user.is_verified():
            return True
        return not access.has_two_factor(user) and not access.two_factor_required(user)


class IsAdministrator(IsVerifiedUser):
    def has_permission(self, request, view):
        return super().has_permission(request, view) and access.is_administrator(request.user)
