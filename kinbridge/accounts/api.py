from django.db.models import Prefetch
from rest_framework import generics, mixins, viewsets
from rest_framework.exceptions import PermissionDenied

from kinbridge.accounts import access, actions
from kinbridge.accounts.models import Membership, Team, User
from kinbridge.accounts.serializers import MeSerializer, TeamSerializer, UserSerializer
from kinbridge.api.permissions import IsAdministrator


class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in user: roles, teams and language (the language can be changed)."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return User.objects.prefetch_related("groups", "memberships").get(pk=self.request.user.pk)

    def perform_update(self, serializer):
        actions.set_language(self.request.user, serializer.validated_data["language"])
        serializer.instance.language = serializer.validated_data["language"]


class TeamViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Teams you belong to (administrators: every team). Administrators may create and edit."""

    serializer_class = TeamSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Team.objects.visible_to(self.request.user).select_related("region")

    def _require_admin(self):
        if not access.is_administrator(self.request.user):
            raise PermissionDenied

    def perform_create(self, serializer):
        self._require_admin()
        data = serializer.validated_data
        serializer.instance = actions.create_team(
            self.request.user,
            name=data["name"],
            region=data["region"],
            description=data.get("description", ""),
        )

    def perform_update(self, serializer):
        self._require_admin()
        serializer.instance = actions.update_team(
            self.request.user, serializer.instance, **serializer.validated_data
        )


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """Accounts, for administrators."""

    serializer_class = UserSerializer
    permission_classes = [IsAdministrator]

    def get_queryset(self):
        return User.objects.visible_to(self.request.user).prefetch_related(
            "groups",
            Prefetch("memberships", queryset=Membership.objects.only("user_id", "team_id")),
        )
