"""The Idempotency-Key header: a retried POST creates one record and replays the answer."""

import json

import pytest
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from kinbridge.accounts.models import Region
from kinbridge.api.idempotency import idempotent
from kinbridge.api.models import IdempotencyKey


class CreateRegion(APIView):
    """A stand-in create endpoint: one region per accepted request."""

    permission_classes = [IsAuthenticated]

    def post(self, request):
        def respond():
            name = request.data.get("name", "")
            if not name:
                return Response({"name": ["required"]}, status=status.HTTP_400_BAD_REQUEST)
            count = Region.objects.filter(name__startswith=name).count()
            region = Region.objects.create(name=f"{name} {count}".strip(), country="LT")
            return Response({"id": region.pk, "name": name}, status=status.HTTP_201_CREATED)

        return idempotent(request, respond)


def post(user, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    request = APIRequestFactory().post(
        "/api/v1/regions/", json.dumps(body), content_type="application/json", **headers
    )
    force_authenticate(request, user=user)
    return CreateRegion.as_view()(request)


@pytest.mark.django_db
def test_a_retry_with_the_same_key_creates_one_record_and_replays_the_answer(personas):
    user = personas["caseworker"]
    first = post(user, {"name": "Kaunas County"}, key="k-1")
    again = post(user, {"name": "Kaunas County"}, key="k-1")
    assert first.status_code == again.status_code == 201
    assert again.data == first.data
    assert again["Idempotent-Replayed"] == "true"
    assert Region.objects.filter(name__startswith="Kaunas County").count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused_and_creates_nothing(personas):
    user = personas["caseworker"]
    post(user, {"name": "Kaunas County"}, key="k-1")
    other = post(user, {"name": "Alytus County"}, key="k-1")
    assert other.status_code == 422
    assert not Region.objects.filter(name__startswith="Alytus County").exists()


@pytest.mark.django_db
def test_a_refused_request_keeps_no_key_so_the_corrected_one_goes_through(personas):
    user = personas["caseworker"]
    assert post(user, {"name": ""}, key="k-2").status_code == 400
    assert not IdempotencyKey.objects.filter(key="k-2").exists()
    assert post(user, {"name": "Utena County"}, key="k-2").status_code == 201


@pytest.mark.django_db
def test_keys_belong_to_their_user_and_requests_without_a_key_are_not_deduplicated(personas):
    post(personas["caseworker"], {"name": "Kaunas County"}, key="shared")
    mine = post(personas["caseworker_b"], {"name": "Kaunas County"}, key="shared")
    assert "Idempotent-Replayed" not in mine
    post(personas["caseworker"], {"name": "Kaunas County"})
    assert Region.objects.filter(name__startswith="Kaunas County").count() == 3


@pytest.mark.django_db
def test_an_overlong_key_is_refused(personas):
    response = post(personas["caseworker"], {"name": "Kaunas County"}, key="x" * 256)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.data
    assert not Region.objects.filter(name__startswith="Kaunas County").exists()


@pytest.mark.django_db
def test_old_keys_are_forgotten_and_recent_ones_kept(personas, settings):
    import datetime as dt

    from django.utils import timezone

    from kinbridge.api.housekeeping import clear_idempotency_keys

    settings.IDEMPOTENCY_KEY_DAYS = 7
    post(personas["caseworker"], {"name": "Kaunas County"}, key="old")
    post(personas["caseworker"], {"name": "Utena County"}, key="new")
    IdempotencyKey.objects.filter(key="old").update(
        created_at=timezone.now() - dt.timedelta(days=8)
    )
    assert clear_idempotency_keys() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
