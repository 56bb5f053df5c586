"""Casework API: referrals in (the intake queue and triage) and referrals out.

Same rules as the pages: roles without casework get 403; a referral of another
team (or a referral out of a case the caller does not see) is 404. Creates honour
the Idempotency-Key header; the triage decisions and the answer of a referral
out answer 409 when someone decided or saved first.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from kinbridge.api.errors import action_errors, drf_detail
from kinbridge.api.idempotency import IDEMPOTENCY_PARAMETER, IdempotentCreateMixin
from kinbridge.api.pagination import KeysetPagination
from kinbridge.api.permissions import IsVerifiedUser
from kinbridge.casework import intake, referral_actions
from kinbridge.casework.access import (
    can_edit_case,
    can_triage,
    does_casework,
    get_referral_for_user,
    get_referral_out_for_user,
)
from kinbridge.casework.api.conflicts import stale_answer
from kinbridge.casework.locking import StaleEdit
from kinbridge.casework.models import (
    Case,
    Referral,
    ReferralOut,
    ReferralSource,
    ReferralStatus,
)
from kinbridge.casework.serializers_referrals import (
    AcceptSerializer,
    AnswerSerializer,
    DeclineSerializer,
    DuplicatesFoundSerializer,
    ReferralConflictSerializer,
    ReferralOutConflictSerializer,
    ReferralOutSerializer,
    ReferralSerializer,
)


class DoesCasework(IsVerifiedUser):
    """Administrators, programme managers and caseworkers; others are refused (403)."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and does_casework(request.user)


class QueuePagination(KeysetPagination):
    """The queue in the order referrals arrived."""

    ordering = ("received_on", "id")


def _int(params, name) -> int | None:
    value = params.get(name, "")
    return int(value) if value.isdigit() else None


def _referral_conflict(referral: Referral, message: str) -> Response:
    referral = Referral.objects.get(pk=referral.pk)
    return Response(
        {"detail": message, "current": ReferralSerializer(referral).data},
        status=status.HTTP_409_CONFLICT,
    )


QUEUE_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=ReferralStatus.values),
    OpenApiParameter("source", OpenApiTypes.STR, enum=ReferralSource.values),
    OpenApiParameter("team", OpenApiTypes.INT),
    OpenApiParameter("no_team", OpenApiTypes.BOOL, description="Only referrals with no team yet"),
]
DECIDED = {
    409: ReferralConflictSerializer,
    400: OpenApiTypes.OBJECT,
}


@extend_schema_view(
    list=extend_schema(parameters=QUEUE_FILTERS),
    create=extend_schema(
        parameters=[IDEMPOTENCY_PARAMETER],
        description=(
            "File a referral in the intake queue. ``partner`` is required for source "
            "``partner``, ``facility`` for ``prison_staff``; a name or alias, and a way to "
            "contact the person (``phone``, ``email``) or ``safe_contact_note`` saying how, "
            "or why there is none. Refusals answer 400 by field."
        ),
    ),
    retrieve=extend_schema(description="One referral; every read is audited."),
)
class ReferralViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The intake queue you see (your teams' referrals and those with no team yet),
    in the order they arrived; accept or decline one with the actions."""

    serializer_class = ReferralSerializer
    permission_classes = [DoesCasework]
    pagination_class = QueuePagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Referral.objects.none()
        referrals = Referral.objects.visible_to(self.request.user)
        params = self.request.query_params
        if params.get("status") in ReferralStatus.values:
            referrals = referrals.filter(status=params["status"])
        if params.get("source") in ReferralSource.values:
            referrals = referrals.filter(source=params["source"])
        if _int(params, "team") is not None:
            referrals = referrals.filter(team_id=_int(params, "team"))
        if params.get("no_team") in ("1", "true"):
            referrals = referrals.filter(team__isnull=True)
        return referrals

    def get_object(self):
        audit = self.action == "retrieve"
        return get_referral_for_user(self.request, self.kwargs["pk"], audit=audit)

    def perform_create(self, serializer):
        with action_errors():
            serializer.instance = intake.file_referral(
                self.request.user, **serializer.validated_data
            )

    def _decide(self, request, form_class, decide):
        """Run a triage decision; whoever decided first wins, the other gets 409."""
        referral = self.get_object()
        if not can_triage(request.user, referral):
            raise PermissionDenied
        form = form_class(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            referral = decide(referral, form.validated_data)
        except referral_actions.AlreadyDecided as exc:
            return _referral_conflict(exc.referral, exc.messages[0])
        except StaleEdit as stale:
            return _referral_conflict(
                stale.current, _("The referral changed since you read it; read it again.")
            )
        except referral_actions.LikelyDuplicates as exc:
            answer = DuplicatesFoundSerializer(exc.check).data
            answer["detail"] = exc.messages[0]
            return Response(answer, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as exc:
            raise ValidationError(drf_detail(exc)) from None
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from None
        return Response(ReferralSerializer(referral).data)

    @extend_schema(
        request=AcceptSerializer,
        responses={
            200: ReferralSerializer,
            400: OpenApiTypes.OBJECT,
            409: OpenApiResponse(
                DuplicatesFoundSerializer,
                description="Likely duplicates; or, as ``detail`` and ``current``, decided first.",
            ),
        },
        description=(
            "Accept: link ``person`` or create one from the referral (with ``role``), open "
            "the case in ``team`` (at assessment when ``lead_worker`` is given) and turn the "
            "needs mentioned into case needs. Likely duplicates of a new person answer 409 "
            "with the candidates and a ``seen_duplicates`` token: link one, or send again "
            "with ``confirm_not_duplicate=true`` and that token. A referral already decided "
            "answers 409 with ``current``."
        ),
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        def decide(referral, data):
            confirmed = data["confirm_not_duplicate"]
            return referral_actions.accept_referral(
                request.user,
                referral,
                team=data["team"],
                case_type=data["case_type"],
                lead_worker=data.get("lead_worker"),
                person=data.get("person"),
                role=data["role"],
                not_duplicate_of=data.get("seen_duplicates", "") if confirmed else None,
                version=data.get("version"),
            )

        return self._decide(request, AcceptSerializer, decide)

    @extend_schema(
        request=DeclineSerializer,
        responses={200: ReferralSerializer} | DECIDED,
        description="Decline with a ``reason`` (required) and where they were signposted.",
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._decide(
            request,
            DeclineSerializer,
            lambda referral, data: referral_actions.decline_referral(
                request.user,
                referral,
                reason=data["reason"],
                signposted_to=data.get("signposted_to", ""),
                version=data.get("version"),
            ),
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("case", OpenApiTypes.INT, description="Only this case's")]
    ),
    create=extend_schema(
        parameters=[IDEMPOTENCY_PARAMETER],
        description=(
            "Refer the case's client to a partner. Without a current consent of the client "
            "to share with that partner the answer is 400 at ``partner`` and nothing is saved."
        ),
    ),
    partial_update=extend_schema(
        request=AnswerSerializer,
        responses={200: ReferralOutSerializer, 409: ReferralOutConflictSerializer},
        description=(
            "Record the partner's answer (not dated before it was sent). Send the "
            "``version`` you read; a newer one on file answers 409 with ``current`` and "
            "the ``differences``."
        ),
    ),
)
class ReferralOutViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Referrals out of the cases you see, latest first."""

    serializer_class = ReferralOutSerializer
    permission_classes = [DoesCasework]
    pagination_class = KeysetPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReferralOut.objects.none()
        referrals = ReferralOut.objects.filter(case__in=Case.objects.visible_to(self.request.user))
        case = _int(self.request.query_params, "case")
        if case is not None:
            referrals = referrals.filter(case_id=case)
        return referrals

    def get_object(self):
        return get_referral_out_for_user(self.request, self.kwargs["pk"])

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        case = data.pop("case")
        with action_errors():
            serializer.instance = referral_actions.refer_out(self.request.user, case, **data)

    def partial_update(self, request, *args, **kwargs):
        referral = self.get_object()
        if not can_edit_case(request.user, referral.case):
            raise PermissionDenied
        form = AnswerSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        try:
            with action_errors():
                referral = referral_actions.answer_referral_out(request.user, referral, **data)
        except StaleEdit as stale:
            return stale_answer(
                stale,
                ReferralOutSerializer(stale.current).data,
                _("Someone saved an answer since you read it; nothing was saved."),
            )
        return Response(ReferralOutSerializer(referral).data)


ROUTES: list = [
    ("referrals", ReferralViewSet, "referral"),
    ("referrals-out", ReferralOutViewSet, "referralout"),
]
PATHS: list = []
